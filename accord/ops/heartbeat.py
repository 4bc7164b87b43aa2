"""The sweeper's heartbeat: when it last ran, and what it did, in the data directory.

The sweeper runs in the server's supervising process and pages are answered by its
workers, so the record is a small file they all can read (not a row: a run that changed
nothing writes no event, and a heartbeat must not grow the event log every minute).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

HEARTBEAT_FILE = "sweeper-last-run.json"


@dataclass(frozen=True)
class SweepRun:
    at: dt.datetime  # aware UTC
    changed: int  # things the sweeps changed, summed
    errors: int  # sweeps that raised


def _path() -> Path:
    return Path(settings.DATA_DIR) / HEARTBEAT_FILE


def sweep_run_record(*, at: dt.datetime, counts: dict[str, int], errors_key: str) -> None:
    """Record a run of the sweeper at ``at`` with its ``counts`` (``errors_key``: the key
    counting sweeps that raised). A failure to write is logged, never raised: the sweeps
    already ran, and the heartbeat is only their witness."""
    record = {
        "at": at.astimezone(dt.UTC).isoformat(),
        "changed": sum(n for key, n in counts.items() if key != errors_key),
        "errors": counts.get(errors_key, 0),
    }
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(record), encoding="utf-8")
        os.replace(scratch, path)  # whole or not at all, for a reader at the same moment
    except OSError:
        logger.warning("could not record the sweeper's run in %s", path, exc_info=True)


def sweep_run_last() -> SweepRun | None:
    """The sweeper's last recorded run, or None (never ran here, or unreadable)."""
    try:
        record = json.loads(_path().read_text(encoding="utf-8"))
        return SweepRun(
            at=dt.datetime.fromisoformat(record["at"]),
            changed=int(record["changed"]),
            errors=int(record["errors"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
