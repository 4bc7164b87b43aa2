"""Appending to the event log. Every service of every app calls ``event_append``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from accord.events.chain import GENESIS_HASH, event_hash
from accord.events.models import Event
from accord.events.notify import NOTIFY_CHANNEL, ring_local

if TYPE_CHECKING:
    # For the type only: the log sits below every model (docs/ARCHITECTURE.md, Layers).
    from accord.accounts.models import User

# Arbitrary constant key for the PostgreSQL advisory lock that serialises appends.
EVENT_LOG_LOCK_KEY = 0x4143434F5244  # "ACCORD"


def _lock_log() -> None:
    """Serialise appends until the surrounding transaction ends, and notify listeners.

    On PostgreSQL an advisory transaction lock; on SQLite the IMMEDIATE transaction
    (settings) already holds the database write lock. Holding the lock to commit means
    events become visible in sequence order, which the live feed's resume relies on.

    The PostgreSQL notification goes in the same statement as the lock (one round trip
    less on the hot path): NOTIFY is delivered at commit whenever it is issued, so
    listeners never wake for a rolled-back event. It is a wake-up, not a message:
    listeners read the log from their own head.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s), pg_notify(%s, '')",
                [EVENT_LOG_LOCK_KEY, NOTIFY_CHANNEL],
            )


def _json_normalised(payload: dict[str, Any]) -> dict[str, Any]:
    """Return ``payload`` as it will read back from the JSON column (dates as strings)."""
    normalised: dict[str, Any] = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    return normalised


@dataclass(frozen=True)
class NewEvent:
    """One event to append: the arguments of ``event_append``."""

    kind: str
    subject: str
    scope: str
    payload: dict[str, Any] | None = None
    actor: User | None = None
    process: Any = None
    occurred_at: dt.datetime | None = None


def event_append(
    *,
    kind: str,
    subject: str,
    scope: str,
    payload: dict[str, Any] | None = None,
    actor: User | None = None,
    process: Any = None,
    occurred_at: dt.datetime | None = None,
) -> Event:
    """Append one event in the caller's transaction.

    Precondition: called inside ``transaction.atomic`` together with the change the event
    records, so both commit or neither does. ``kind`` is past tense (``NoteWritten``);
    ``scope`` is a visibility scope of ``accounts.access``.
    """
    new = NewEvent(kind, subject, scope, payload, actor, process, occurred_at)
    return events_append([new])[0]


def events_append(new: Sequence[NewEvent]) -> list[Event]:
    """Append ``new`` in order, in the caller's transaction (as ``event_append``).

    One lock, one read of the head, one insert and one notification for them all: a
    change that records several events (a hotline message and its copy to the
    facilitators) pays the log's round trips once, which counts on a busy hot path.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("event_append must run inside the transaction of its change")
    if not new:
        return []
    _lock_log()
    head = Event.objects.order_by("-seq").values("seq", "hash").first()
    seq, prev_hash = (head["seq"], head["hash"]) if head else (0, GENESIS_HASH)
    events = []
    for draft in new:
        seq += 1
        event = Event(
            seq=seq,
            occurred_at=draft.occurred_at or timezone.now(),
            process=draft.process,
            actor=draft.actor if getattr(draft.actor, "pk", None) else None,
            kind=draft.kind,
            subject=draft.subject,
            scope=draft.scope,
            payload=_json_normalised(draft.payload or {}),
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = event_hash(event.hashed_fields())
        events.append(event)
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        Event.objects.bulk_create(events)
    # This process's live feed need not wait for a poll or its own NOTIFY.
    transaction.on_commit(ring_local)
    return events
