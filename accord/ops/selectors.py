"""What the operator's page reads: the server's health. People: ``accounts.selectors``."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from accord.events.hub import live_connections
from accord.ops.heartbeat import SweepRun, sweep_run_last

# A sweeper that has not run for this long is shown as late (it runs every minute).
SWEEPER_LATE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class DatabaseHealth:
    reachable: bool
    engine: str  # "sqlite", "postgresql"
    version: str


@dataclass(frozen=True)
class DiskHealth:
    path: Path
    free_bytes: int
    total_bytes: int

    @property
    def free_percent(self) -> int:
        return round(100 * self.free_bytes / self.total_bytes) if self.total_bytes else 0


@dataclass(frozen=True)
class Health:
    database: DatabaseHealth
    sweeper: SweepRun | None
    sweeper_late: bool
    live_connections: int  # live-feed streams open on the worker that answered
    disk: DiskHealth | None


def _database() -> DatabaseHealth:
    engine = connection.vendor
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return DatabaseHealth(reachable=False, engine=engine, version="")
    return DatabaseHealth(reachable=True, engine=engine, version=_version(engine))


def _version(engine: str) -> str:
    if engine == "sqlite":
        return sqlite3.sqlite_version
    number = getattr(connection, "pg_version", None)  # 160002 for 16.2
    if isinstance(number, int):
        return f"{number // 10000}.{number % 10000}"
    return ""


def _disk() -> DiskHealth | None:
    path = Path(settings.DATA_DIR)
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return None
    return DiskHealth(path=path, free_bytes=usage.free, total_bytes=usage.total)


def server_health(*, now: dt.datetime | None = None) -> Health:
    """The database (reachable, engine), the sweeper's last run, the live connections of
    this worker and the free space of the data directory, as of ``now``."""
    now = now or timezone.now()
    sweeper = sweep_run_last()
    return Health(
        database=_database(),
        sweeper=sweeper,
        sweeper_late=sweeper is None or now - sweeper.at > SWEEPER_LATE,
        live_connections=live_connections(),
        disk=_disk(),
    )
