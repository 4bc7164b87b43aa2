"""iCalendar: a private, revocable feed of the sessions a user attends, and one .ics per
session (RFC 5545, parsed back with the ``icalendar`` library)."""

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from accord.events.models import Event
from accord.meetings import services
from accord.meetings.models import CalendarFeed


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_the_sessions_its_owner_attends_and_no_others(cast, schedule):
    hlc = schedule("HLC", title="HLC plenary")
    services.agenda_item_add(actor=cast["pk-chair"], session_id=hlc.pk, title="Sequencing")
    schedule("WG-NUC", title="Nuclear group")
    _feed, secret = services.calendar_feed_create(actor=cast["us-head"])
    events = _events(Client().get(reverse("meetings:calendar-feed", args=[secret])))
    assert list(events) == ["HLC plenary"]
    event = events["HLC plenary"]
    assert str(event["UID"]) == f"session-{hlc.pk}@accord.meetings"
    assert "1. Sequencing" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED" and event["DTSTAMP"]
    feed = CalendarFeed.objects.get(user=cast["us-head"])
    assert feed.last_used_at is None  # reading the feed records nothing
    assert secret not in str(list(CalendarFeed.objects.values()))  # only a digest is stored


def test_a_cancelled_session_stays_in_the_feed_as_cancelled_with_a_new_sequence(cast, schedule):
    hlc = schedule("HLC", title="HLC plenary")
    services.session_cancel(actor=cast["pk-chair"], session_id=hlc.pk)
    _feed, secret = services.calendar_feed_create(actor=cast["ir-head"])
    event = _events(Client().get(reverse("meetings:calendar-feed", args=[secret])))["HLC plenary"]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_a_replaced_or_revoked_feed_url_stops_working(cast, schedule):
    schedule("HLC")
    _feed, first = services.calendar_feed_create(actor=cast["us-head"])
    _feed, second = services.calendar_feed_create(actor=cast["us-head"])
    url = reverse("meetings:calendar-feed", args=[first])
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("meetings:calendar-feed", args=[second])).status_code == 200
    assert services.calendar_feed_revoke(actor=cast["us-head"]) == 1
    assert Client().get(reverse("meetings:calendar-feed", args=[second])).status_code == 404
    kinds = list(Event.objects.filter(kind__startswith="CalendarFeed").values_list("kind", "scope"))
    assert kinds == [
        ("CalendarFeedCreated", "party:US"),
        ("CalendarFeedCreated", "party:US"),
        ("CalendarFeedRevoked", "party:US"),
    ]


@pytest.mark.parametrize("secret", ["nope", "cal_" + "x" * 43, "cal_", "x" * 500])
def test_a_wrong_secret_is_a_plain_404(db, secret):
    assert Client().get(reverse("meetings:calendar-feed", args=[secret])).status_code == 404


def test_the_feed_follows_the_owners_current_clearance(cast, schedule):
    """A user who leaves the delegation (deactivated) gets nothing from an old URL."""
    schedule("HLC")
    _feed, secret = services.calendar_feed_create(actor=cast["us-head"])
    user = cast["us-head"]
    user.is_active = False
    user.save()
    assert Client().get(reverse("meetings:calendar-feed", args=[secret])).status_code == 404


def test_the_calendar_page_shows_a_new_feed_url_once(cast, schedule):
    schedule("HLC", title="HLC plenary")
    client = Client()
    client.force_login(cast["ir-head"])
    page = client.get(reverse("meetings:calendar")).text
    assert "HLC plenary" in page and "You have no feed URL." in page
    page = client.post(reverse("meetings:calendar-feed-create"), follow=True).text
    url = page.split("data-feed-url")[0].rsplit('value="', 1)[1].split('"')[0]
    assert "/meetings/calendar/cal_" in url
    assert "HLC plenary" in _events(Client().get(url.split("testserver", 1)[1]))
    assert url not in client.get(reverse("meetings:calendar")).text  # shown once
    client.post(reverse("meetings:calendar-feed-revoke"))
    assert Client().get(url.split("testserver", 1)[1]).status_code == 404


def test_the_api_creates_shows_and_revokes_the_feed(cast):
    client = Client()
    client.force_login(cast["pk-rapporteur"])
    assert client.get("/api/meetings/calendar-feed").json()["active"] is False
    created = client.post("/api/meetings/calendar-feed")
    assert created.status_code == 201 and "/meetings/calendar/cal_" in created.json()["url"]
    shown = client.get("/api/meetings/calendar-feed").json()
    assert shown["active"] is True and shown["url"] is None
    assert client.delete("/api/meetings/calendar-feed").status_code == 204
    assert client.get("/api/meetings/calendar-feed").json()["active"] is False


def test_an_operator_without_a_delegation_has_no_calendar(cast):
    client = Client()
    client.force_login(cast["operator"])
    assert client.post("/api/meetings/calendar-feed").status_code == 403
