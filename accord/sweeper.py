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
