"""The live-feed page: the newest events the user may see on open, filters by body and
by what they are about, each entry a sentence linking to its subject."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accord.events.links import subject_url
from accord.events.selectors import FEED_SIZE
from accord.events.services import event_append
from accord.events.tests.feed_fixtures import World
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db(transaction=True)


def _page(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(reverse("events:feed"), params, headers={"Accept": "text/html"})


def _entries(html: str) -> list[str]:
    return re.findall(r'<li data-kind="([A-Za-z]+)"', html)


def _append(world: World, *, kind: str, subject: str, scope: str = "shared", **payload):
    with transaction.atomic():
        return event_append(
            kind=kind, subject=subject, scope=scope, payload=payload, process=world.process
        )


def test_the_page_opens_with_the_newest_hundred_events_i_may_see_and_no_other_partys(
    world: World,
):
    # Given more events than the page shows, and the other party's internal ones last
    for _ in range(FEED_SIZE + 5):
        world.append(kind="ThingHappened")
    _append(world, kind="IranNoteWritten", subject="note:hidden", scope="party:IR", text="Red")
    # When the US delegate opens the feed
    page = _page(world.us_user)
    # Then it shows the newest hundred they may see, and nothing of Iran's
    assert page.status_code == 200
    html = page.content.decode()
    assert _entries(html) == ["ThingHappened"] * FEED_SIZE
    assert "IranNoteWritten" not in html and "Red" not in html
    assert "Waiting for new events" not in html
    assert_learns_nothing_of_others(html)


def test_each_entry_is_a_sentence_linking_to_its_subject(world: World):
    _append(world, kind="DivergenceOpened", subject="divergence:abc", title="Enrichment cap")
    page = _page(world.us_user)
    assert page.status_code == 200
    html = page.content.decode()
    link = reverse("divergences:detail", kwargs={"divergence_id": "abc"})
    assert (
        f'<a href="{link}"><strong dir="auto">Divergence opened: Enrichment cap</strong></a>'
        in (html)
    )


def test_the_feed_filters_by_body(world: World):
    _append(world, kind="InBodyX", subject="test:a", scope="body:X")
    _append(world, kind="AboutBodyX", subject="body:X")
    _append(world, kind="Elsewhere", subject="test:b")
    page = _page(world.us_user, body="X")
    assert page.status_code == 200
    assert _entries(page.content.decode()) == ["AboutBodyX", "InBodyX"]


def test_the_feed_filters_by_what_events_are_about(world: World):
    _append(world, kind="DivergenceOpened", subject="divergence:abc", title="Cap")
    _append(world, kind="SessionScheduled", subject="session:def", title="Round 2")
    page = _page(world.us_user, what="divergences")
    assert page.status_code == 200
    assert _entries(page.content.decode()) == ["DivergenceOpened"]


def test_a_filter_naming_nothing_known_shows_everything(world: World):
    world.append(kind="ThingHappened")
    page = _page(world.us_user, body="NOPE", what="nope")
    assert page.status_code == 200
    assert _entries(page.content.decode()) == ["ThingHappened"]


def test_subjects_link_to_their_pages_and_payloads_complete_them(db):
    assert subject_url("body:HLC") == reverse("process:body", kwargs={"code": "HLC"})
    assert subject_url("message:m1", {"channel": "DCC"}) == (
        reverse("channels:detail", kwargs={"code": "DCC"}) + "#msg-m1"
    )
    assert subject_url("provision:w1", {"document": "d1"}) == reverse(
        "drafting:document", kwargs={"document_id": "d1"}
    )
    assert subject_url("user:someone") is None
    assert subject_url("message:m1") is None


def test_the_feed_names_people_and_roles_instead_of_usernames(world: World):
    # Given an appointment announced with its username and role code
    _append(
        world,
        kind="AppointmentGranted",
        subject=f"user:{world.us_user.username}",
        user=world.us_user.username,
        role="duty_officer",
    )
    # When someone of the process opens the feed
    page = _page(world.ir_user)
    # Then the sentence names the person and the role in words
    assert page.status_code == 200
    html = page.content.decode()
    line = re.search(r'<li data-kind="AppointmentGranted">(.*?)</li>', html, re.S).group(1)
    assert world.us_user.display_name in line
    assert "duty officer" in line
    assert f">{world.us_user.username} appointed" not in line


def test_the_feed_page_costs_the_same_queries_for_5_events_or_50(world: World):
    from accord.testing.queries import query_counts

    # Given five events, and the US delegate reading the feed (all, and one filter)
    for _ in range(5):
        world.append(kind="ThingHappened", actor=world.us_user)
    client = Client()
    client.force_login(world.us_user)
    urls = ["/events/", "/events/?what=people"]

    # When 45 more are written, counted again
    def grow() -> None:
        for _ in range(45):
            world.append(kind="ThingHappened", actor=world.us_user)

    counts = query_counts(client, urls, grow)
    # Then each costs what it did
    for url, (before, after) in counts.items():
        assert before == after, url


def test_older_on_the_feed_shows_the_events_the_first_page_did_not_and_a_new_one_moves_nothing(
    world: World,
):
    # Given more events than a page holds, the oldest five told apart
    for _ in range(5):
        world.append(kind="EarliestHappened")
    for _ in range(FEED_SIZE):
        world.append(kind="ThingHappened")
    first = _page(world.us_user)
    assert first.status_code == 200
    assert _entries(first.content.decode()) == ["ThingHappened"] * FEED_SIZE
    older = re.search(r'rel="next" href="\?([^"#]+)', first.content.decode()).group(1)
    # When an event happens meanwhile, and the delegate follows "Older"
    world.append(kind="LatestHappened")
    second = Client()
    second.force_login(world.us_user)
    answer = second.get("/events/?" + older.replace("&amp;", "&"), headers={"Accept": "text/html"})
    # Then the second page shows the five the first did not, none twice, and stays still
    assert answer.status_code == 200
    html = answer.content.decode()
    assert _entries(html) == ["EarliestHappened"] * 5
    assert 'data-older-page="1"' in html and 'rel="prev"' in html
