"""What the meetings services share: input checks and the event of a record."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from accord.accounts.models import User
from accord.errors import ErrorCase
from accord.events.services import NewEvent, event_append
from accord.locking import lock_rows
from accord.meetings import clock
from accord.process.models import Body

MAX_TEXT = 50_000
MAX_TITLE = 200


def title_check(value: str, case: ErrorCase, *, limit: int = MAX_TITLE) -> str:
    """``value`` stripped; ``case`` raised when it is empty or longer than ``limit``."""
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise case()
    return value


def text_check(
    value: str, *, required: ErrorCase | None, too_long: ErrorCase, limit: int = MAX_TEXT
) -> str:
    """``value`` stripped; ``required`` raised when empty (None: may be empty),
    ``too_long`` (with ``n``, the limit) when longer than ``limit``."""
    value = (value or "").strip()
    if required is not None and not value:
        raise required()
    if len(value) > limit:
        raise too_long(n=f"{limit:,}")
    return value


def zone_check(name: str, case: ErrorCase) -> str:
    name = (name or "").strip()
    if not clock.zone_valid(name):
        raise case()
    return name


def lock_body(body: Body) -> None:
    """Serialise queueing and scheduling for one body until commit, so an item queued
    while its body's next session is being scheduled lands on it exactly once."""
    lock_rows(Body.objects.filter(pk=body.pk)).first()


def new_event(
    kind: str, *, subject: str, record: Model, actor: User | None, payload: dict[str, Any]
) -> NewEvent:
    """The event recording a change of ``record``, in its scope and process."""
    return NewEvent(
        kind=kind,
        subject=subject,
        scope=record.scope,  # type: ignore[attr-defined]
        payload=payload,
        actor=actor,
        process=record.process,  # type: ignore[attr-defined]
    )


def append(
    kind: str, *, subject: str, record: Model, actor: User | None, payload: dict[str, Any]
) -> None:
    """Append the event recording a change of ``record`` (inside its transaction)."""
    event = new_event(kind, subject=subject, record=record, actor=actor, payload=payload)
    event_append(
        kind=event.kind,
        subject=event.subject,
        scope=event.scope,
        payload=event.payload,
        actor=event.actor,
        process=event.process,
    )
