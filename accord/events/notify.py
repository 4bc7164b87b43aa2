"""How a commit announces new events: the NOTIFY channel and this process's own bell.

The lowest piece of the live feed's wake-up, below both the log's append
(``services.events_append`` notifies on ``NOTIFY_CHANNEL`` and rings this process's
waiters on commit) and the listener that waits for it (``wakeup``), so that neither
imports the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Protocol

NOTIFY_CHANNEL = "accord_events"


class Ringable(Protocol):
    def ring(self) -> None: ...


# Every subscribed waiter of this process with its event loop, for ``ring_local``.
# Written from event loops, read from the threads that commit events: hence the lock.
_local_waiters: dict[Ringable, asyncio.AbstractEventLoop] = {}
_local_lock = threading.Lock()


def local_add(waiter: Ringable, loop: asyncio.AbstractEventLoop) -> None:
    """Ring ``waiter`` (in ``loop``) whenever this process commits an event."""
    with _local_lock:
        _local_waiters[waiter] = loop


def local_discard(waiter: Ringable) -> None:
    with _local_lock:
        _local_waiters.pop(waiter, None)


def ring_local() -> None:
    """Wake this process's waiters: it has just committed an event (``event_append``).

    The appending process need not wait for a poll (SQLite) or for its own NOTIFY to
    come back (PostgreSQL); other processes still learn of the event that way.
    Safe to call from any thread.
    """
    with _local_lock:
        waiters = list(_local_waiters.items())
    for waiter, loop in waiters:
        with contextlib.suppress(RuntimeError):  # that loop has closed meanwhile
            loop.call_soon_threadsafe(waiter.ring)
