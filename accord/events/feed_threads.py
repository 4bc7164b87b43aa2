"""Where the live feed reads the database, and how often it did.

Shared by the hub (one reader per event loop) and the streams (their own catch-up and
re-checks), below both, so that neither imports the other for them.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from asgiref.sync import sync_to_async

R = TypeVar("R")

# The live feed's database reads (the hub's and the streams' catch-up and re-checks) run
# in these few threads, whose connections persist (CONN_MAX_AGE), instead of a thread and
# a connection per open stream: hundreds of streams opening at once queue here rather
# than opening hundreds of connections.
_feed_threads = ThreadPoolExecutor(
    int(os.environ.get("ACCORD_FEED_READ_THREADS", "2")), thread_name_prefix="accord-feed"
)


def in_feed_thread(function: Callable[..., R]) -> Callable[..., Awaitable[R]]:
    """``function`` as an awaitable run in one of the live feed's reading threads."""
    return sync_to_async(function, thread_sensitive=False, executor=_feed_threads)


@dataclass
class Counters:
    """How often the log was read, for tests and benchmarks (one process)."""

    # Reads of new events by the hubs (one per wake-up that found events).
    hub_reads: int = 0
    # Reads done by one stream on its own: finding "now" or catching up when it opens,
    # and a check when it subscribed while a hub read was in flight.
    stream_reads: int = 0


counters = Counters()
