"""Times of sessions in people's zones (pure: zoneinfo only, no Django).

Storage is aware UTC; a session is shown in the venue's zone and in the viewer's zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def zone_valid(name: str) -> bool:
    """Is ``name`` an IANA time zone this machine knows?"""
    if not name or len(name) > 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in _known_zones() or name == "UTC"


_ZONES: frozenset[str] | None = None


def _known_zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def venue_to_utc(local: dt.datetime, zone: str) -> dt.datetime:
    """Read ``local`` as a wall-clock time at the venue (if naive) and return it in UTC.

    An aware ``local`` keeps its own offset. A wall-clock time that falls in a
    daylight-saving gap or fold takes the first reading (``fold=0``).
    """
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def _offset(moment: dt.datetime) -> str:
    delta = moment.utcoffset() or dt.timedelta(0)
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


@dataclass(frozen=True)
class LocalSpan:
    """A session's start and end on one zone's wall clock."""

    zone: str
    starts: dt.datetime
    ends: dt.datetime

    @property
    def city(self) -> str:
        return self.zone.rsplit("/", 1)[-1].replace("_", " ")

    @property
    def offset(self) -> str:
        return _offset(self.starts)

    @property
    def label(self) -> str:
        """``Thu 11 Mar 2027, 12:30-14:30 (Tehran, UTC+03:30)`` (an en dash, not a hyphen)."""
        start = self.starts.strftime("%a %d %b %Y, %H:%M")
        if self.ends.date() == self.starts.date():
            end = self.ends.strftime("%H:%M")
        else:
            end = self.ends.strftime("%a %d %b %H:%M")
        return f"{start}\u2013{end} ({self.city}, {self.offset})"


def span_in(starts_at: dt.datetime, ends_at: dt.datetime, zone: str) -> LocalSpan:
    """``starts_at``/``ends_at`` (aware) on the wall clock of ``zone``; UTC if unknown."""
    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone, tz = "UTC", ZoneInfo("UTC")
    return LocalSpan(zone=zone, starts=starts_at.astimezone(tz), ends=ends_at.astimezone(tz))
