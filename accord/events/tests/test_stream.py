"""The live feed over real HTTP: resume without loss, need-to-know, opaque ids."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accord.accounts import access
from accord.accounts.models import Appointment, Role
from accord.events import cursor
from accord.events.stream import BATCH_SIZE
from accord.events.tests.feed_fixtures import World, session_cookie
from accord.events.views import FEED_CURSOR_INVALID, FEED_NOT_SIGNED_IN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_feed")]

ALL_SCOPES = [
    "shared",
    "party:US",
    "party:IR",
    "caucus:US",
    "caucus:IR",
    "facilitators",
    "body:X",
    "body:Y",
    "mechanism:M",
]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="LISTEN/NOTIFY exists on PostgreSQL only"
)


def numbers(events) -> list[int]:
    return [event.data["payload"]["n"] for event in events]


def test_reconnecting_with_last_event_id_delivers_every_later_event_once_in_order(
    world: World, open_feed
):
    # Given events before the first connection, and hidden ones in between
    shown = [world.append()]
    world.append(scope="party:IR")
    shown += [world.append(), world.append()]
    with open_feed(world.us_user, params={"from": "start"}) as feed:
        received = [feed.next_event() for _ in range(3)]
        # appended while connected
        shown.append(world.append())
        world.append(scope="facilitators")
        shown.append(world.append())
        received += [feed.next_event() for _ in range(2)]
    resume_from = received[-1].id
    # appended while disconnected
    shown.append(world.append())
    world.append(scope="caucus:IR")
    shown.append(world.append())

    # When the client reconnects with the id of the last event it saw
    with open_feed(world.us_user, headers={"Last-Event-ID": resume_from}) as feed:
        resumed = [feed.next_event() for _ in range(2)]
        shown.append(world.append())
        world.append(scope="party:IR")
        shown.append(world.append())
        sentinel = world.append()
        resumed += feed.events_until(sentinel.subject)

    # Then it gets each later event exactly once, in order, and nothing hidden
    assert numbers(received) == [e.payload["n"] for e in shown[:5]]
    assert numbers(resumed) == [e.payload["n"] for e in [*shown[5:], sentinel]]


def test_last_event_id_may_come_as_a_query_parameter(world: World, open_feed):
    first, second = world.append(), world.append()
    with open_feed(world.us_user, params={"last_event_id": cursor.encode(first.seq)}) as feed:
        assert feed.next_event().data["subject"] == second.subject


def test_without_a_cursor_the_stream_starts_from_now(world: World, open_feed):
    world.append()
    with open_feed(world.us_user) as feed:
        new = world.append()
        assert feed.next_event().data["subject"] == new.subject


def test_a_stream_opened_without_a_cursor_reads_once_and_filters_by_its_clearance(
    world: World, open_feed
):
    from accord.events import hub

    # Given a hub already serving one stream, and events before the next one opens
    with open_feed(world.ir_user) as other:
        warm = world.append()
        assert other.next_event().data["subject"] == warm.subject
        world.append(scope="party:US")
        reads = hub.counters.stream_reads
        # When a stream opens without a cursor and two events follow, one it may not see
        with open_feed(world.us_user) as feed:
            world.append(scope="party:IR")
            seen = world.append(scope="party:US")
            subjects = [e.data["subject"] for e in feed.events_until(seen.subject)]
            # Then it got only what its clearance allows and nothing from before it
            # opened, and read the log once on its own (no catch-up after "now")
            assert subjects == [seen.subject]
            assert hub.counters.stream_reads - reads == 1


def test_the_opening_id_resumes_without_loss_when_no_event_came_before_a_drop(
    world: World, open_feed
):
    world.append()
    with open_feed(world.us_user) as feed:
        opening_id = feed.opening_id
    missed = world.append()
    with open_feed(world.us_user, headers={"Last-Event-ID": opening_id}) as feed:
        assert feed.next_event().data["subject"] == missed.subject


def test_a_backlog_longer_than_one_batch_arrives_complete_and_in_order(world: World, open_feed):
    # Two visible events in three, so the visible backlog spans several batches
    backlog = [
        world.append(scope="party:IR" if n % 3 == 0 else "shared")
        for n in range(3 * BATCH_SIZE + 30)
    ]
    with open_feed(world.us_user, params={"from": "start"}) as feed:
        received = feed.events_until(backlog[-1].subject, limit=len(backlog))
    visible = [e.subject for e in backlog if e.scope == "shared"]
    assert len(visible) > 2 * BATCH_SIZE
    assert [e.data["subject"] for e in received] == visible


@pytest.mark.parametrize("who", ["us_user", "ir_user", "fac_user"])
def test_a_user_receives_exactly_the_events_their_clearance_allows(
    world: World, open_feed, who: str
):
    # Given events in every scope, in this process and another one, before and while connected
    user = getattr(world, who)
    appended = [world.append(scope=scope) for scope in ALL_SCOPES]
    appended.append(world.append(process=world.other_process))
    with open_feed(user, params={"from": "start"}) as feed:
        appended += [world.append(scope=scope) for scope in ALL_SCOPES]
        appended.append(world.append(process=world.other_process))
        sentinel = world.append()
        received = feed.events_until(sentinel.subject)

    # Then the stream holds exactly what the access policy allows, in order
    visible = [
        event
        for event in [*appended, sentinel]
        if access.can_see(user, process_id=event.process_id, scope=event.scope)
    ]
    assert [event.data["subject"] for event in received] == [event.subject for event in visible]


def test_a_us_delegate_sees_shared_own_party_own_caucus_and_own_body_only(world: World, open_feed):
    for scope in ALL_SCOPES:
        world.append(scope=scope)
    sentinel = world.append()
    with open_feed(world.us_user, params={"from": "start"}) as feed:
        received = feed.events_until(sentinel.subject)
    assert {event.data["scope"] for event in received} == {
        "shared",
        "party:US",
        "caucus:US",
        "body:X",
    }


def test_a_new_appointment_takes_effect_in_an_open_stream(world: World, open_feed):
    with open_feed(world.us_user) as feed:
        world.append(scope="mechanism:M")
        marker = world.append()
        assert [e.data["subject"] for e in feed.events_until(marker.subject)] == [marker.subject]
        Appointment.objects.create(user=world.us_user, role=Role.MEMBER, mechanism=world.mechanism)
        after = world.append(scope="mechanism:M")
        assert feed.next_event().data["subject"] == after.subject


def test_the_stream_of_a_deactivated_user_ends(world: World, open_feed):
    with open_feed(world.us_user) as feed:
        world.us_user.is_active = False
        world.us_user.save(update_fields=["is_active"])
        world.append()
        feed.assert_ends()


def test_the_stream_ends_when_its_session_signs_out(world: World, open_feed):
    with open_feed(world.us_user) as feed:
        assert feed.session is not None
        feed.session.logout()
        world.append()
        feed.assert_ends()


def test_the_stream_ends_when_its_user_changes_password(world: World, open_feed):
    with open_feed(world.us_user) as feed:
        # Given a stream whose sign-in the hub has already checked once
        first = world.append()
        assert feed.next_event().data["subject"] == first.subject
        # When the user's password changes (their sessions' auth hash no longer matches)
        world.us_user.set_password("a-new-password-for-this-test")
        world.us_user.save(update_fields=["password"])
        world.append()
        # Then the stream ends without the event appended after the change
        feed.assert_ends()


def test_an_idle_stream_sends_keep_alive_comments(world: World, open_feed):
    with open_feed(world.us_user) as feed:
        frame = feed.next_frame()
    assert frame == {":": "keep-alive"}


def test_event_data_carries_kind_subject_scope_time_actor_and_payload(world: World, open_feed):
    with open_feed(world.us_user) as feed:
        event = world.append(kind="NoteWritten", scope="party:US", actor=world.us_user)
        data = feed.next_event().data
    assert data == {
        "kind": "NoteWritten",
        "subject": event.subject,
        "scope": "party:US",
        "occurred_at": data["occurred_at"],
        "actor": "US Delegate",
        "summary": "Note written",
        "url": None,  # a test:<n> subject has no page
        "payload": {"n": event.payload["n"], "text": "line one\nline two"},
    }
    assert data["occurred_at"].startswith(event.occurred_at.strftime("%Y-%m-%dT%H:%M:%S"))


def test_sse_ids_are_opaque_cursors_not_sequence_numbers(world: World, open_feed):
    events = [world.append() for _ in range(3)]
    with open_feed(world.us_user, params={"from": "start"}) as feed:
        ids = [feed.next_event().id for _ in events]
        opening_id = feed.opening_id
    for event, sse_id in zip(events, ids, strict=True):
        assert sse_id is not None
        assert sse_id != str(event.seq)
        assert not sse_id.isdigit()
        assert len(sse_id) == 32
        assert cursor.decode(sse_id) == event.seq
    assert opening_id == cursor.encode(0)


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({"Last-Event-ID": "3"}, None),
        ({"Last-Event-ID": "not-a-cursor"}, None),
        ({"Last-Event-ID": "00" * 16}, None),
        (None, {"last_event_id": "12"}),
    ],
)
def test_a_bad_last_event_id_is_refused_with_400(world: World, asgi_server: str, headers, params):
    _, key = session_cookie(world.us_user)
    response = httpx.get(
        f"{asgi_server}/events/stream",
        headers=headers,
        params=params,
        cookies={settings.SESSION_COOKIE_NAME: key},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.text == FEED_CURSOR_INVALID.text()
    assert not response.headers["content-type"].startswith("text/event-stream")


def test_an_anonymous_client_gets_401_and_no_stream(world: World, asgi_server: str):
    response = httpx.get(f"{asgi_server}/events/stream", timeout=5)
    assert response.status_code == 401
    assert response.text == FEED_NOT_SIGNED_IN.text()
    assert not response.headers["content-type"].startswith("text/event-stream")


def test_a_signed_out_client_is_told_so_distinctly_from_any_other_refusal(
    world: World, asgi_server: str
):
    """The page shows "signed out" only for this answer (``events/live.js``)."""
    # Given one client signed out and one with a cursor this server never issued
    _, key = session_cookie(world.us_user)
    cookies = {settings.SESSION_COOKIE_NAME: key}
    # When both ask for the stream
    signed_out = httpx.get(f"{asgi_server}/events/stream", timeout=5)
    bad_cursor = httpx.get(
        f"{asgi_server}/events/stream",
        headers={"Last-Event-ID": "forged"},
        cookies=cookies,
        timeout=5,
    )
    # Then only the signed-out one is named feed.not_signed_in
    assert signed_out.status_code == 401
    assert signed_out.headers["accord-error"] == FEED_NOT_SIGNED_IN.code
    assert bad_cursor.status_code == 400
    assert bad_cursor.headers["accord-error"] == FEED_CURSOR_INVALID.code


def test_a_forged_session_cookie_gets_401(world: World, asgi_server: str):
    response = httpx.get(
        f"{asgi_server}/events/stream",
        cookies={settings.SESSION_COOKIE_NAME: "forged"},
        timeout=5,
    )
    assert response.status_code == 401


def test_stream_responses_are_not_cached_or_buffered(world: World, asgi_server: str):
    _, key = session_cookie(world.us_user)
    with httpx.stream(
        "GET",
        f"{asgi_server}/events/stream",
        cookies={settings.SESSION_COOKIE_NAME: key},
        timeout=5,
    ) as response:
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"


def test_the_feed_page_needs_sign_in_and_loads_the_live_script(world: World):
    client, _ = session_cookie(world.us_user)
    page = client.get("/events/")
    assert page.status_code == 200
    assert b'id="live-feed"' in page.content
    assert b"events/live.js" in page.content
    anonymous = Client().get("/events/")
    assert anonymous.status_code == 302


def test_an_event_committed_by_the_serving_process_wakes_its_streams_without_a_poll(
    world: World, open_feed, settings
):
    # The server runs in this process (a thread): a commit here rings its feed at once.
    settings.ACCORD_FEED_POLL_SECONDS = 30
    with open_feed(world.us_user) as feed:
        time.sleep(0.2)  # the stream is past its first read, waiting
        started = time.monotonic()
        event = world.append()
        assert feed.next_event(within=5).data["subject"] == event.subject
        assert time.monotonic() - started < 2


def page_stream_url(page: bytes) -> str:
    found = re.search(rb'src="[^"]*events/live\.js"[^>]*data-stream="([^"]+)"', page)
    assert found, "the page loads no live feed script with its stream URL"
    return html.unescape(found.group(1).decode())


def test_a_page_streams_from_where_it_was_rendered_so_nothing_in_between_is_lost(
    world: World, open_feed
):
    # Given a page rendered after one visible and one hidden event
    before = world.append()
    world.append(scope="party:IR")
    client, _ = session_cookie(world.us_user)
    page = client.get("/events/", HTTP_ACCEPT="text/html")
    url = page_stream_url(page.content)
    # When events are appended before the page's EventSource connects
    in_between = world.append()
    world.append(scope="caucus:IR")
    after = world.append()
    params = dict(parse_qsl(urlsplit(url).query))
    with open_feed(world.us_user, params=params) as feed:
        # Then the stream starts right after what the page showed: nothing is lost
        received = feed.events_until(after.subject)
    assert [e.data["subject"] for e in received] == [in_between.subject, after.subject]
    # and the position is the newest *visible* event's cursor, not a raw sequence number
    assert params["last_event_id"] == cursor.encode(before.seq)


def test_fragments_and_api_calls_do_not_pay_for_a_feed_position(world: World):
    client, _ = session_cookie(world.us_user)
    fragment = client.get("/events/", HTTP_ACCEPT="text/html", HTTP_HX_REQUEST="true")
    assert fragment.wsgi_request.__dict__.get("feed_position") is None
    api = client.get("/api/openapi.json")
    assert api.wsgi_request.__dict__.get("feed_position") is None


@on_postgresql
def test_on_postgresql_a_notification_wakes_the_stream_long_before_a_poll(
    world: World, open_feed, settings
):
    settings.ACCORD_FEED_POLL_SECONDS = 30
    settings.ACCORD_FEED_KEEPALIVE_SECONDS = 60
    with open_feed(world.us_user) as feed:
        first = world.append()
        assert feed.next_event(within=5).data["subject"] == first.subject
        # Having sent ``first``, the stream reads nothing more until it is woken up.
        second = world.append()
        assert feed.next_event(within=5).data["subject"] == second.subject


def _listener_pids() -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = %s",
            ["accord-live-feed", connection.settings_dict["NAME"]],
        )
        return [row[0] for row in cur.fetchall()]


@on_postgresql
def test_on_postgresql_the_listener_reconnects_after_its_connection_dies(
    world: World, open_feed, settings
):
    settings.ACCORD_FEED_POLL_SECONDS = 30
    settings.ACCORD_FEED_KEEPALIVE_SECONDS = 60
    with open_feed(world.us_user) as feed:
        first = world.append()
        assert feed.next_event(within=5).data["subject"] == first.subject
        [old_pid] = _listener_pids()
        with connection.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", [old_pid])
        deadline = time.monotonic() + 10
        while _listener_pids() in ([], [old_pid]):
            assert time.monotonic() < deadline, "the listener did not reconnect within 10 s"
            time.sleep(0.1)
        second = world.append()
        assert feed.next_event(within=5).data["subject"] == second.subject
