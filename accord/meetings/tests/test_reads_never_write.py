"""Reads never write: no page, panel, download, API GET or calendar feed of meetings
changes a row or appends an event (a calendar client polls its feed all day)."""

from django.apps import apps
from django.test import Client
from django.urls import reverse

from accord.events.models import Event
from accord.meetings import services
from accord.meetings.demo import demo_content_ensure
from accord.meetings.models import ActionItem, Round, Session


def _snapshot() -> dict[str, list]:
    rows = {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in apps.get_app_config("meetings").get_models()
    }
    rows["Event"] = [Event.objects.count()]
    return rows


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_get_of_meetings_leaves_the_database_as_it_was(cast, islamabad):
    demo_content_ensure(process=islamabad)
    _feed, secret = services.calendar_feed_create(actor=cast["us-head"])
    session = Session.objects.filter(kind="meeting").order_by("starts_at").first()
    the_round = Round.objects.first()
    action = ActionItem.objects.first()
    assert session is not None and the_round is not None and action is not None
    pages = [
        reverse("meetings:index"),
        reverse("meetings:caucuses"),
        reverse("meetings:action-items"),
        reverse("meetings:action-items") + "?mine=1",
        reverse("meetings:calendar"),
        reverse("meetings:round", args=[the_round.pk]),
        reverse("meetings:session", args=[session.pk]),
        reverse("meetings:agenda-panel", args=[session.pk]),
        reverse("meetings:minutes-panel", args=[session.pk]),
        reverse("meetings:session-ics", args=[session.pk]),
        reverse("meetings:session-new"),
        reverse("meetings:round-new"),
        "/api/meetings/rounds",
        f"/api/meetings/rounds/{the_round.pk}",
        "/api/meetings/sessions",
        f"/api/meetings/sessions/{session.pk}",
        f"/api/meetings/sessions/{session.pk}/agenda",
        f"/api/meetings/sessions/{session.pk}/minutes",
        f"/api/meetings/sessions/{session.pk}/notes",
        "/api/meetings/queued",
        "/api/meetings/action-items",
        "/api/meetings/calendar-feed",
    ]
    before = _snapshot()
    for username in ("us-head", "pk-chair", "pk-rapporteur", "ir-observer"):
        client = _client(cast[username])
        for path in pages:
            answer = client.get(path)
            assert answer.status_code in (200, 403, 404), (username, path, answer.status_code)
    feed = Client().get(reverse("meetings:calendar-feed", args=[secret]))
    assert feed.status_code == 200
    assert _snapshot() == before
