"""Alerts on every page: urgent messages and escalations that need the viewer, until
acknowledged, in the banner and the nav badge of every page (decision 0071)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accord.channels import services
from accord.channels.selectors import alerts_for
from accord.channels.tests.conftest import T0
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db


def _page(user, path="/"):
    client = Client()
    client.force_login(user)
    return client.get(path, headers={"Accept": "text/html"})


def test_a_flash_to_my_side_is_an_alert_for_its_duty_officer_and_not_for_the_sender(send, on_watch):
    # Given us-duty sends a FLASH to Iran
    message = send("us-duty", "Unidentified aircraft heading east", "FLASH")
    # When each side's duty officer asks what needs them
    iran = alerts_for(actor=on_watch["ir-duty"])
    us = alerts_for(actor=on_watch["us-duty"])
    # Then only Iran's has it, with its words, and may acknowledge it
    assert [a.id for a in iran.alerts] == [str(message.public_id)]
    assert iran.alerts[0].text == "Unidentified aircraft heading east"
    assert iran.alerts[0].may_acknowledge
    assert iran.to_acknowledge == [str(message.public_id)]
    assert "DCC" in iran.acknowledges_on
    assert us.alerts == [] and us.to_acknowledge == []


def test_a_routine_message_is_counted_to_acknowledge_but_raises_no_banner(send, on_watch):
    message = send("us-duty", "Routine note", "ROUTINE")
    found = alerts_for(actor=on_watch["ir-duty"])
    assert found.alerts == []
    assert found.to_acknowledge == [str(message.public_id)]


def test_an_expert_who_does_not_act_as_duty_officer_gets_no_alert(send, on_watch):
    send("us-duty", "Unidentified aircraft", "FLASH")
    found = alerts_for(actor=on_watch["ir-expert"])
    assert found.alerts == [] and found.to_acknowledge == []


def test_an_acknowledged_message_is_no_longer_an_alert(send, on_watch):
    message = send("us-duty", "Confirm", "IMMEDIATE")
    services.message_acknowledge(actor=on_watch["ir-duty"], message_id=str(message.public_id))
    found = alerts_for(actor=on_watch["ir-duty"])
    assert found.alerts == [] and found.to_acknowledge == []


def test_every_escalation_that_reaches_me_is_an_alert_whatever_the_precedence(send, on_watch):
    # Given a ROUTINE message nobody acknowledged, escalated up the whole ladder
    message = send("us-duty", "Anyone there?", "ROUTINE", now=T0)
    services.messages_escalate_unacknowledged(now=T0 + dt.timedelta(days=3))
    # When the backup (and head) of Iran and a facilitator ask
    head = alerts_for(actor=on_watch["ir-head"])
    facilitator = alerts_for(actor=on_watch["pk-chair"])
    # Then each has it, the facilitator without its words (not a member of the channel)
    assert [a.id for a in head.alerts] == [str(message.public_id)]
    assert head.alerts[0].escalated_to == "head_of_delegation"
    assert [a.id for a in facilitator.alerts] == [str(message.public_id)]
    assert facilitator.alerts[0].escalated_to == "facilitators"
    assert facilitator.alerts[0].text is None
    assert not facilitator.alerts[0].may_acknowledge and not facilitator.alerts[0].member


def test_the_other_sides_escalations_never_reach_me(send, on_watch):
    # Given a message to Iran escalated to Iran's head (party:IR) and the facilitators
    message = send("us-duty", "Anyone there?", "FLASH", now=T0)
    services.messages_escalate_unacknowledged(now=T0 + dt.timedelta(days=3))
    # Then the US head and duty officer learn nothing of it on any page
    for username in ("us-head", "us-duty"):
        assert alerts_for(actor=on_watch[username]).alerts == []
        page = _page(on_watch[username])
        assert page.status_code == 200
        assert b'class="alert ' not in page.content
        assert f'data-message-id="{message.public_id}"'.encode() not in page.content


def test_every_page_shows_the_banner_and_the_badge_after_a_reload(send, on_watch):
    # Given a FLASH to Iran
    message = send("us-duty", "Unidentified aircraft heading east", "FLASH")
    # When ir-duty opens the home page and a text list
    for path in ("/", reverse("drafting:list")):
        page = _page(on_watch["ir-duty"], path)
        # Then the banner shows it with an acknowledge button, and the badge counts it
        assert page.status_code == 200
        html = page.content.decode()
        assert f'data-message-id="{message.public_id}"' in html
        assert "Unidentified aircraft heading east" in html
        assert f'data-ack="{message.public_id}"' in html
        assert '<span id="ack-count">1</span>' in html
        assert_learns_nothing_of_others(html)


def test_the_sender_sees_no_banner_and_no_badge(send, on_watch):
    send("us-duty", "Unidentified aircraft heading east", "FLASH")
    page = _page(on_watch["us-duty"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Unidentified aircraft heading east" not in html
    assert 'id="ack-badge" class="ack-badge" hidden' in html


def test_an_operator_without_a_delegation_gets_no_alerts(db, on_watch):
    from accord.accounts.models import User

    operator = User.objects.create_user(username="ops")
    assert alerts_for(actor=operator).alerts == []
