"""``accord backup FILE`` and ``accord restore FILE``: the whole record, and back.

A backup is one ``.tar`` file holding the database and a manifest:

- ``manifest.json`` — format, engine, when it was taken, and the event log's head
  (count and hash of the newest event) at that moment;
- ``database.sqlite3`` — a consistent copy taken with SQLite's online backup API
  while the server keeps running, or
- ``database.pgdump`` — ``pg_dump --format=custom`` of the PostgreSQL database (one
  snapshot: consistent while the server keeps writing).

A restore loads it into the configured database (SQLite: the online backup API in the
other direction; PostgreSQL: ``pg_restore --clean``), then walks the event log's hash
chain and compares its head with the manifest's: a restore that does not verify says
so and exits non-zero.

The installation's secrets are *not* in a backup (a backup file travels further than a
secret should): restore onto an installation that has the same ``ACCORD_*_SECRET``
values — the demo's ``secrets.json`` — or the channels' signing keys cannot be opened.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections
from django.utils import timezone

from accord.events.audit import audit_verify
from accord.events.models import Event

FORMAT = "accord-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"


class BackupFailed(Exception):
    """The backup or restore did not happen; the message is one sentence."""


@dataclass(frozen=True)
class Head:
    events: int
    hash: str | None


def _head() -> Head:
    newest = Event.objects.order_by("-seq").values_list("seq", "hash").first()
    return Head(events=newest[0], hash=newest[1]) if newest else Head(events=0, hash=None)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupFailed(f"Backups cover SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from Django's settings, password apart."""
    config = connection.settings_dict
    options = ["--dbname", str(config["NAME"])]
    if config.get("HOST"):
        options += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        options += ["--port", str(config["PORT"])]
    if config.get("USER"):
        options += ["--username", str(config["USER"])]
    environment = {"PGPASSWORD": str(config["PASSWORD"])} if config.get("PASSWORD") else {}
    return options, environment


def _run(program: str, arguments: list[str], environment: dict[str, str]) -> None:
    path = shutil.which(program)
    if path is None:
        raise BackupFailed(
            f"{program} is not installed: install PostgreSQL's client programs "
            f"(Debian: postgresql-client) of the server's version or newer."
        )
    # The program found on PATH, its arguments built from Django's database settings.
    done = subprocess.run(  # noqa: S603
        [path, *arguments],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupFailed(f"{program} failed: {detail}")


def backup_write(target: Path) -> Head:
    """Write a backup of the configured database to ``target``; return the head it holds."""
    engine = _engine()
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / (SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER)
        if engine == "sqlite":
            source = sqlite3.connect(str(connection.settings_dict["NAME"]))
            destination = sqlite3.connect(str(copy))
            try:
                with destination:
                    source.backup(destination)
                # The head as the copy holds it, not as the live log may have grown since.
                row = destination.execute(
                    "SELECT seq, hash FROM events_event ORDER BY seq DESC LIMIT 1"
                ).fetchone()
            finally:
                destination.close()
                source.close()
            head = Head(events=row[0], hash=row[1]) if row else Head(events=0, hash=None)
        else:
            options, environment = _postgres_environment()
            # Taken before the dump: the dump holds at least this head (the check after
            # a restore compares the restored log with the manifest's head, at or after).
            head = _head()
            _run("pg_dump", [*options, "--format=custom", "--file", str(copy)], environment)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "taken_at": timezone.now().isoformat(timespec="seconds"),
            "events": head.events,
            "head_hash": head.hash,
        }
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w") as archive:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                archive.add(copy, arcname=copy.name)
            partial.replace(target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise BackupFailed(
                f"Cannot write the backup to {target}: {error.strerror or error}."
            ) from None
    return head


def _manifest(archive: tarfile.TarFile, source: Path) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupFailed(f"{source} is not an Accord backup (no {FORMAT} manifest).")
    return manifest


def _backup_open(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source)
    except (OSError, tarfile.TarError) as error:
        raise BackupFailed(f"{source} is not a readable backup: {error}.") from None


def backup_restore(source: Path, *, replace: bool) -> tuple[Head, int]:
    """Load ``source`` into the configured database; return (restored head, verified)."""
    engine = _engine()
    if not replace and Event.objects.exists():
        raise BackupFailed(
            "The database already holds an event log: a restore replaces everything in "
            "it; run again with --replace if that is what you want."
        )
    with _backup_open(source) as archive, tempfile.TemporaryDirectory() as work:
        manifest = _manifest(archive, source)
        if manifest.get("engine") != engine:
            raise BackupFailed(
                f"{source} is a backup of a {manifest.get('engine')} database and this "
                f"installation runs on {engine}: restore it onto the same engine."
            )
        member = SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER
        try:
            archive.extract(member, work, filter="data")
        except (KeyError, tarfile.TarError) as error:
            raise BackupFailed(f"{source} does not hold {member}: {error}.") from None
        copy = Path(work) / member
        if engine == "sqlite":
            # Every connection of this process closed first: the backup API replaces
            # the destination's pages under whoever holds it open.
            connections.close_all()
            backup = sqlite3.connect(str(copy))
            live = sqlite3.connect(str(connection.settings_dict["NAME"]))
            try:
                with live:
                    backup.backup(live)
            finally:
                live.close()
                backup.close()
        else:
            connections.close_all()
            options, environment = _postgres_environment()
            _run(
                "pg_restore",
                [*options, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 str(copy)],
                environment,
            )  # fmt: skip
    verified, problem = audit_verify()
    if problem is not None:
        raise BackupFailed(
            f"The restored event log does not verify at sequence number {problem.seq}: "
            f"{problem.reason}; do not serve from it."
        )
    head = _head()
    expected = int(manifest["events"])
    if expected:
        stored = Event.objects.filter(seq=expected).values_list("hash", flat=True).first()
        if stored is None:
            raise BackupFailed(
                f"The restored event log ends at event {head.events}, but the backup's "
                f"manifest names event {expected}: the backup file is damaged or incomplete."
            )
        if stored != manifest["head_hash"]:
            raise BackupFailed(
                f"Event {expected} of the restored log does not have the hash the backup's "
                f"manifest names: the backup file is damaged or was altered."
            )
    return head, verified
