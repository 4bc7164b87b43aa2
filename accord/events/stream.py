"""The live feed: the events one signed-in user may see, as Server-Sent Events.

Each event goes out as ``id: <opaque cursor>`` and ``data: <json>``. The position a
stream (and a resuming client) holds is the last event *this user could see*: events
become visible strictly in sequence order, and a resume re-applies the access policy,
so nothing is skipped or repeated and no hidden event leaves a trace in the ids.

All frames are unnamed ("message") so that one ``EventSource.onmessage`` receives
everything; the event's kind is in the data. Named SSE events would force a browser
client to know every kind in advance (``EventSource`` has no wildcard listener).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import auth
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections
from django.http import HttpRequest

from accord.events import cursor, wakeup
from accord.events.models import Event
from accord.events.selectors import event_list

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
RETRY_MILLISECONDS = 2000
KEEP_ALIVE_FRAME = ": keep-alive\n\n"


def event_frame(event: Event) -> str:
    """Render ``event`` as one SSE frame. Precondition: ``event.actor`` already loaded."""
    data = {
        "kind": event.kind,
        "subject": event.subject,
        "scope": event.scope,
        "occurred_at": event.occurred_at,
        "actor": str(event.actor) if event.actor is not None else None,
        "summary": event.summary,
        "payload": event.payload,
    }
    # json.dumps escapes newlines inside strings, so the data is always one line.
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return f"id: {cursor.encode(event.seq)}\ndata: {text}\n\n"


def _signed_in_user(session_key: str, user_id: Any) -> Any | None:
    """Return the user ``session_key`` still signs in as ``user_id``, or None.

    None once the session ended (sign-out, expiry, password change) or the user was
    deactivated: an open stream must not outlive the sign-in it was opened with. The
    user is fetched afresh, so the clearance computed from it is current too.
    """
    engine = import_module(settings.SESSION_ENGINE)
    probe = HttpRequest()
    probe.session = engine.SessionStore(session_key)
    user = auth.get_user(probe)
    if not user.is_authenticated or not user.is_active or user.pk != user_id:
        return None
    return user


def _log_head() -> int:
    """Return the newest sequence number in the log. Internal only: never sent to a client."""
    head = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    return head or 0


def start_position(*, session_key: str, user_id: Any) -> int | None:
    """Return the seq of the newest event the user may see ("now"), or None if signed out."""
    try:
        user = _signed_in_user(session_key, user_id)
        if user is None:
            return None
        newest = event_list(actor=user).values_list("seq", flat=True).last()
        return newest or 0
    finally:
        close_old_connections()


@dataclass
class Batch:
    signed_in: bool
    head: int
    # Whether the sign-in and clearance were checked (and the log read) this time.
    checked: bool
    # (seq, frame) of the visible events after the position, oldest first.
    frames: list[tuple[int, str]] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return len(self.frames) >= BATCH_SIZE


def read_batch(
    *, session_key: str, user_id: Any, after_seq: int, scanned_head: int, recheck: bool
) -> Batch:
    """Read the next visible events after ``after_seq``.

    A cheap look at the log head comes first: while nothing was appended since
    ``scanned_head`` and no periodic ``recheck`` is due, the sign-in and the
    clearance are not recomputed and the log is not filtered.
    """
    try:
        head = _log_head()
        if head <= scanned_head and not recheck:
            return Batch(signed_in=True, head=head, checked=False)
        user = _signed_in_user(session_key, user_id)
        if user is None:
            return Batch(signed_in=False, head=head, checked=True)
        events = event_list(actor=user, after_seq=after_seq, limit=BATCH_SIZE)
        frames = [(event.seq, event_frame(event)) for event in events]
        # Checked again after the read, so every event sent was committed while the
        # sign-in was still valid: none appended after a sign-out slips through.
        if frames and _signed_in_user(session_key, user_id) is None:
            return Batch(signed_in=False, head=head, checked=True)
        return Batch(signed_in=True, head=head, checked=True, frames=frames)
    finally:
        # Between batches a stream holds no database connection (with CONN_MAX_AGE=0),
        # so open streams do not pin one connection each.
        close_old_connections()


async def event_stream(
    *, session_key: str, user_id: Any, after_seq: int | None
) -> AsyncIterator[str]:
    """Yield SSE frames for the user until they sign out or the client disconnects.

    ``after_seq`` is the resume position (from the client's cursor), or None for "now".
    """
    keep_alive = settings.ACCORD_FEED_KEEPALIVE_SECONDS
    try:
        # Subscribed before the first read, so no append after that read goes unnoticed.
        with wakeup.subscribe() as waiter:
            if after_seq is None:
                after_seq = await sync_to_async(start_position)(
                    session_key=session_key, user_id=user_id
                )
                if after_seq is None:
                    return
            # The opening id lets an EventSource that sees no event before a reconnect
            # still resume from here rather than from a later "now".
            yield f"retry: {RETRY_MILLISECONDS}\nid: {cursor.encode(after_seq)}\n\n"
            position = after_seq
            scanned_head = -1
            last_check = last_sent = time.monotonic()
            while True:
                now = time.monotonic()
                batch = await sync_to_async(read_batch)(
                    session_key=session_key,
                    user_id=user_id,
                    after_seq=position,
                    scanned_head=scanned_head,
                    recheck=now - last_check >= keep_alive,
                )
                if not batch.signed_in:
                    return
                if batch.checked:
                    last_check = now
                for seq, frame in batch.frames:
                    yield frame
                    position = seq
                    last_sent = time.monotonic()
                if batch.full:
                    continue  # more are waiting: read on before sleeping
                scanned_head = batch.head
                if time.monotonic() - last_sent >= keep_alive:
                    yield KEEP_ALIVE_FRAME
                    last_sent = time.monotonic()
                # Wake by the time a keep-alive or a periodic re-check is due.
                due = min(last_sent, last_check) + keep_alive
                await waiter.wait(max(0.0, due - time.monotonic()))
    except (asyncio.CancelledError, GeneratorExit):
        logger.debug("live feed: client of user %s disconnected", user_id)
        raise
