"""One reader per event loop that fans the event log out to the open live-feed streams.

A server process runs one event loop, so it reads each new event once, whatever the
number of open streams: a single task, woken by ``wakeup`` (NOTIFY on PostgreSQL, a
poll on SQLite), reads the events after its own head unfiltered, renders each frame
once, and then checks every subscribed sign-in in bulk (sessions, users) and, once per
user rather than per stream, recomputes the clearances that may have changed. Each stream
gets the batch (and any fresh clearance) and filters it in memory: no query per stream
per event. Every keep-alive interval the hub checks even without new events, so streams
never re-check on their own once open.

The sign-ins are checked *after* the read, so every event handed to a stream as
"signed in" was committed while that sign-in was still valid: an event appended after
a sign-out, an expiry, a password change or a deactivation is never sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import weakref
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accord.accounts import access
from accord.events import wakeup
from accord.events.feed_threads import counters, in_feed_thread
from accord.events.frames import event_frame
from accord.events.models import Event
from accord.events.signin import signed_in_user

logger = logging.getLogger(__name__)

HUB_BATCH_SIZE = 500
# How long the reader sleeps without a wake-up; on SQLite (and PostgreSQL while its
# listener is down) ``Waiter.wait`` shortens this to ACCORD_FEED_POLL_SECONDS.
IDLE_SECONDS = 60.0
DB_SESSION_ENGINE = "django.contrib.sessions.backends.db"


@dataclass(frozen=True)
class Item:
    """One new event, rendered once for every stream."""

    seq: int
    process_id: int | None
    scope: str
    frame: bytes


@dataclass
class Delivery:
    items: list[Item]
    # False: the sign-in ended; the stream must end without sending these items.
    signed_in: bool = True
    # The stream's user's clearance, computed afresh with this read: the stream filters
    # with it from now on. None: unchanged.
    clearance: access.Clearance | None = None
    # True: the stream subscribed while this read was in flight, so its sign-in was not
    # part of the check; it checks on its own before filtering the items.
    recheck: bool = False


@dataclass(eq=False)
class Subscription:
    session_key: str
    user_id: Any
    # The hub head when subscribed: later events come through ``next``, earlier ones
    # the stream reads itself.
    start: int = 0
    _pending: list[Delivery] = field(default_factory=list)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)

    def put(self, delivery: Delivery) -> None:
        self._pending.append(delivery)
        self._ready.set()

    async def next(self, timeout: float) -> list[Delivery]:
        """Return the deliveries since the last call, waiting up to ``timeout`` seconds."""
        if not self._pending:
            # ``asyncio.timeout``, not ``wait_for``: no extra task per wait, which counts
            # when hundreds of streams wake for every batch.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, timeout)):
                    await self._ready.wait()
        self._ready.clear()
        deliveries, self._pending = self._pending, []
        return deliveries


def log_head() -> int:
    """Return the newest sequence number in the log. Internal only: never sent to a client."""
    head = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    return head or 0


def _start_closing() -> tuple[int, tuple[Any, ...]]:
    try:
        return log_head(), clearance_fingerprint()
    finally:
        close_old_connections()


def clearance_fingerprint() -> tuple[Any, ...]:
    """A value that changes whenever appointments or delegations are added or removed.

    One statement (one snapshot, one round trip): the hub asks with every read.
    """
    from accord.accounts.models import Appointment
    from accord.process.models import Delegation

    appointments = connection.ops.quote_name(Appointment._meta.db_table)
    delegations = connection.ops.quote_name(Delegation._meta.db_table)
    # Table names from the models, never from input; the columns are Django's defaults.
    sql = (
        "SELECT COUNT(*), MAX(id), SUM(user_id), SUM(body_id), SUM(mechanism_id), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {delegations}), (SELECT MAX(id) FROM {delegations}) "
        f"FROM {appointments}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


@dataclass
class KnownSession:
    """What the sign-in check learnt from one stored session, kept between reads."""

    # The session's stored text: the facts below hold while it is unchanged.
    data: str
    # From the decoded session: the user id (as text), the backend and the auth hash.
    user_id: str
    backend: Any
    auth_hash: str
    # The last verdict and what it was reached with: (stream's user id, that user's
    # current auth hashes). Checked again only when either changes.
    verdict_for: tuple[Any, tuple[str, ...]] | None = None
    verdict: bool = False


def _session_rows(keys: set[str]) -> dict[str, str]:
    """{session_key: session_data} of the unexpired database sessions among ``keys``.

    The keys go as one parameter (an array on PostgreSQL, a JSON list on SQLite), not
    one each: with hundreds of open streams, an ``IN`` of hundreds of placeholders cost
    more to build, convert and plan than the rest of the hub's read together, and its
    text changed with every stream that opened or closed (never a prepared statement).
    """
    from django.contrib.sessions.models import Session

    listed: Any
    if connection.vendor == "postgresql":
        among, listed = "= ANY(%s)", sorted(keys)
    else:
        among, listed = "IN (SELECT value FROM json_each(%s))", json.dumps(sorted(keys))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Session._meta.db_table)
    # The table name from Django's model, never from input; the keys are a parameter.
    sql = (
        f"SELECT session_key, session_data FROM {table} "  # noqa: S608
        f"WHERE session_key {among} AND expire_date > %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [listed, now])
        return dict(cursor.fetchall())


def _signed_in_many(
    pairs: list[tuple[str, Any]], known: dict[str, KnownSession]
) -> tuple[dict[Any, Any], set[tuple[str, Any]]]:
    """Return ({user_id: user}, the (session_key, user_id) pairs still signed in).

    Two queries for all streams with database sessions; otherwise one look-up per pair.
    Mirrors ``auth.get_user``: the session names the user and a configured backend, the
    user is active, and the session's auth hash matches the user's current one.
    ``known`` keeps what each session said, by session key: a session is decoded (a
    signature check and a JSON parse) only when its stored text changed, and compared
    with its user's auth hashes only when the text or those hashes changed, not on every
    read. Both rows are read afresh every time: a sign-out, an expiry, a password change
    or a deactivation is seen by the next read.
    """
    user_model = get_user_model()
    user_ids = {user_id for _, user_id in pairs}
    users = {
        user.pk: user
        for user in user_model.objects.filter(pk__in=user_ids).select_related("delegation")
    }
    engine = import_module(settings.SESSION_ENGINE)
    if settings.SESSION_ENGINE != DB_SESSION_ENGINE:
        valid = {pair for pair in pairs if signed_in_user(*pair) is not None}
        return users, valid
    rows = _session_rows({key for key, _ in pairs})
    # Sessions no longer asked about (or gone) leave the cache.
    for key in known.keys() - rows.keys():
        del known[key]
    store = engine.SessionStore()
    current_hashes = {
        pk: (user.get_session_auth_hash(), *user.get_session_auth_fallback_hash())
        for pk, user in users.items()
        if user.is_active
    }
    valid = set()
    for key, user_id in pairs:
        data = rows.get(key)
        hashes = current_hashes.get(user_id)
        if data is None or hashes is None:
            continue
        session = known.get(key)
        if session is None or session.data != data:
            decoded = store.decode(data)
            session = known[key] = KnownSession(
                data=data,
                user_id=str(decoded.get(auth.SESSION_KEY)),
                backend=decoded.get(auth.BACKEND_SESSION_KEY),
                auth_hash=decoded.get(auth.HASH_SESSION_KEY) or "",
            )
        if session.verdict_for != (user_id, hashes):
            session.verdict = (
                session.user_id == str(user_id)
                and session.backend in settings.AUTHENTICATION_BACKENDS
                and any(constant_time_compare(session.auth_hash, h) for h in hashes)
            )
            session.verdict_for = (user_id, hashes)
        if session.verdict:
            valid.add((key, user_id))
    return users, valid


@dataclass
class _Read:
    items: list[Item]
    # Whether the sign-ins were checked (and clearances brought up to date) with it.
    checked: bool
    valid: set[tuple[str, Any]] = field(default_factory=set)
    fingerprint: tuple[Any, ...] | None = None
    # Clearances computed afresh, by user id; the others are unchanged.
    clearances: dict[Any, access.Clearance] = field(default_factory=dict)
    # Each checked user's delegation id, by user id.
    delegations: dict[Any, Any] = field(default_factory=dict)


def _read(
    after_seq: int,
    pairs: list[tuple[str, Any]],
    sessions: dict[str, KnownSession],
    known: dict[Any, Any],
    fingerprint: tuple[Any, ...] | None,
    force: bool,
) -> _Read:
    """Read the events after ``after_seq``; if any (or ``force``), check every sign-in.

    ``known`` maps the users whose clearance the hub holds to their delegation id then:
    a clearance is computed afresh for a user not in it, one whose delegation changed,
    and for everyone when what clearances are computed from changed (``fingerprint``)
    or on ``force`` (the periodic check). One computation per user, not per stream.
    """
    try:
        events = list(
            Event.objects.filter(seq__gt=after_seq)
            .select_related("actor")
            .order_by("seq")[:HUB_BATCH_SIZE]
        )
        if not events and not force:
            return _Read([], checked=False)
        if events:
            counters.hub_reads += 1
        items = [Item(e.seq, e.process_id, e.scope, event_frame(e)) for e in events]
        # After the read: see the module docstring.
        users, valid = _signed_in_many(pairs, sessions)
        now_fingerprint = clearance_fingerprint()
        everyone = force or now_fingerprint != fingerprint
        delegations = {pk: getattr(user, "delegation_id", None) for pk, user in users.items()}
        clearances = {
            pk: access.clearance(user)
            for pk, user in users.items()
            if everyone or pk not in known or known[pk] != delegations[pk]
        }
        return _Read(items, True, valid, now_fingerprint, clearances, delegations)
    finally:
        close_old_connections()


class Hub:
    """The reader of one event loop and the streams it feeds."""

    def __init__(self) -> None:
        self.head: int | None = None
        self.subscriptions: set[Subscription] = set()
        self._fingerprint: tuple[Any, ...] | None = None
        # The delegation id of each user whose clearance the streams hold (see ``_read``).
        self._known: dict[Any, Any] = {}
        self._checked_at = time.monotonic()
        # Decoded sessions of the subscribers, by session key (see ``_signed_in_many``).
        self._sessions: dict[str, KnownSession] = {}
        self._running = False

    async def subscribe(self, session_key: str, user_id: Any) -> Subscription:
        if self.head is None:
            head, fingerprint = await in_feed_thread(_start_closing)()
            if self.head is None:
                self.head, self._fingerprint = head, fingerprint
        subscription = Subscription(session_key=session_key, user_id=user_id, start=self.head)
        self.subscriptions.add(subscription)
        if not self._running:
            self._running = True
            task = asyncio.get_running_loop().create_task(self._run(), name="accord-hub")
            # Held in a module set rather than on the hub, so that the hub does not keep
            # its loop (the key of ``_hubs``) alive after that loop has closed.
            _tasks.add(task)
            task.add_done_callback(_tasks.discard)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.subscriptions.discard(subscription)

    async def _run(self) -> None:
        try:
            with wakeup.subscribe() as waiter:
                keep_alive = settings.ACCORD_FEED_KEEPALIVE_SECONDS
                while self.subscriptions:
                    read_at = time.monotonic()
                    try:
                        # Every keep-alive interval the sign-ins and clearances are
                        # checked even without new events: expiries, edits in place.
                        full = await self._read_and_fan_out(
                            force=read_at - self._checked_at >= keep_alive
                        )
                    except Exception:
                        logger.exception("live feed: the hub failed to read the event log")
                        full = False
                        await asyncio.sleep(settings.ACCORD_FEED_POLL_SECONDS)
                    if not full and self.subscriptions:
                        due = self._checked_at + keep_alive - time.monotonic()
                        await waiter.wait(max(0.0, min(IDLE_SECONDS, due)))
                    # Under a burst, one read (and one write per stream) per batch window
                    # instead of one per event: a little latency for much less work.
                    window = read_at + settings.ACCORD_FEED_BATCH_SECONDS - time.monotonic()
                    if window > 0:
                        await asyncio.sleep(window)
        finally:
            self._running = False

    async def _read_and_fan_out(self, *, force: bool = False) -> bool:
        """Read once after the head and hand the events to every stream; True if full."""
        assert self.head is not None
        asked = {(s.session_key, s.user_id): s for s in self.subscriptions}
        users = {user_id for _, user_id in asked}
        known = {pk: delegation for pk, delegation in self._known.items() if pk in users}
        read = await in_feed_thread(_read)(
            self.head, list(asked), self._sessions, known, self._fingerprint, force
        )
        if not read.checked:
            return False
        # From here to the end no await: the head moves and every current subscriber
        # gets the batch at once, so a new subscriber's ``start`` is exact.
        if read.items:
            self.head = read.items[-1].seq
        self._checked_at = time.monotonic()
        self._fingerprint = read.fingerprint
        self._known = {pk: read.delegations[pk] for pk in users if pk in read.delegations}
        for subscription in self.subscriptions:
            pair = (subscription.session_key, subscription.user_id)
            if pair not in asked:
                # Subscribed during the read: its sign-in was not part of the check.
                if read.items:
                    subscription.put(Delivery(read.items, recheck=True))
                continue
            if pair not in read.valid:
                subscription.put(Delivery([], signed_in=False))
                continue
            fresh = read.clearances.get(subscription.user_id)
            if read.items or fresh is not None:
                subscription.put(Delivery(read.items, clearance=fresh))
        return len(read.items) >= HUB_BATCH_SIZE


_tasks: set[asyncio.Task[None]] = set()

# One hub per event loop: a server process runs one loop, while tests start and stop
# servers (and so loops) many times in one process.
_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """Return the hub of the running event loop."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = Hub()
    return found


def live_connections() -> int:
    """Live-feed streams open in this process, over every hub (one per event loop): what
    the operator's page shows for the worker that answered it."""
    return sum(len(found.subscriptions) for found in list(_hubs.values()))
