"""The security app's reads: the security events and the current lockouts, bounded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from accord.security import access
from accord.security.models import SecurityEvent

if TYPE_CHECKING:
    from accord.accounts.access import Someone

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class EventsPage:
    events: list[SecurityEvent]
    # The cursor of the next (older) page: the public id of the last event shown.
    older: str | None


def security_events_page(
    *, viewer: Someone, before: str | None = None, limit: int = PAGE_SIZE, kind: str = ""
) -> EventsPage:
    """The newest security events (older than the event ``before``), at most ``limit``."""
    from accord.public_ids import parse_public_id

    rows = access.security_event_rows(viewer)
    if kind:
        rows = rows.filter(kind=kind)
    anchor_id = parse_public_id(before) if before else None
    if anchor_id is not None:
        anchor = SecurityEvent.objects.filter(public_id=anchor_id).first()
        if anchor is not None:
            rows = rows.filter(id__lt=anchor.id)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    events = list(rows.order_by("-id")[: limit + 1])
    older = str(events[limit - 1].public_id) if len(events) > limit else None
    return EventsPage(events=events[:limit], older=older)


@dataclass(frozen=True)
class Lockout:
    username: str
    address: str | None
    failures: int
    last_at: dt.datetime


def lockouts(*, viewer: Someone) -> list[Lockout]:
    """Accounts and addresses that are locked out now (at the failure limit, within the
    cool-off)."""
    from axes.models import AccessAttempt

    access.security_event_rows(viewer)  # the same who-may as the events
    limit = int(settings.AXES_FAILURE_LIMIT)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    found: dict[tuple[str, Any], Lockout] = {}
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time")
    by_user: dict[str, int] = {}
    by_address: dict[str, int] = {}
    rows = list(attempts[:1000])
    for row in rows:
        by_user[row.username or ""] = by_user.get(row.username or "", 0) + row.failures_since_start
        by_address[row.ip_address or ""] = (
            by_address.get(row.ip_address or "", 0) + row.failures_since_start
        )
    for row in rows:
        if by_user.get(row.username or "", 0) >= limit and row.username:
            key = ("user", row.username)
            found.setdefault(
                key, Lockout(row.username, None, by_user[row.username], row.attempt_time)
            )
        if by_address.get(row.ip_address or "", 0) >= limit and row.ip_address:
            key = ("address", row.ip_address)
            found.setdefault(
                key, Lockout("", row.ip_address, by_address[row.ip_address], row.attempt_time)
            )
    return list(found.values())[:PAGE_SIZE]
