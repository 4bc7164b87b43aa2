"""How a waiting live-feed stream learns that new events may exist.

A process that commits an event wakes its own waiters at once (``notify.ring_local``, called
by ``event_append`` on commit). Appends by other processes (other ``--workers``, the
sweeper command, a shell): on PostgreSQL one listener per event loop (so one per server
process) holds a single connection doing ``LISTEN accord_events`` and wakes every
subscribed waiter on each notification (``event_append`` notifies at commit); on SQLite,
and on PostgreSQL while that listener is down, waiting is a poll of
``ACCORD_FEED_POLL_SECONDS``.

Its one subscriber per event loop is the feed's reader (``hub``). A wake-up only says
"look again": the reader re-reads the log after its own head, so a spurious or lost
wake-up costs latency, never correctness.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connections

from accord.events import notify
from accord.events.notify import NOTIFY_CHANNEL

logger = logging.getLogger(__name__)

RECONNECT_MIN_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 30.0
# An idle LISTEN connection is pinged this often, so a dead one is noticed and replaced.
PING_SECONDS = 30.0

# Keys of a Django OPTIONS dict that are not libpq connection parameters.
_DJANGO_ONLY_OPTIONS = frozenset(
    {"isolation_level", "server_side_binding", "pool", "assume_role", "cursor_factory", "context"}
)


def _connection_kwargs() -> dict[str, Any]:
    """Return psycopg parameters for the default database, read now, not at import.

    Read at call time because the test runner renames the database after import.
    """
    db = connections["default"].settings_dict
    params: dict[str, Any] = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": str(db["PORT"]) if db.get("PORT") else None,
    }
    params.update(
        (key, value)
        for key, value in (db.get("OPTIONS") or {}).items()
        if key not in _DJANGO_ONLY_OPTIONS
    )
    # Named, so operators (and tests) can tell this connection apart in pg_stat_activity.
    params.setdefault("application_name", "accord-live-feed")
    return {key: value for key, value in params.items() if value is not None}


class Waiter:
    """The feed reader's doorbell (one per hub). Rings from the moment it is subscribed.

    Subscribe *before* reading the log: a notification that arrives while the reader
    is reading then makes the next ``wait`` return at once instead of being lost.
    """

    def __init__(self, listener: _Listener | None) -> None:
        self._listener = listener
        self._rung = asyncio.Event()

    def ring(self) -> None:
        self._rung.set()

    async def wait(self, timeout: float) -> None:
        """Return when new events may exist, or after ``timeout`` seconds at the latest."""
        if self._listener is None or not self._listener.listening:
            timeout = min(timeout, settings.ACCORD_FEED_POLL_SECONDS)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._rung.wait()
        self._rung.clear()


class _Listener:
    """The single ``LISTEN`` connection of one event loop and the waiters it wakes."""

    def __init__(self) -> None:
        self.listening = False
        self.waiters: set[Waiter] = set()
        task = asyncio.get_running_loop().create_task(self._run(), name="accord-listen")
        # Held here rather than on the listener, so that the listener does not keep its
        # loop (the key of ``_listeners``) alive after that loop has closed.
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    def ring_all(self) -> None:
        for waiter in self.waiters:
            waiter.ring()

    async def _run(self) -> None:
        import psycopg

        backoff = RECONNECT_MIN_SECONDS
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **_connection_kwargs(), autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.listening = True
                    backoff = RECONNECT_MIN_SECONDS
                    # Events appended while nobody listened were announced to no one.
                    self.ring_all()
                    while True:
                        async for _notify in conn.notifies(timeout=PING_SECONDS):
                            self.ring_all()
                        await conn.execute("SELECT 1")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning(
                    "live feed: LISTEN %s failed (%s); polling, retrying in %.1f s",
                    NOTIFY_CHANNEL,
                    exc,
                    backoff,
                )
            finally:
                if self.listening:
                    self.listening = False
                    # Waiters sleeping on a long timeout must switch to polling now.
                    self.ring_all()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, RECONNECT_MAX_SECONDS)


_tasks: set[asyncio.Task[None]] = set()

# One listener per event loop: a server process runs one loop, while tests start and
# stop servers (and so loops) many times in one process.
_listeners: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Listener] = (
    weakref.WeakKeyDictionary()
)


def _listener() -> _Listener | None:
    if connections["default"].vendor != "postgresql":
        return None
    loop = asyncio.get_running_loop()
    listener = _listeners.get(loop)
    if listener is None:
        listener = _listeners[loop] = _Listener()
    return listener


@contextlib.contextmanager
def subscribe() -> Iterator[Waiter]:
    """Yield a ``Waiter`` for the duration of a stream. Call from inside the event loop."""
    listener = _listener()
    waiter = Waiter(listener)
    if listener is not None:
        listener.waiters.add(waiter)
    notify.local_add(waiter, asyncio.get_running_loop())
    try:
        yield waiter
    finally:
        notify.local_discard(waiter)
        if listener is not None:
            listener.waiters.discard(waiter)
