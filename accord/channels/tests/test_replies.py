"""Replies that don't loop (issue 13): a reply carried by an acknowledgement is ROUTINE
unless its author raises it, is tagged with the language its author chose (by default
the one they write in), and starts no escalation unless it is urgent itself."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.accounts.models import User
from accord.channels import services
from accord.channels.models import Escalation, Message
from accord.channels.services.escalation import message_escalates
from accord.errors import ValidationFailed


def _reply_to(message: Message) -> Message:
    return Message.objects.get(reply=message)


def _later(**delta: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)


@pytest.mark.parametrize("precedence", ["FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE"])
def test_a_reply_is_routine_whatever_the_precedence_it_answers(send, on_watch, precedence):
    message = send("us-duty", "Status?", precedence)
    services.message_acknowledge(
        actor=on_watch["ir-duty"], message_id=message.public_id, reply="All quiet."
    )
    reply = _reply_to(message)
    assert (reply.precedence, reply.from_delegation.code, reply.to_delegation.code) == (
        "ROUTINE",
        "IR",
        "US",
    )


def test_a_reply_is_raised_only_when_its_author_raises_it(send, on_watch):
    message = send("us-duty", "Incoming?", "FLASH")
    services.message_acknowledge(
        actor=on_watch["ir-duty"],
        message_id=message.public_id,
        reply="Yes, inbound now.",
        reply_precedence="IMMEDIATE",
    )
    assert _reply_to(message).precedence == "IMMEDIATE"


def test_a_reply_at_a_precedence_that_does_not_exist_is_refused_and_nothing_is_acknowledged(
    send, on_watch
):
    message = send("us-duty", "Incoming?", "FLASH")
    with pytest.raises(ValidationFailed) as refused:
        services.message_acknowledge(
            actor=on_watch["ir-duty"],
            message_id=message.public_id,
            reply="Yes.",
            reply_precedence="URGENT!!",
        )
    assert refused.value.error_case is services.PRECEDENCE_INVALID
    assert not Message.objects.filter(reply=message).exists()
    message.refresh_from_db()
    assert message.acknowledged_at is None
    with pytest.raises(ValidationFailed) as refused:
        services.message_acknowledge(
            actor=on_watch["ir-duty"],
            message_id=message.public_id,
            reply="Yes.",
            reply_language="English please",
        )
    assert refused.value.error_case is services.LANGUAGE_INVALID
    message.refresh_from_db()
    assert message.acknowledged_at is None


def test_a_reply_carries_the_language_its_author_chose(send, on_watch):
    message = send("us-duty", "Status?", "FLASH")
    services.message_acknowledge(
        actor=on_watch["ir-duty"],
        message_id=message.public_id,
        reply="All quiet.",
        reply_language="en",
    )
    assert _reply_to(message).language == "en"


def test_a_reply_is_by_default_in_its_authors_language_then_their_delegations(send, on_watch):
    """The Iranian duty officer writes in English: the reply is not tagged "fa"."""
    officer = on_watch["ir-duty"]
    first = send("us-duty", "One?", "FLASH")
    services.message_acknowledge(actor=officer, message_id=first.public_id, reply="بله")
    assert _reply_to(first).language == "fa"  # nothing chosen: the delegation's

    User.objects.filter(pk=officer.pk).update(language="en")
    officer.refresh_from_db()
    second = send("us-duty", "Two?", "FLASH")
    services.message_acknowledge(actor=officer, message_id=second.public_id, reply="Yes.")
    assert _reply_to(second).language == "en"
    assert officer.writes_in == "en"


def test_a_routine_reply_starts_no_escalation_however_long_it_waits(send, on_watch):
    message = send("us-duty", "Anyone?", "FLASH")
    services.message_acknowledge(
        actor=on_watch["ir-duty"], message_id=message.public_id, reply="Here."
    )
    reply = _reply_to(message)
    assert not message_escalates(reply)
    for days in (1, 2, 7):
        assert services.messages_escalate_unacknowledged(now=_later(days=days)) == 0
    assert not Escalation.objects.exists()
    reply.refresh_from_db()
    assert reply.escalation_level == 0 and reply.acknowledged_at is None


def test_an_urgent_reply_escalates_like_any_urgent_message(send, on_watch):
    message = send("us-duty", "Anyone?", "FLASH")
    services.message_acknowledge(
        actor=on_watch["ir-duty"],
        message_id=message.public_id,
        reply="Launch detected.",
        reply_precedence="FLASH",
    )
    reply = _reply_to(message)
    assert message_escalates(reply)
    assert services.messages_escalate_unacknowledged(now=_later(minutes=11)) == 1
    assert list(Escalation.objects.values_list("message_id", "to")) == [
        (reply.pk, "backup_duty_officer")
    ]


def test_a_routine_reply_sent_as_a_message_starts_no_escalation_either(send, on_watch):
    """The class, not the one path: a reply sent with ``reply_to`` follows the same rule."""
    message = send("us-duty", "Anyone?", "ROUTINE")
    reply = send("ir-duty", "Here.", "ROUTINE", reply_to_id=message.public_id)
    urgent = send("ir-duty", "And this.", "IMMEDIATE", reply_to_id=message.public_id)
    assert services.messages_escalate_unacknowledged(now=_later(days=3)) >= 1
    escalated = set(Escalation.objects.values_list("message_id", flat=True))
    assert reply.pk not in escalated and urgent.pk in escalated and message.pk in escalated


def test_the_page_offers_a_routine_reply_in_the_officers_language_and_sends_what_was_chosen(
    send, on_watch
):
    message = send("us-duty", "Status?", "FLASH")
    client = Client()
    client.force_login(on_watch["ir-duty"])
    page = client.get(reverse("channels:detail", args=["DCC"]))
    assert page.status_code == 200
    assert '<option value="ROUTINE" selected>' in page.text
    assert 'name="reply_language" size="4" value="fa"' in page.text
    answered = client.post(
        reverse("channels:acknowledge", args=["DCC", message.public_id]),
        {"reply": "All quiet.", "reply_precedence": "ROUTINE", "reply_language": "en"},
    )
    assert answered.status_code == 302
    reply = _reply_to(message)
    assert (reply.precedence, reply.language) == ("ROUTINE", "en")


def test_the_api_takes_the_replys_precedence_and_language(send, on_watch):
    message = send("us-duty", "Status?", "FLASH")
    client = Client()
    client.force_login(on_watch["ir-duty"])
    answered = client.post(
        f"/api/channels/messages/{message.public_id}/acknowledge",
        {"reply": "Yes.", "reply_precedence": "PRIORITY", "reply_language": "en"},
        content_type="application/json",
    )
    assert answered.status_code == 200
    reply = _reply_to(message)
    assert (reply.precedence, reply.language) == ("PRIORITY", "en")
