"""Sessions as iCalendar (RFC 5545), built with the ``icalendar`` library.

Precondition for every function here: the sessions passed in were read through
``meetings.selectors`` for the person the calendar is for. This module adds nothing
and filters nothing; it only renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accord.meetings.models import Session

PRODID = "-//Accord//Meetings//EN"
UID_DOMAIN = "accord.meetings"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: Session, *, agenda: Iterable[str], url: str, stamp: dt.datetime) -> Event:
    zone = ZoneInfo(session.venue_timezone)
    event = Event()
    event.add("uid", f"session-{session.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    # Wall-clock times at the venue, with the VTIMEZONE added below: calendar clients
    # convert to the reader's zone themselves, across daylight-saving changes.
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    event.add("location", session.venue)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")
    event.add("class", "CONFIDENTIAL" if session.is_caucus else "PRIVATE")
    items = [f"{n}. {title}" for n, title in enumerate(agenda, start=1)]
    description = _("Agenda:") + "\n" + "\n".join(items) if items else ""
    event.add("description", (description + "\n\n" + url).strip())
    event.add("url", url)
    return event


def calendar_for(
    sessions: Iterable[tuple[Session, list[str], str]], *, name: str, stamp: dt.datetime
) -> bytes:
    """One VCALENDAR of ``(session, agenda titles, page url)``; ``stamp``: aware UTC."""
    calendar = _calendar(name)
    first: dt.date | None = None
    last: dt.date | None = None
    for session, agenda, url in sessions:
        calendar.add_component(_event(session, agenda=agenda, url=url, stamp=stamp))
        start, end = session.starts_at.date(), session.ends_at.date()
        first = start if first is None or start < first else first
        last = end if last is None or end > last else last
    if first is not None and last is not None:
        calendar.add_missing_timezones(
            first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366)
        )
    return bytes(calendar.to_ical())
