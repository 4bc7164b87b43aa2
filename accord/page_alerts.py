"""Alerts every page shows beside the channels' urgent messages: a clock that ran out
for the person it concerns (a dispute stage, an access request's stage, a convening
deadline). The one registry of their sources.

Each app with such clocks provides a source (``accord/<app>/alerts.py``) registered in
its ``AppConfig.ready()``::

    page_alert_register("compliance.clock_run_out", clocks_run_out)

A source takes the person and returns the ``PageAlert``s for them, read only through
its app's selectors (so only what the access policy already lets them read), and only
for those concerned. ``channels.selectors.alerts_for`` gathers them with the channels'
own alerts and the banner of every page draws them: this module sits low (beside
``accord.attention``) so that channels need not import any app that has a clock, and
an app with a clock need not import channels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.accounts.models import User

# A page shows at most this many of them.
PAGE_ALERTS_SHOWN = 10


@dataclass(frozen=True)
class PageAlert:
    """One clock run out: a sentence saying what, a link to where to act, when it ran
    out; ``subject`` is the thing's event subject (never a row key)."""

    kind: str
    sentence: str
    url: str
    subject: str
    ran_out_at: dt.datetime


Source = Callable[["User"], Iterable[PageAlert]]

_sources: dict[str, Source] = {}


def page_alert_register(code: str, source: Source) -> None:
    """Register ``source`` under ``code`` (again: replaced, so ``ready()`` may run twice)."""
    _sources[code] = source


def page_alerts_for(actor: User | None) -> list[PageAlert]:
    """Every registered source's alerts for ``actor``, the most recent first."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    found = [alert for code in sorted(_sources) for alert in _sources[code](actor)]
    found.sort(key=lambda a: a.ran_out_at, reverse=True)
    return found[:PAGE_ALERTS_SHOWN]
