"""A session at 10:00 in Geneva, shown to a user in Tehran and one in Washington, on
either side of the American and European daylight-saving changes of March 2027.

Washington moves to summer time on 14 March, Geneva on 28 March, Tehran not at all
(Iran abolished daylight saving in 2022). So the three readings of one 10:00 Geneva
meeting change on different days.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from accord.meetings import clock, services
from accord.meetings.tests.conftest import GENEVA

CASES = [
    # day,        UTC,     Tehran,  Washington
    ("2027-03-11", "09:00", "12:30", "04:00"),  # all on winter time
    ("2027-03-18", "09:00", "12:30", "05:00"),  # Washington on summer time, Geneva not
    ("2027-04-01", "08:00", "11:30", "04:00"),  # both on summer time
]


@pytest.mark.parametrize(("day", "utc", "tehran", "washington"), CASES)
def test_the_clock_reads_ten_in_geneva_in_both_capitals(day, utc, tehran, washington):
    start = clock.venue_to_utc(dt.datetime.fromisoformat(f"{day}T10:00"), GENEVA)
    end = start + dt.timedelta(hours=2)
    assert start.strftime("%H:%M") == utc
    assert clock.span_in(start, end, "Asia/Tehran").starts.strftime("%H:%M") == tehran
    assert clock.span_in(start, end, "America/New_York").starts.strftime("%H:%M") == washington
    assert clock.span_in(start, end, GENEVA).starts.strftime("%H:%M") == "10:00"


@pytest.mark.parametrize(("day", "utc", "tehran", "washington"), CASES)
def test_the_session_page_and_api_show_each_reader_their_own_time(
    cast, schedule, day, utc, tehran, washington
):
    session = schedule("HLC", day, 10, title="HLC in Geneva")
    iran, us = cast["ir-head"], cast["us-head"]
    assert iran.timezone == "Asia/Tehran"
    us.timezone = "America/New_York"  # Washington's zone
    us.save()
    for user, expected, city in ((iran, tehran, "Tehran"), (us, washington, "New York")):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("meetings:session", args=[session.pk])).text
        assert "10:00" in page.split("data-venue-time")[1].split("</p>")[0]
        yours = page.split("data-your-time")[1].split("</p>")[0]
        assert f", {expected}" in yours and city in yours
        answer = client.get(f"/api/meetings/sessions/{session.pk}").json()
        assert answer["starts_at"].startswith(f"{day}T{utc}")
        assert answer["for_you"]["starts"][11:16] == expected
        assert answer["at_venue"]["starts"][11:16] == "10:00"


def test_the_ics_file_carries_geneva_wall_time_and_its_zone_rules(cast, schedule):
    """Calendar clients convert from the venue's VTIMEZONE, across the change."""
    sessions = [schedule("HLC", day, 10, title=f"HLC {day}") for day, *_ in CASES]
    client = Client()
    client.force_login(cast["ir-head"])
    for session, (_day, utc, *_rest) in zip(sessions, CASES, strict=True):
        text = client.get(reverse("meetings:session-ics", args=[session.pk])).content
        calendar = Calendar.from_ical(text)
        (event,) = calendar.walk("VEVENT")
        start = event.decoded("dtstart")
        assert str(start.tzinfo) == GENEVA and start.strftime("%H:%M") == "10:00"
        assert start.astimezone(dt.UTC).strftime("%H:%M") == utc
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [GENEVA]


def test_a_naive_time_is_read_at_the_venue_and_an_aware_one_keeps_its_offset(cast, body):
    naive = services.session_schedule(
        actor=cast["pk-chair"],
        body="HLC",
        title="Tehran meeting",
        venue="Tehran",
        venue_timezone="Asia/Tehran",
        starts_at=dt.datetime(2027, 3, 18, 10, 0),
        ends_at=dt.datetime(2027, 3, 18, 12, 0),
    )
    assert naive.starts_at == dt.datetime(2027, 3, 18, 6, 30, tzinfo=dt.UTC)
    aware = services.session_schedule(
        actor=cast["pk-chair"],
        body="HLC",
        title="Call",
        venue="Video",
        venue_timezone="Asia/Tehran",
        starts_at=dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2027, 3, 18, 11, 0, tzinfo=dt.UTC),
    )
    assert aware.starts_at == dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)
