"""One reader per server process: open streams share the hub's read of the log."""

from __future__ import annotations

import contextlib
import time

import pytest

from accord.events import hub
from accord.events.tests.feed_fixtures import World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_feed")]

STREAMS = 8


def test_one_append_costs_one_hub_read_whatever_the_number_of_streams(
    world: World, open_feed, settings
):
    # Given many open streams of several users, each past its catch-up
    settings.ACCORD_FEED_KEEPALIVE_SECONDS = 60  # no periodic re-check during the test
    users = [world.us_user, world.ir_user, world.fac_user]
    with contextlib.ExitStack() as stack:
        feeds = [stack.enter_context(open_feed(users[n % 3])) for n in range(STREAMS)]
        warm = world.append()
        for feed in feeds:
            assert feed.next_event().data["subject"] == warm.subject
        hub_reads, stream_reads = hub.counters.hub_reads, hub.counters.stream_reads

        # When one event is appended and every stream has sent it
        event = world.append()
        for feed in feeds:
            assert feed.next_event().data["subject"] == event.subject

        # Then the log was read once for all of them, and no stream read on its own
        assert hub.counters.hub_reads - hub_reads == 1
        assert hub.counters.stream_reads - stream_reads == 0


def test_a_hidden_event_reaches_no_stream_that_may_not_see_it(world: World, open_feed):
    with open_feed(world.us_user) as us_feed, open_feed(world.fac_user) as fac_feed:
        world.append(scope="party:IR")
        world.append(scope="facilitators")
        marker = world.append()
        assert [e.data["scope"] for e in us_feed.events_until(marker.subject)] == ["shared"]
        assert [e.data["scope"] for e in fac_feed.events_until(marker.subject)] == [
            "facilitators",
            "shared",
        ]


def test_an_appointment_revoked_in_an_open_stream_hides_its_scope_at_once(world: World, open_feed):
    from accord.accounts.models import Appointment

    with open_feed(world.us_user) as feed:
        before = world.append(scope="body:X")
        assert feed.next_event().data["subject"] == before.subject
        Appointment.objects.filter(user=world.us_user, body=world.body).delete()
        world.append(scope="body:X")
        marker = world.append()
        assert [e.data["subject"] for e in feed.events_until(marker.subject)] == [marker.subject]


def test_a_stream_opened_while_others_are_live_resumes_without_loss(world: World, open_feed):
    with open_feed(world.us_user) as first:
        seen = world.append()
        assert first.next_event().data["subject"] == seen.subject
        with open_feed(world.ir_user, params={"from": "start"}) as second:
            later = world.append()
            subjects = [e.data["subject"] for e in second.events_until(later.subject)]
        assert subjects == [seen.subject, later.subject]
        assert first.next_event().data["subject"] == later.subject


def test_the_periodic_check_is_the_hubs_ends_a_lapsed_sign_in_and_costs_no_stream_read(
    world: World, open_feed, settings
):
    from django.contrib.sessions.models import Session

    # Given idle streams past several keep-alive intervals
    settings.ACCORD_FEED_KEEPALIVE_SECONDS = 0.3
    with contextlib.ExitStack() as stack:
        feeds = [stack.enter_context(open_feed(world.us_user)) for _ in range(3)]
        feeds.append(stack.enter_context(open_feed(world.ir_user)))
        # Every stream past its catch-up (which follows the opening frame) first
        warm = world.append()
        for feed in feeds:
            assert feed.next_event().data["subject"] == warm.subject
        stream_reads = hub.counters.stream_reads
        time.sleep(1.5)
        # Then no stream re-checked on its own: the hub checked for all of them
        assert hub.counters.stream_reads == stream_reads

        # When one sign-in lapses with no event appended (the session row expires)
        Session.objects.filter(session_key=feeds[-1].session.session.session_key).delete()

        # Then its stream ends at the hub's next periodic check, the others stay open
        with pytest.raises(AssertionError, match="stream ended"):
            feeds[-1].next_event(within=5)
        marker = world.append()
        for feed in feeds[:-1]:
            assert feed.next_event().data["subject"] == marker.subject


def test_the_sign_in_check_reads_all_sessions_in_one_statement_that_does_not_grow(world: World):
    from django.db import connection

    from accord.events.tests.feed_fixtures import session_cookie

    def session_statements(count: int) -> tuple[list[tuple[str, int]], set[tuple[str, int]]]:
        pairs = [(session_cookie(world.us_user)[1], world.us_user.pk) for _ in range(count)]
        seen: list[tuple[str, int]] = []

        def record(execute, sql, params, many, context):
            if "django_session" in sql:
                seen.append((sql, len(params or ())))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            _, valid = hub._signed_in_many(pairs, {})
        return seen, valid

    # Given 2 and then 40 open streams, each with its own sign-in
    few, few_valid = session_statements(2)
    many, many_valid = session_statements(40)
    # Then each check read the sessions in one statement, the same text with the same
    # two parameters for both (so PostgreSQL keeps it prepared), and found every
    # sign-in valid
    assert len(few) == 1
    assert few == many
    assert few[0][1] == 2
    assert len(few_valid) == 2
    assert len(many_valid) == 40


def test_a_session_naming_another_user_is_not_valid_even_once_cached(world: World):
    from django.contrib.sessions.models import Session

    from accord.events.tests.feed_fixtures import session_cookie

    # Given a sign-in checked once (its verdict now cached)
    key = session_cookie(world.us_user)[1]
    known: dict[str, hub.KnownSession] = {}
    assert hub._signed_in_many([(key, world.us_user.pk)], known)[1] == {(key, world.us_user.pk)}
    # When a stream claims that session for another user, or the session row goes
    # Then neither passes the check
    assert hub._signed_in_many([(key, world.ir_user.pk)], known)[1] == set()
    Session.objects.filter(session_key=key).delete()
    assert hub._signed_in_many([(key, world.us_user.pk)], known)[1] == set()
    assert key not in known
