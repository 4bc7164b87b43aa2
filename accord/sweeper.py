"""The one deadline sweeper: apply every consequence whose deadline has passed.

Deadlines are data (indexed columns); a *sweep* is a service that finds the overdue
rows and applies their consequence exactly once, so running the sweeper again, or
after a crash half-way, is always safe. ``accord serve`` runs it periodically and
``accord sweep`` once.

A sweep is a function registered by dotted path in ``SWEEPS`` (or the
``ACCORD_SWEEPS`` setting). It takes one keyword argument, ``now`` (aware UTC
datetime) or ``today`` (the UTC date), and returns how many things it changed.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from accord.ops.heartbeat import sweep_run_record

logger = logging.getLogger(__name__)

# In order: a later sweep may act on what an earlier one flagged.
SWEEPS: tuple[str, ...] = (
    "accord.process.services.milestones_flag_overdue",
    "accord.channels.services.link_tests_send_due",
    "accord.channels.services.messages_escalate_unacknowledged",
    "accord.divergences.services.divergences_escalate_overdue",
    "accord.compliance.services.access_requests_advance_overdue",
    "accord.compliance.services.disputes_advance_overdue",
    "accord.incidents.services.incidents_sync_acknowledged",
    "accord.incidents.services.incidents_refer_overdue",
    "accord.deconfliction.services.notifications_sweep",
    "accord.deconfliction.services.receipts_escalate_unacknowledged",
    "accord.meetings.services.action_items_flag_overdue",
)

# Key of the result that counts sweeps that raised (sweep keys are dotted paths).
ERRORS = "errors"


def registered_sweeps() -> Sequence[str]:
    return tuple(getattr(settings, "ACCORD_SWEEPS", SWEEPS))


def _call(sweep: Callable[..., Any], now: dt.datetime) -> int:
    parameters = inspect.signature(sweep).parameters
    if "now" in parameters:
        return int(sweep(now=now))
    return int(sweep(today=now.date()))


def run_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every registered sweep once, in order; return {dotted path: count, "errors": n}.

    ``now``: aware datetime, default the current time. A sweep that raises is logged
    and counted under ``"errors"`` (it has no count of its own); the others still run.
    """
    now = (now or timezone.now()).astimezone(dt.UTC)
    counts: dict[str, int] = {}
    errors = 0
    for path in registered_sweeps():
        try:
            counts[path] = _call(import_string(path), now)
        except Exception:
            errors += 1
            logger.exception("sweep %s failed", path)
    counts[ERRORS] = errors
    sweep_run_record(at=now, counts=counts, errors_key=ERRORS)  # for the operator's page
    return counts


class SweeperLease:
    """Which of several ``accord serve`` processes runs the sweeper: exactly one.

    Sweeps are safe to repeat (each consequence is applied once, under row locks), but
    N servers sweeping every interval would do N times the work and race for the same
    rows. So each server's sweeper thread first takes the lease, and only its holder
    sweeps; the others keep trying every interval and take over when the holder goes.

    - PostgreSQL (several hosts): a session-level advisory lock held on a connection of
      its own, outside Django's pool. A holder that dies or loses its host closes that
      connection (TCP keepalives catch a silent network loss), the server releases the
      lock, and the next try elsewhere wins it. The holder checks its connection before
      each sweep, so a lease lost to a restarted database is noticed, not assumed.
    - SQLite (one machine): an exclusive ``flock`` on a file in the data directory,
      released by the kernel when the holder's process ends.
    """

    # pg_advisory_lock's key: any fixed 64-bit number no other program on the database uses.
    ADVISORY_KEY = 0x4143_434F_5244_5357  # "ACCORDSW"

    def __init__(self) -> None:
        self._connection: Any = None
        self._file: Any = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def acquire(self) -> bool:
        """Hold the lease after this call if possible; True if held (already or now)."""
        from django.db import connection

        if connection.vendor == "postgresql":
            return self._acquire_postgres()
        return self._acquire_file()

    def _acquire_postgres(self) -> bool:
        import psycopg

        if self._connection is not None:
            try:
                self._connection.execute("SELECT 1")
                return True
            except psycopg.Error:
                logger.warning("sweeper lease lost with its database connection")
                self.release()
        from django.db import connection

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        try:
            held = psycopg.connect(
                **params,
                autocommit=True,
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=3,
                connect_timeout=5,
            )
            won = held.execute("SELECT pg_try_advisory_lock(%s)", [self.ADVISORY_KEY]).fetchone()
        except psycopg.Error:
            logger.exception("sweeper lease: the database did not answer")
            return False
        if won and won[0]:
            self._connection = held
            logger.info("sweeper lease taken: this process runs the deadline sweeper")
            return True
        held.close()
        return False

    def _acquire_file(self) -> bool:
        import fcntl
        from pathlib import Path

        if self._file is not None:
            return True
        path = Path(settings.DATA_DIR) / "sweeper.lock"
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None
