"""The channels' desk items: messages and link tests waiting for the receiving side's
duty officer, and nothing of them on the sending side's desks."""

import datetime as dt

from django.utils import timezone

from accord.attention import attention_for
from accord.channels import services
from accord.channels.attention import (
    LINK_TEST_TO_ANSWER,
    MESSAGE_TO_ACKNOWLEDGE,
    link_tests_to_answer,
    messages_to_acknowledge,
)
from accord.process.models import Mechanism


def _kinds(user) -> dict[str, int]:
    return {group.kind.code: group.count for group in attention_for(user)}


def test_a_flash_waits_on_the_receiving_duty_officers_desk_with_its_precedence_and_text(
    send, on_watch
):
    # Given us-duty sends a FLASH to Iran on DCC
    message = send("us-duty", "Armed vessel approaching the strait, hold fire", "FLASH")
    # When ir-duty's desk is read
    items = messages_to_acknowledge(on_watch["ir-duty"])
    # Then the message waits there: precedence, channel, first words, deadline, link
    assert [i.subject for i in items] == [f"message:{message.public_id}"]
    item = items[0]
    assert item.badges == ("FLASH", "DCC")
    assert item.about.startswith("Armed vessel approaching")
    assert item.deadline == message.acknowledge_by
    assert item.urgent
    assert item.url.endswith(f"/channels/DCC/#msg-{message.public_id}")


def test_the_sending_side_and_those_off_the_channel_see_nothing_of_it(send, on_watch):
    # Given a FLASH from the US to Iran
    send("us-duty", "Armed vessel approaching", "FLASH")
    # When the US side, an Iranian expert off the channel and a facilitator read their desks
    # Then none of them has a message to acknowledge, not even a count
    for username in ("us-duty", "us-head", "ir-expert", "pk-chair"):
        assert MESSAGE_TO_ACKNOWLEDGE.code not in _kinds(on_watch[username]), username


def test_the_iranian_head_of_delegation_is_asked_too(send, on_watch):
    # Given a message to Iran
    send("us-duty", "Routine check", "ROUTINE")
    # Then Iran's head (who may acknowledge for the side) sees it on the desk
    assert _kinds(on_watch["ir-head"]).get(MESSAGE_TO_ACKNOWLEDGE.code) == 1


def test_an_acknowledged_message_leaves_the_desk(send, on_watch):
    # Given a message ir-duty acknowledges
    message = send("us-duty", "Please confirm", "IMMEDIATE")
    services.message_acknowledge(actor=on_watch["ir-duty"], message_id=message.public_id)
    # Then it no longer waits on the desk
    assert MESSAGE_TO_ACKNOWLEDGE.code not in _kinds(on_watch["ir-duty"])


def test_a_link_test_waits_as_a_link_test_to_answer_on_the_receiving_side(on_watch):
    # Given the sweeper's link test from the US to Iran on DCC
    dcc = Mechanism.objects.prefetch_related("delegations").get(code="DCC")
    sides = {d.code: d for d in dcc.delegations.all()}
    test = services.link_test_send(
        mechanism=dcc, from_side=sides["US"], to_side=sides["IR"], now=timezone.now()
    )
    assert test is not None
    # Then ir-duty has a link test to answer (not a message), and the US side nothing
    items = link_tests_to_answer(on_watch["ir-duty"])
    assert [i.subject for i in items] == [f"message:{test.public_id}"]
    assert items[0].deadline > timezone.now() - dt.timedelta(minutes=1)
    assert MESSAGE_TO_ACKNOWLEDGE.code not in _kinds(on_watch["ir-duty"])
    assert LINK_TEST_TO_ANSWER.code not in _kinds(on_watch["us-duty"])
