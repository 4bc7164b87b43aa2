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
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import close_old_connections

from accord.accounts import access
from accord.events import cursor, hub
from accord.events.feed_threads import counters, in_feed_thread
from accord.events.frames import event_frame
from accord.events.signin import signed_in_user
from accord.events.visible import event_list, newest_visible_seq

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
RETRY_MILLISECONDS = 2000
KEEP_ALIVE_FRAME = b": keep-alive\n\n"


@dataclass(frozen=True)
class Start:
    """Where a stream opened without a cursor starts, and what it may see from there."""

    position: int
    clearance: access.Clearance


def start_position(*, session_key: str, user_id: Any) -> Start | None:
    """Return "now" for the user (the seq of the newest event they may see) and their
    clearance, or None if signed out.

    A stream that starts here needs no catch-up read: every event up to the hub's head
    was committed before this read (events become visible in sequence order), so none
    the user may see lies between "now" and that head.
    """
    counters.stream_reads += 1
    try:
        user = signed_in_user(session_key, user_id)
        if user is None:
            return None
        return Start(newest_visible_seq(actor=user), access.clearance(user))
    finally:
        close_old_connections()


@dataclass
class Batch:
    signed_in: bool
    clearance: access.Clearance = access.NO_CLEARANCE
    # (seq, frame) of the visible events after the position, oldest first.
    frames: list[tuple[int, bytes]] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return len(self.frames) >= BATCH_SIZE


def read_batch(*, session_key: str, user_id: Any, after_seq: int, up_to: int) -> Batch:
    """Check the sign-in, compute the clearance, and read the next visible events in
    ``(after_seq, up_to]`` (none when ``up_to <= after_seq``: a re-check only).

    The events after ``up_to`` come from the hub; see ``hub``.
    """
    counters.stream_reads += 1
    try:
        user = signed_in_user(session_key, user_id)
        if user is None:
            return Batch(signed_in=False)
        granted = access.clearance(user)
        frames: list[tuple[int, bytes]] = []
        if up_to > after_seq:
            events = event_list(actor=user, after_seq=after_seq).filter(seq__lte=up_to)
            frames = [(event.seq, event_frame(event)) for event in events[:BATCH_SIZE]]
        # Checked again after the read, so every event sent was committed while the
        # sign-in was still valid: none appended after a sign-out slips through.
        if frames and signed_in_user(session_key, user_id) is None:
            return Batch(signed_in=False)
        return Batch(signed_in=True, clearance=granted, frames=frames)
    finally:
        # The feed's threads keep a connection up to CONN_MAX_AGE (or return it to the
        # PostgreSQL pool); this recycles one that is broken or too old.
        close_old_connections()


async def event_stream(
    *, session_key: str, user_id: Any, after_seq: int | None
) -> AsyncIterator[bytes]:
    """Yield SSE frames (UTF-8) for the user until they sign out or the client disconnects.

    ``after_seq`` is the resume position (from the client's cursor), or None for "now".
    The stream subscribes to its process's hub first, catches up from the database to
    the hub's head at that moment, then filters the hub's batches by its clearance.
    """
    keep_alive = settings.ACCORD_FEED_KEEPALIVE_SECONDS
    feed = hub.hub()
    # Subscribed before the first read, so every event after ``subscription.start``
    # reaches this stream through the hub.
    subscription = await feed.subscribe(session_key, user_id)
    try:
        granted: access.Clearance | None = None
        if after_seq is None:
            start = await in_feed_thread(start_position)(session_key=session_key, user_id=user_id)
            if start is None:
                return
            after_seq, granted = start.position, start.clearance
        # The opening id lets an EventSource that sees no event before a reconnect
        # still resume from here rather than from a later "now".
        yield f"retry: {RETRY_MILLISECONDS}\nid: {cursor.encode(after_seq)}\n\n".encode()
        position = after_seq
        # A resumed stream catches up from the database, through the access policy, to
        # the hub's head; one that started at "now" has nothing to catch up (see
        # ``start_position``): hundreds of streams opening at once cost one read each.
        while granted is None:
            batch = await in_feed_thread(read_batch)(
                session_key=session_key,
                user_id=user_id,
                after_seq=position,
                up_to=subscription.start,
            )
            if not batch.signed_in:
                return
            for seq, frame in batch.frames:
                yield frame
                position = seq
            if not batch.full:
                granted = batch.clearance
        # From here on the hub checks the sign-in with every read and hands over a fresh
        # clearance whenever it may have changed (and every keep-alive interval).
        last_sent = time.monotonic()
        while True:
            deliveries = await subscription.next(last_sent + keep_alive - time.monotonic())
            # Every frame of this wake-up goes out in one write: with hundreds of open
            # streams, one write per stream per wake-up rather than per event is what
            # keeps a process's fan-out cheap under a burst.
            frames: list[bytes] = []
            ended = False
            for delivery in deliveries:
                if not delivery.signed_in:
                    ended = True
                    break
                if delivery.recheck:
                    batch = await in_feed_thread(read_batch)(
                        session_key=session_key, user_id=user_id, after_seq=0, up_to=0
                    )
                    if not batch.signed_in:
                        ended = True
                        break
                    granted = batch.clearance
                if delivery.clearance is not None:
                    granted = delivery.clearance
                for item in delivery.items:
                    if item.seq > position and granted.allows(item.process_id, item.scope):
                        frames.append(item.frame)
                        position = item.seq
            if frames:
                # Only frames read while the sign-in held: a delivery that ended it
                # stopped the loop before adding any of its own.
                yield b"".join(frames)
                last_sent = time.monotonic()
            if ended:
                return
            if time.monotonic() - last_sent >= keep_alive:
                yield KEEP_ALIVE_FRAME
                last_sent = time.monotonic()
    except (asyncio.CancelledError, GeneratorExit):
        logger.debug("live feed: client of user %s disconnected", user_id)
        raise
    finally:
        feed.unsubscribe(subscription)
