"""A caucus of the facilitators with the United States leaves no trace for Iran.

Every route is tried as an Iran delegate: pages (session, lists, round, caucuses,
action items, calendar), counts on those pages, the API (lists, details by id, notes,
minutes, agenda, action items), search, the event log and its export, the .ics download
and the private calendar feed. The live feed is covered at the end with a real server.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.errors import ValidationFailed
from accord.meetings import access, selectors, services
from accord.meetings.models import ActionItem, AgendaItem, CaucusNote, Minutes, Session
from accord.process.services import charter_load
from accord.testing.need_to_know import assert_learns_nothing_of_others

SECRET = "Could accept a phased cap at 3.67 per cent"
TITLE = "Quiet word with Washington"
ACTION = "Sound out Congress on tranche one"


@pytest.fixture
def round_two(cast):
    return services.round_create(
        actor=cast["pk-chair"],
        title="Round two",
        venue="Doha",
        venue_timezone="Asia/Qatar",
        starts_on=dt.date(2027, 1, 10),
        ends_on=dt.date(2027, 1, 14),
    )


@pytest.fixture
def us_caucus(cast, islamabad, caucus, round_two):
    session = caucus("US", title=TITLE, round_id=round_two.pk)
    services.agenda_item_add(actor=cast["us-head"], session_id=session.pk, title="Sequencing")
    services.caucus_note_write(actor=cast["pk-chair"], session_id=session.pk, text=SECRET)
    services.caucus_note_write(
        actor=cast["us-head"],
        session_id=session.pk,
        text="Paper text",
        title="US non-paper",
        kind="document",
    )
    services.minutes_draft(actor=cast["pk-chair"], session_id=session.pk, text="Caucus record")
    services.action_item_record(
        actor=cast["pk-chair"],
        session_id=session.pk,
        text=ACTION,
        owner="us-head",
        due_on=dt.date(2027, 1, 1),
    )
    services.action_items_flag_overdue(now=dt.datetime(2027, 1, 5, tzinfo=dt.UTC))
    services.minutes_circulate(actor=cast["pk-chair"], session_id=session.pk)
    return session


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(client: Client, session: Session) -> list:
    return [
        client.get(reverse("meetings:index")),
        client.get(reverse("meetings:caucuses")),
        client.get(reverse("meetings:action-items")),
        client.get(reverse("meetings:calendar")),
        client.get(reverse("meetings:round", args=[session.round_id])),
        client.get(reverse("web:search"), {"q": "cap"}),
        client.get(reverse("web:search"), {"q": "Washington"}),
        client.get(reverse("web:search"), {"q": "Congress"}),
        client.get(reverse("web:search"), {"q": "caucus"}),
    ]


def test_the_us_and_the_facilitators_find_the_caucus_everywhere(cast, us_caucus):
    """The positive control: every route below does show the caucus to those in it."""
    for username in ("us-head", "pk-chair", "qa-rapporteur"):
        client = _client(cast[username])
        page = client.get(reverse("meetings:session", args=[us_caucus.pk]))
        assert SECRET in page.text and TITLE in page.text
        assert TITLE in client.get(reverse("meetings:caucuses")).text
        assert SECRET in client.get(reverse("web:search"), {"q": "cap"}).text
        assert client.get(f"/api/meetings/sessions/{us_caucus.pk}/notes").json()[0]["text"]
        assert TITLE in client.get(reverse("meetings:session-ics", args=[us_caucus.pk])).text
        assert SECRET in client.get("/api/events/").text
    assert ACTION in _client(cast["us-head"]).get(reverse("meetings:action-items")).text


@pytest.mark.parametrize("username", ["ir-head", "ir-member", "ir-expert", "ir-observer"])
def test_no_route_leads_iran_to_the_us_caucus(cast, us_caucus, username):
    client = _client(cast[username])
    for page in _pages(client, us_caucus):
        assert page.status_code == 200
        for secret in (SECRET, TITLE, ACTION, "US non-paper", str(us_caucus.pk)):
            assert secret not in page.text
    # The caucus page, its .ics and every API route answer exactly like a missing one.
    missing = "00000000-0000-0000-0000-000000000000"
    for session_id in (us_caucus.pk, missing):
        page = client.get(reverse("meetings:session", args=[session_id]))
        assert page.status_code == 404 and "There is no such session." in page.text
        assert client.get(reverse("meetings:session-ics", args=[session_id])).status_code == 404
        for path in ("", "/agenda", "/minutes", "/notes"):
            answer = client.get(f"/api/meetings/sessions/{session_id}{path}")
            assert answer.status_code == 404
            assert answer.json() == {
                "code": access.SESSION_NOT_FOUND.code,
                "detail": "There is no such session.",
            }
        writes = [
            client.post(
                f"/api/meetings/sessions/{session_id}/notes",
                {"text": "x"},
                content_type="application/json",
            ),
            client.post(
                f"/api/meetings/sessions/{session_id}/agenda",
                {"title": "x"},
                content_type="application/json",
            ),
            client.post(f"/api/meetings/sessions/{session_id}/minutes/approve"),
        ]
        assert [w.status_code for w in writes] == [404, 404, 404]
    api = [
        client.get("/api/meetings/sessions"),
        client.get("/api/meetings/sessions", {"kind": "caucus"}),
        client.get("/api/meetings/sessions", {"round": str(us_caucus.round_id)}),
        client.get("/api/meetings/action-items"),
        client.get("/api/meetings/queued"),
        client.get("/api/events/"),
    ]
    for answer in api:
        assert answer.status_code == 200
        for secret in (SECRET, TITLE, ACTION, str(us_caucus.pk), "caucus:US"):
            assert secret not in answer.text
    export = b"".join(client.get("/api/events/export").streaming_content).decode()
    assert SECRET not in export and "caucus:US" not in export and "Caucus" not in export


def _what_iran_counts(client: Client, round_id) -> dict:
    index = client.get(reverse("meetings:index")).text
    return {
        "index rows": index.count("data-session="),
        "index counts": index.split("data-counts")[1].split("</p>")[0],
        "caucus rows": client.get(reverse("meetings:caucuses")).text.count("data-session="),
        "round rows": client.get(reverse("meetings:round", args=[round_id])).text.count(
            "data-session="
        ),
        "action rows": client.get(reverse("meetings:action-items")).text.count("data-action="),
        "search": client.get(reverse("web:search"), {"q": "ca"}).text.count("<li"),
        "api sessions": len(client.get("/api/meetings/sessions").json()),
        "api actions": len(client.get("/api/meetings/action-items").json()),
        "events": len(client.get("/api/events/", {"limit": 500}).json()["events"]),
    }


def test_every_count_iran_sees_is_the_same_with_or_without_the_us_caucus(
    cast, round_two, caucus, request
):
    caucus("IR", title="Caucus with Tehran", round_id=round_two.pk)
    client = _client(cast["ir-head"])
    before = _what_iran_counts(client, round_two.pk)
    request.getfixturevalue("us_caucus")
    assert _what_iran_counts(client, round_two.pk) == before
    assert "1 caucus\n" in before["index counts"]
    # The positive control: the facilitators' counts did move.
    facilitators = _client(cast["pk-chair"]).get(reverse("meetings:index")).text
    assert "2 caucuses" in facilitators


def test_a_caucus_with_one_party_can_never_seat_the_other(cast, islamabad):
    with pytest.raises(ValidationFailed) as refused:
        services.session_schedule(
            actor=cast["pk-chair"],
            caucus_party="US",
            title="x",
            venue="y",
            venue_timezone="UTC",
            starts_at=dt.datetime(2027, 1, 1, 10),
            ends_at=dt.datetime(2027, 1, 1, 11),
            participants=["us-head", "ir-head"],
        )
    assert refused.value.error_case is services.PARTICIPANT_CANNOT_SEE


def test_iran_calendar_feed_never_carries_the_us_caucus(cast, us_caucus, caucus):
    own = caucus("IR", title="Caucus with Tehran")
    _feed, secret = services.calendar_feed_create(actor=cast["ir-head"])
    feed = Client().get(reverse("meetings:calendar-feed", args=[secret]))
    assert feed.status_code == 200
    assert "Caucus with Tehran" in feed.text and str(own.pk) in feed.text
    assert TITLE not in feed.text and str(us_caucus.pk) not in feed.text
    _feed, us_secret = services.calendar_feed_create(actor=cast["us-head"])
    us_feed = Client().get(reverse("meetings:calendar-feed", args=[us_secret])).text
    assert TITLE in us_feed and "Caucus with Tehran" not in us_feed


# -- the live feed, through a real ASGI server -----------------------------------------


@pytest.fixture
def live_cast(transactional_db):
    process = charter_load(path=settings.ACCORD_DEFAULT_CHARTER).process
    demo_accounts_ensure(process=process)
    return process, {u.username: u for u in User.objects.select_related("delegation")}


@pytest.mark.usefixtures("fast_feed")
def test_an_open_iran_stream_carries_nothing_of_the_us_caucus(live_cast, open_feed):
    _process, cast = live_cast
    with open_feed(cast["ir-head"]) as iran, open_feed(cast["us-head"]) as washington:
        session = services.session_schedule(
            actor=cast["pk-chair"],
            caucus_party="US",
            title=TITLE,
            venue="Doha",
            venue_timezone="Asia/Qatar",
            starts_at=dt.datetime(2027, 1, 1, 10),
            ends_at=dt.datetime(2027, 1, 1, 11),
        )
        services.caucus_note_write(actor=cast["pk-chair"], session_id=session.pk, text=SECRET)
        # A later caucus Iran may see proves its stream ran past the US caucus.
        own = services.session_schedule(
            actor=cast["pk-chair"],
            caucus_party="IR",
            title="Caucus with Tehran",
            venue="Doha",
            venue_timezone="Asia/Qatar",
            starts_at=dt.datetime(2027, 1, 1, 12),
            ends_at=dt.datetime(2027, 1, 1, 13),
        )
        seen_by_iran = iran.events_until(f"session:{own.pk}")
        seen_by_us = washington.events_until(f"session:{session.pk}")
        seen_by_us += washington.events_until(f"session:{session.pk}")
    for event in seen_by_iran:
        text = str(event.data)
        assert SECRET not in text and TITLE not in text and str(session.pk) not in text
        assert event.data["scope"] != "caucus:US"
    assert_learns_nothing_of_others(
        [e.data for e in seen_by_iran], hidden=[session, *CaucusNote.objects.all()]
    )
    assert any(SECRET in str(e.data) for e in seen_by_us)


def test_the_admin_shows_no_caucus_to_an_operator_or_to_an_iran_superuser(cast, us_caucus):
    iran = cast["ir-head"]
    iran.is_staff = iran.is_superuser = True
    iran.save()
    for user in (cast["operator"], iran):
        client = _client(user)
        for model in ("session", "caucusnote", "actionitem", "minutes", "agendaitem"):
            page = client.get(reverse(f"admin:meetings_{model}_changelist"))
            assert page.status_code == 200
            assert TITLE not in page.text and SECRET not in page.text and ACTION not in page.text
        change = client.get(reverse("admin:meetings_session_change", args=[us_caucus.pk]))
        assert change.status_code in (302, 404)


# -- the shared leak check: seeing n things teaches nothing of the others ---------------


def _hidden_from_iran(session: Session) -> list:
    """The rows of the US caucus Iran may not see (their ids must appear nowhere)."""
    return [
        session,
        *CaucusNote.objects.filter(session=session),
        *AgendaItem.objects.filter(session=session),
        *ActionItem.objects.filter(minutes__session=session),
        *Minutes.objects.filter(session=session),
    ]


def test_iran_s_pages_and_search_teach_it_nothing_of_the_us_caucus(cast, us_caucus, caucus):
    caucus("IR", title="Caucus with Tehran")
    client = _client(cast["ir-head"])
    hidden = _hidden_from_iran(us_caucus)
    for page in _pages(client, us_caucus):
        assert page.status_code == 200
        assert_learns_nothing_of_others(page.text, hidden=hidden)


def test_iran_s_api_lists_teach_it_nothing_of_the_us_caucus(cast, us_caucus, caucus):
    own = caucus("IR", title="Caucus with Tehran")
    client = _client(cast["ir-head"])
    hidden = _hidden_from_iran(us_caucus)
    for path in (
        "/api/meetings/sessions",
        "/api/meetings/sessions?kind=caucus",
        "/api/meetings/rounds",
        "/api/meetings/action-items",
        "/api/meetings/queued",
        f"/api/meetings/sessions/{own.pk}",
        f"/api/meetings/sessions/{own.pk}/agenda",
        f"/api/meetings/sessions/{own.pk}/notes",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, path
        body = answer.json()
        shown = len(body) if isinstance(body, list) else None
        assert_learns_nothing_of_others(body, hidden=hidden, shown=shown)
    caucuses = client.get("/api/meetings/sessions?kind=caucus").json()
    assert [c["id"] for c in caucuses] == [str(own.pk)]


def test_iran_s_live_feed_page_carries_no_meetings_event_of_the_us_caucus(cast, us_caucus):
    """The meetings events of the feed (other apps' events are theirs to check)."""
    client = _client(cast["ir-head"])
    services.calendar_feed_create(actor=cast["ir-head"])
    answer = client.get("/api/events/", {"limit": 500})
    assert answer.status_code == 200
    mine = ("session:", "round:", "action:", "body:")
    events = [
        e
        for e in answer.json()["events"]
        if e["subject"].startswith(mine) or e["kind"].startswith("CalendarFeed")
    ]
    assert events and all(e["scope"] != "caucus:US" for e in events)
    assert_learns_nothing_of_others(events, hidden=_hidden_from_iran(us_caucus))
    # The positive control: the US sees its caucus in the same feed.
    us = _client(cast["us-head"]).get("/api/events/", {"limit": 500}).json()["events"]
    assert any(e["subject"] == f"session:{us_caucus.pk}" for e in us)


def test_session_counts_count_only_what_the_reader_may_see(cast, us_caucus, caucus, schedule):
    caucus("IR", title="Caucus with Tehran")
    schedule("WG-NUC", "2027-01-12")  # Iran's head is not in the nuclear group
    for username in ("ir-head", "ir-member", "us-head", "pk-chair", "operator"):
        reader = cast[username]
        visible = list(selectors.session_list(actor=reader))
        counts = selectors.session_counts(actor=reader)
        assert counts["upcoming"] + counts["past"] == len(visible), username
        assert counts["caucuses"] == sum(s.is_caucus for s in visible), username
    assert selectors.session_counts(actor=cast["ir-head"])["caucuses"] == 1
