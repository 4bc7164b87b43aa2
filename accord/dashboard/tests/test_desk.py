"""My desk: at the top of the home page, as a fragment the page refreshes with the live
feed, and as a count in the nav; any app's kinds, in one registry."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accord import attention
from accord.attention import AttentionItem, AttentionKind, attention_for, attention_register
from accord.channels import services as channel_services
from accord.channels.demo import demo_rosters_ensure
from accord.testing.need_to_know import assert_learns_nothing_of_others

FLASH_TEXT = "Armed vessel approaching the strait, request you hold fire immediately"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flash(cast, islamabad):
    """us-duty sends a FLASH to Iran on DCC (every side on watch)."""
    demo_rosters_ensure(process=islamabad)
    message, _ = channel_services.message_send(
        actor=cast["us-duty"], channel="DCC", text=FLASH_TEXT, precedence="FLASH", client_id="f1"
    )
    return message


@pytest.fixture
def extra_kind():
    """A kind some later app registers (here, in the test), removed afterwards."""
    kind = AttentionKind("tests.incident", "Incidents to report", order=5)
    seen = []

    def provider(actor):
        seen.append(actor.username)
        if actor.username != "ir-duty":
            return []
        return [
            AttentionItem(
                kind=kind.code,
                sentence="Report the incident in the strait",
                url="/incidents/abc",
                subject="incident:abc",
            )
        ]

    attention_register(kind, provider)
    yield kind, seen
    attention._registry.pop(kind.code)


def test_the_home_page_opens_with_my_desk_showing_the_flash_to_acknowledge(cast, flash):
    # Given us-duty sent a FLASH to Iran
    # When ir-duty opens the home page
    response = _client(cast["ir-duty"]).get(reverse("process:home"))
    # Then the desk comes first, with the message's precedence, channel, first words and link
    assert response.status_code == 200
    text = response.text
    assert text.index('id="my-desk"') < text.index('class="framework"')
    assert "Messages to acknowledge" in text
    assert "FLASH" in text and "DCC" in text
    assert "Armed vessel approaching the strait" in text
    assert f"#msg-{flash.public_id}" in text
    assert 'data-desk-count="channels.message_to_acknowledge"' in text


def test_the_desk_refreshes_itself_on_the_live_feed(cast, flash):
    # The desk and the nav badge ask for themselves again when an event arrives
    response = _client(cast["ir-duty"]).get(reverse("process:home"))
    assert response.status_code == 200
    assert 'hx-trigger="accord:event from:document' in response.text
    assert reverse("process:desk") in response.text
    assert reverse("process:desk-badge") in response.text


def test_the_desk_fragment_and_the_badge_count_what_waits(cast, flash):
    client = _client(cast["ir-duty"])
    fragment = client.get(reverse("process:desk"))
    assert fragment.status_code == 200
    assert 'id="my-desk"' in fragment.text and FLASH_TEXT[:20] in fragment.text
    badge = client.get(reverse("process:desk-badge"))
    assert badge.status_code == 200
    total = sum(group.count for group in attention_for(cast["ir-duty"]))
    assert total >= 1
    assert f'data-desk-total="{total}"' in badge.text


def test_the_sending_side_s_desk_learns_nothing_of_the_flash(cast, flash):
    # When the sending side and a facilitator open their desks
    for username in ("us-duty", "us-head", "pk-chair"):
        client = _client(cast[username])
        for url in (reverse("process:home"), reverse("process:desk")):
            response = client.get(url)
            # Then the message is not on them, not even as a count
            assert response.status_code == 200, (username, url)
            assert "channels.message_to_acknowledge" not in response.text, (username, url)
            assert f"#msg-{flash.public_id}" not in response.text, (username, url)
            assert_learns_nothing_of_others(response.text)


def test_nothing_waiting_says_so(cast):
    response = _client(cast["us-observer"]).get(reverse("process:desk"))
    assert response.status_code == 200
    assert "Nothing waits for you." in response.text
    badge = _client(cast["us-observer"]).get(reverse("process:desk-badge"))
    assert 'data-desk-total="0"' in badge.text and "hidden" in badge.text


def test_a_kind_registered_by_any_app_reaches_the_desk_without_touching_it(cast, extra_kind):
    # Given a kind the desk knows nothing of, registered through the registry
    _kind, asked = extra_kind
    # When ir-duty and us-duty open the desk
    mine = _client(cast["ir-duty"]).get(reverse("process:desk"))
    theirs = _client(cast["us-duty"]).get(reverse("process:desk"))
    # Then it is on the desk it was given for, first (its order), and only there
    assert mine.status_code == 200 and theirs.status_code == 200
    assert "Report the incident in the strait" in mine.text
    assert "Incidents to report" not in theirs.text
    assert {"ir-duty", "us-duty"} <= set(asked)


def test_anonymous_visitors_have_no_desk(db):
    assert attention_for(None) == []
    response = Client().get(reverse("process:desk"))
    assert response.status_code == 302


def test_the_desk_puts_urgent_items_first_then_the_soonest_deadline_and_none_last(cast):
    # Given items of one kind: no deadline, a late date, an early moment, an urgent one
    def item(name, deadline=None, urgent=False):
        return AttentionItem("k", name, "/x", f"x:{name}", deadline=deadline, urgent=urgent)

    kind = AttentionKind("tests.order", "Order", order=1)
    given = [
        item("none"),
        item("late", dt.date(2027, 1, 20)),
        item("early", dt.datetime(2027, 1, 2, 9, 0, tzinfo=dt.UTC)),
        item("urgent", dt.date(2027, 2, 1), urgent=True),
    ]
    attention_register(kind, lambda actor: given)
    try:
        # When the desk is read
        (group,) = [g for g in attention_for(cast["us-observer"]) if g.kind is kind]
    finally:
        attention._registry.pop(kind.code)
    # Then the urgent one leads, then by deadline, and the one with none comes last
    assert [i.sentence for i in group.items] == ["urgent", "early", "late", "none"]
    assert group.count == 4


def test_what_an_item_is_about_is_its_first_words():
    assert attention.about_text("one  two\nthree", words=5) == "one two three"
    assert attention.about_text("a b c d e f", words=3) == "a b c…"


def test_an_operator_s_nav_badge_answers_with_nothing_waiting(cast):
    # An operator belongs to no delegation: every page's nav asks for the badge all the same
    response = _client(cast["operator"]).get(reverse("process:desk-badge"))
    assert response.status_code == 200
    assert 'data-desk-total="0"' in response.text


def test_a_page_after_the_badge_shows_the_count_without_asking_again_until_an_event(cast, flash):
    # Given the Iranian duty officer whose nav badge was fetched once
    client = _client(cast["ir-duty"])
    html = {"HTTP_ACCEPT": "text/html"}
    first = client.get(reverse("meetings:index"), **html)
    badge = client.get(reverse("process:desk-badge"))
    # When the next page is opened at the same position of the log
    second = client.get(reverse("meetings:index"), **html)
    # Then the first page asked for the badge, the second shows it with no request
    assert (first.status_code, badge.status_code, second.status_code) == (200, 200, 200)
    assert 'hx-trigger="load"' in first.text
    total = sum(group.count for group in attention_for(cast["ir-duty"]))
    assert 'hx-trigger="load"' not in second.text
    assert f'data-desk-total="{total}"' in second.text
    # And once something new happens that they may see, the page asks again
    channel_services.message_send(
        actor=cast["us-duty"],
        channel="DCC",
        text="Second report",
        precedence="ROUTINE",
        client_id="desk-cache-2",
    )
    third = client.get(reverse("meetings:index"), **html)
    assert third.status_code == 200
    assert 'hx-trigger="load"' in third.text
