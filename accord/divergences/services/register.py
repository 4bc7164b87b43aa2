"""Opening and closing points of divergence: the register's own rows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.divergences import access
from accord.divergences.access import DIVERGENCE_NOT_FOUND, PublicId
from accord.divergences.models import Divergence
from accord.divergences.services.common import (
    CLOSE_FACILITATORS_ONLY,
    MAX_TITLE,
    NOT_CLOSED,
    OPEN_NOT_ALLOWED,
    TITLE_EMPTY,
    TITLE_TOO_LONG,
    _deadline,
    _open_only,
    _payload,
    _provisions,
    _text,
)
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append
from accord.locking import lock_rows
from accord.process.models import Process

# --- Register ------------------------------------------------------------------------------


def divergence_open(
    *,
    actor: User,
    body_code: str,
    title: str,
    description: str = "",
    provisions: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Divergence:
    """Record a point of divergence in the register of the body ``body_code``, at that
    body's rung of the ladder.

    The register is ``shared`` (every participant sees the point and the shared
    positions). Raise ``OPEN_NOT_ALLOWED`` unless ``access.may_open``. ``now``: aware
    datetime (the demo dates points back).
    """
    body = access.register_access(actor, body_code)
    if not access.may_open(actor, body):
        raise OPEN_NOT_ALLOWED(body=body.name)
    title = (title or "").strip()
    if not title:
        raise TITLE_EMPTY()
    if len(title) > MAX_TITLE:
        raise TITLE_TOO_LONG()
    description = _text(description, required=False)
    subjects = _provisions(provisions)
    now = now or timezone.now()
    process = body.process
    with transaction.atomic():
        # The process row serialises numbering: two points opened at once get D-n, D-n+1.
        lock_rows(Process.objects.filter(pk=process.pk)).exists()
        last = Divergence.objects.filter(process=process).aggregate(last=Max("number"))["last"]
        row = Divergence.objects.create(
            process=process,
            scope=accounts_access.SHARED,
            body=body,
            number=(last or 0) + 1,
            title=title,
            description=description,
            provisions=subjects,
            status=Divergence.Status.OPEN,
            rung=body.code,
            rung_since=now,
            rung_deadline=_deadline(process, body.code, now),
            created_by=actor,
            created_at=now,
        )
        event_append(
            kind="DivergenceOpened",
            subject=row.subject,
            scope=row.scope,
            payload=_payload(
                row, provisions=subjects, deadline=row.rung_deadline, description=description
            ),
            actor=actor,
            process=process,
        )
    return row


# --- Closing -------------------------------------------------------------------------------


def _close(
    *, actor: User, divergence_id: PublicId, status: str, text: str, kind: str
) -> Divergence:
    def check(row: Divergence) -> None:
        allowed = access.may_resolve if status == Divergence.Status.RESOLVED else access.may_park
        if not allowed(actor, row):
            raise CLOSE_FACILITATORS_ONLY()
        _open_only(row)

    def change(row: Divergence) -> list[str]:
        row.status = status
        row.closed_at = timezone.now()
        row.rung_deadline = None
        if status == Divergence.Status.RESOLVED:
            row.resolution = text
        return ["status", "closed_at", "rung_deadline", "resolution"]

    with transaction.atomic():
        return change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(kind, row.subject, row.scope, _payload(row, text=text), actor, row.process)
            ],
        )


def divergence_resolve(*, actor: User, divergence_id: PublicId, resolution: str) -> Divergence:
    """Record how the divergence was settled; its clock stops."""
    # Who may act before what was written (403 before 422); ``_close`` re-checks it locked.
    if not access.may_resolve(actor, access.divergence_access(actor, divergence_id)):
        raise CLOSE_FACILITATORS_ONLY()
    return _close(
        actor=actor,
        divergence_id=divergence_id,
        status=Divergence.Status.RESOLVED,
        text=_text(resolution),
        kind="DivergenceResolved",
    )


def divergence_park(*, actor: User, divergence_id: PublicId, note: str = "") -> Divergence:
    """Set the divergence aside by agreement; its clock stops until it is reopened."""
    return _close(
        actor=actor,
        divergence_id=divergence_id,
        status=Divergence.Status.PARKED,
        text=_text(note, required=False),
        kind="DivergenceParked",
    )


def divergence_reopen(*, actor: User, divergence_id: PublicId, note: str = "") -> Divergence:
    """Reopen a resolved or parked divergence at its rung, with a fresh deadline."""
    note = _text(note, required=False)

    def check(row: Divergence) -> None:
        if not access.may_reopen(actor, row):
            raise CLOSE_FACILITATORS_ONLY()
        if not row.is_closed:
            raise NOT_CLOSED()

    def change(row: Divergence) -> list[str]:
        now = timezone.now()
        row.status = (
            Divergence.Status.REFERRED if row.referrals.exists() else Divergence.Status.OPEN
        )
        row.closed_at = None
        row.rung_since = now
        row.rung_deadline = _deadline(row.process, row.rung, now)
        return ["status", "closed_at", "rung_since", "rung_deadline"]

    def events(row: Divergence) -> list[NewEvent]:
        payload = _payload(row, note=note, deadline=row.rung_deadline)
        return [NewEvent("DivergenceReopened", row.subject, row.scope, payload, actor, row.process)]

    with transaction.atomic():
        return change_locked(
            access.divergence_rows(actor, divergence_id),
            missing=DIVERGENCE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
