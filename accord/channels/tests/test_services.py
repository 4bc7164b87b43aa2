"""Sending, receipts, acknowledgement, duty handover, escalation and link tests."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from accord.channels import access, selectors, services
from accord.channels.models import DutyWatch, Escalation, Message
from accord.channels.services import escalation
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.sweeper import run_sweep

from .conftest import T0

ESCALATE = "accord.channels.services.messages_escalate_unacknowledged"
LINK_TESTS = "accord.channels.services.link_tests_send_due"


# --- sending --------------------------------------------------------------------------


def test_a_message_goes_to_the_other_side_signed_and_chained(send):
    first = send("us-duty", "One")
    second = send("ir-duty", "Two")
    assert (first.from_delegation.code, first.to_delegation.code) == ("US", "IR")
    assert (second.from_delegation.code, second.to_delegation.code) == ("IR", "US")
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert first.signature and second.signature
    assert Event.objects.filter(kind="ChannelMessageSent", scope="mechanism:DCC").count() == 2


def test_a_send_reads_the_signing_key_with_the_channel_and_signs_with_the_senders(send):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accord.channels import integrity
    from accord.channels.models import SigningKey

    send("us-duty", "Creates the US key")
    send("ir-duty", "Creates the IR key")
    with CaptureQueriesContext(connection) as queries:
        message = send("us-duty", "Signed with the key read with the channel")
    # The key came in the channel's query, not in a query of its own.
    key_table = SigningKey._meta.db_table
    assert not [q["sql"] for q in queries if q["sql"].startswith(f'SELECT "{key_table}"')]
    assert any(key_table in q["sql"] for q in queries)
    us_key = SigningKey.objects.get(delegation__code="US").public_key
    ir_key = SigningKey.objects.get(delegation__code="IR").public_key
    assert integrity.signature_valid(us_key, message.hash, message.signature)
    assert not integrity.signature_valid(ir_key, message.hash, message.signature)


def test_sending_again_with_the_same_client_id_is_a_no_op(on_watch):
    us = on_watch["us-duty"]
    first, created = services.message_send(
        actor=us, channel="DCC", text="Once", precedence="PRIORITY", client_id="abc-1"
    )
    again, created_again = services.message_send(
        actor=us, channel="DCC", text="Once", precedence="PRIORITY", client_id="abc-1"
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert Event.objects.filter(kind="ChannelMessageSent").count() == 1


def test_reusing_a_client_id_for_different_content_is_refused(on_watch):
    us = on_watch["us-duty"]
    services.message_send(actor=us, channel="DCC", text="A", precedence="ROUTINE", client_id="x")
    with pytest.raises(Conflict) as raised:
        services.message_send(
            actor=us, channel="DCC", text="B", precedence="ROUTINE", client_id="x"
        )
    assert raised.value.error_case is services.CLIENT_ID_REUSED
    assert raised.value.code == "message.client_id_reused"


def test_the_other_side_may_use_the_same_client_id(on_watch):
    for user in ("us-duty", "ir-duty"):
        services.message_send(
            actor=on_watch[user], channel="DCC", text="Hi", precedence="ROUTINE", client_id="same"
        )
    assert Message.objects.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "case"),
    [
        ({"text": "  "}, ValidationFailed, services.TEXT_EMPTY),
        ({"precedence": "URGENT"}, ValidationFailed, services.PRECEDENCE_INVALID),
        ({"client_id": "has space"}, ValidationFailed, services.CLIENT_ID_INVALID),
        ({"language": "English!"}, ValidationFailed, services.LANGUAGE_INVALID),
        ({"to": "PK"}, ValidationFailed, services.RECIPIENT_INVALID),
        ({"topic_id": 999}, NotFound, access.TOPIC_NOT_FOUND),
        ({"reply_to_id": "not-an-id"}, NotFound, access.MESSAGE_NOT_FOUND),
    ],
)
def test_bad_input_is_refused_with_a_sentence(on_watch, kwargs, error, case):
    arguments = {"text": "Hello", "precedence": "ROUTINE", "client_id": "c1"} | kwargs
    with pytest.raises(error) as raised:
        services.message_send(actor=on_watch["us-duty"], channel="DCC", **arguments)
    assert raised.value.error_case is case
    assert raised.value.message == str(case.sentence)
    assert Message.objects.count() == 0


def test_flash_texts_are_kept_short(on_watch):
    with pytest.raises(ValidationFailed, match="at most 200 words") as raised:
        services.message_send(
            actor=on_watch["us-duty"],
            channel="DCC",
            text="word " * 201,
            precedence="FLASH",
            client_id="long",
        )
    assert raised.value.error_case is services.URGENT_TOO_LONG


def test_observers_and_non_members_cannot_send(on_watch):
    with pytest.raises(PermissionDenied) as raised:
        services.message_send(
            actor=on_watch["us-observer"],
            channel="LDM",
            text="x",
            precedence="ROUTINE",
            client_id="o",
            to="IR",
        )
    assert raised.value.error_case is services.MESSAGE_NOT_ALLOWED
    with pytest.raises(NotFound) as raised:
        services.message_send(
            actor=on_watch["us-member"],
            channel="DCC",
            text="x",
            precedence="ROUTINE",
            client_id="m",
        )
    assert raised.value.error_case is access.CHANNEL_NOT_FOUND


def test_a_facilitator_on_a_four_sided_channel_names_the_recipient(on_watch):
    with pytest.raises(ValidationFailed, match="Say which side"):
        services.message_send(
            actor=on_watch["pk-duty"], channel="LDM", text="x", precedence="ROUTINE", client_id="p"
        )
    message, _ = services.message_send(
        actor=on_watch["pk-duty"],
        channel="LDM",
        text="x",
        precedence="ROUTINE",
        client_id="p",
        to="IR",
    )
    assert message.to_delegation.code == "IR"


def test_informed_facilitators_get_a_copy_and_nobody_else_outside(send):
    message = send("us-duty", "For the record")
    copy = Event.objects.get(kind="ChannelMessageCopiedToFacilitators")
    assert copy.scope == "facilitators"
    assert copy.payload["text"] == "For the record"
    assert copy.subject == f"message:{message.public_id}"


# --- receipts and acknowledgement -------------------------------------------------------


def test_receipts_go_delivered_then_read_and_only_from_the_receiving_side(send, on_watch):
    message = send("us-duty", "Receipt me")
    with pytest.raises(NotFound) as raised:
        services.receipts_record(
            actor=on_watch["us-duty"], channel="DCC", message_ids=[message.public_id], state="read"
        )
    assert raised.value.error_case is access.MESSAGE_NOT_FOUND
    for state, user in (("delivered", "ir-duty"), ("delivered", "ir-duty"), ("read", "ir-head")):
        services.receipts_record(
            actor=on_watch[user], channel="DCC", message_ids=[message.public_id], state=state
        )
    message.refresh_from_db()
    assert message.state == "read"
    receipts = Event.objects.filter(kind="ChannelReceiptsRecorded", subject="channel:DCC")
    assert [e.payload["receipt"] for e in receipts.order_by("seq")] == ["delivered", "read"]
    assert receipts.last().payload["messages"][0]["id"] == str(message.public_id)


def test_a_batch_of_receipts_is_one_transaction_and_one_event(send, on_watch):
    messages = [send("us-duty", f"Batch {n}") for n in range(4)]
    before = Event.objects.count()
    moved = services.receipts_record(
        actor=on_watch["ir-duty"],
        channel="DCC",
        message_ids=[m.public_id for m in messages],
        state="read",
    )
    assert [m.pk for m in moved] == [m.pk for m in messages]
    assert Event.objects.count() == before + 1
    event = Event.objects.get(kind="ChannelReceiptsRecorded")
    assert event.scope == "mechanism:DCC"
    assert [m["id"] for m in event.payload["messages"]] == [str(m.public_id) for m in messages]
    assert set(Message.objects.values_list("read_at", flat=True).distinct()) != {None}
    assert all(m.state == "read" for m in Message.objects.all())
    # Again: nothing moves, nothing is written.
    again = services.receipts_record(
        actor=on_watch["ir-duty"],
        channel="DCC",
        message_ids=[m.public_id for m in messages],
        state="delivered",
    )
    assert again == [] and Event.objects.count() == before + 1


@pytest.mark.parametrize("intruder", ["the other side's", "hidden", "missing", "malformed"])
def test_a_batch_naming_a_message_one_may_not_receipt_is_refused_like_a_missing_one(
    send, on_watch, intruder
):
    # us-head is a member of DCC, not of MCC.
    ours = send("ir-duty", "To the US")
    other = {
        "the other side's": lambda: send("us-duty", "To Iran").public_id,
        "hidden": lambda: send("ir-duty", "MCC to the US", channel="MCC").public_id,
        "missing": uuid.uuid4,
        "malformed": lambda: "not-an-id",
    }[intruder]()
    before = Event.objects.count()
    with pytest.raises(NotFound) as raised:
        services.receipts_record(
            actor=on_watch["us-head"],
            channel="DCC",
            message_ids=[ours.public_id, other],
            state="read",
        )
    assert raised.value.error_case is access.MESSAGE_NOT_FOUND
    assert Event.objects.count() == before
    ours.refresh_from_db()
    assert ours.delivered_at is None and ours.read_at is None


def test_only_a_duty_officer_of_the_receiving_side_acknowledges(send, on_watch):
    message = send("us-duty", "Ack me", "FLASH")
    with pytest.raises(PermissionDenied, match="receiving side") as raised:
        services.message_acknowledge(actor=on_watch["us-duty"], message_id=message.public_id)
    assert raised.value.error_case is services.NOT_DUTY_OFFICER
    with pytest.raises(NotFound):
        services.message_acknowledge(actor=on_watch["ir-member"], message_id=message.public_id)
    services.message_acknowledge(actor=on_watch["ir-duty"], message_id=message.public_id)
    message.refresh_from_db()
    assert message.state == "acknowledged"
    assert message.acknowledged_by == on_watch["ir-duty"]
    with pytest.raises(Conflict) as raised:
        services.message_acknowledge(actor=on_watch["ir-head"], message_id=message.public_id)
    assert raised.value.error_case is services.ALREADY_ACKNOWLEDGED
    assert raised.value.code == "acknowledgement.already_given"


def test_reading_is_not_acknowledging(send, on_watch):
    message = send("us-duty", "Read only", "FLASH")
    services.receipts_record(
        actor=on_watch["ir-duty"], channel="DCC", message_ids=[message.public_id], state="read"
    )
    message.refresh_from_db()
    assert message.read_at is not None and message.acknowledged_at is None


def test_an_acknowledgement_may_carry_a_reply(send, on_watch):
    message = send("us-duty", "Question?", "IMMEDIATE")
    services.message_acknowledge(
        actor=on_watch["ir-duty"], message_id=message.public_id, reply="Answer."
    )
    reply = Message.objects.get(reply=message)
    assert reply.text == "Answer."
    # ROUTINE unless its author raises it (issue 13; accord/channels/tests/test_replies.py).
    assert (reply.from_delegation.code, reply.precedence) == ("IR", "ROUTINE")


def test_a_translation_is_added_once_per_language(send, on_watch):
    message = send("ir-duty", "سلام", language="fa")
    services.translation_add(
        actor=on_watch["us-duty"], message_id=message.public_id, language="en", text="Hello"
    )
    with pytest.raises(Conflict) as raised:
        services.translation_add(
            actor=on_watch["us-duty"], message_id=message.public_id, language="en", text="Hi"
        )
    assert raised.value.error_case is services.TRANSLATION_EXISTS
    assert selectors.message_search(actor=on_watch["us-head"], query="Hello")[0] == message


# --- duty roster -------------------------------------------------------------------------


def test_the_demo_roster_puts_the_duty_officers_on_watch(on_watch):
    roster = {
        r.delegation.code: r.watch
        for r in selectors.duty_roster(actor=on_watch["us-duty"], channel="DCC")
    }
    assert roster["US"].officer.username == "us-duty"
    assert roster["US"].backup.username == "us-head"
    assert roster["IR"].officer.username == "ir-duty"


def test_duty_handover_moves_the_watch_with_a_note(on_watch):
    watch = services.duty_hand_over(
        actor=on_watch["us-duty"],
        channel="DCC",
        officer="us-head",
        backup="us-duty",
        note="Quiet night; IR asked about the round dates.",
    )
    current = DutyWatch.objects.get(mechanism__code="DCC", delegation__code="US", ended_at=None)
    assert current == watch
    assert (watch.officer.username, watch.backup.username) == ("us-head", "us-duty")
    previous = (
        DutyWatch.objects.filter(delegation__code="US", mechanism__code="DCC")
        .exclude(pk=watch.pk)
        .get()
    )
    assert previous.ended_at == watch.started_at
    event = Event.objects.filter(kind="DutyHandedOver").last()
    assert event.payload["note"] == "Quiet night; IR asked about the round dates."
    assert event.payload["from"] == "us-duty" and event.scope == "mechanism:DCC"


def test_handover_is_refused_to_people_off_watch_and_to_non_members(on_watch):
    with pytest.raises(NotFound):
        services.duty_hand_over(actor=on_watch["us-member"], channel="DCC", officer="us-member")
    with pytest.raises(ValidationFailed, match="same side"):
        services.duty_hand_over(actor=on_watch["us-duty"], channel="DCC", officer="ir-duty")
    with pytest.raises(ValidationFailed, match="same side"):
        services.duty_hand_over(actor=on_watch["us-duty"], channel="MCC", officer="us-head")
    with pytest.raises(ValidationFailed, match="someone other"):
        services.duty_hand_over(
            actor=on_watch["us-duty"], channel="DCC", officer="us-duty", backup="us-duty"
        )
    # The IR duty officer cannot hand over the US watch: the watch handed is always their own.
    services.duty_hand_over(actor=on_watch["ir-duty"], channel="DCC", officer="ir-head")
    us = DutyWatch.objects.get(mechanism__code="DCC", delegation__code="US", ended_at=None)
    assert us.officer.username == "us-duty"


def test_after_handover_the_new_officer_acknowledges(send, on_watch):
    services.duty_hand_over(actor=on_watch["ir-duty"], channel="DCC", officer="ir-head")
    message = send("us-duty", "For the new watch", "FLASH")
    services.message_acknowledge(actor=on_watch["ir-head"], message_id=message.public_id)
    message.refresh_from_db()
    assert message.state == "acknowledged"
    assert message.acknowledged_by == on_watch["ir-head"]


# --- escalation -------------------------------------------------------------------------


def _escalations(message):
    return list(Escalation.objects.filter(message=message).values_list("to", flat=True))


def test_a_missed_acknowledgement_climbs_the_ladder_once_per_rung(send, on_watch):
    message = send("us-duty", "Anyone there?", "FLASH", now=T0)  # due T0 + 10 min
    sweep = services.messages_escalate_unacknowledged
    assert sweep(now=T0 + dt.timedelta(minutes=9)) == 0
    assert sweep(now=T0 + dt.timedelta(minutes=11)) == 1
    assert sweep(now=T0 + dt.timedelta(minutes=12)) == 0
    assert _escalations(message) == ["backup_duty_officer"]
    assert sweep(now=T0 + dt.timedelta(minutes=26)) == 1  # + 15 min: the head
    assert sweep(now=T0 + dt.timedelta(minutes=71)) == 1  # + 1 h: the facilitators
    assert sweep(now=T0 + dt.timedelta(days=3)) == 0
    assert _escalations(message) == ["backup_duty_officer", "head_of_delegation", "facilitators"]
    events = Event.objects.filter(kind="ChannelMessageEscalated").order_by("seq")
    assert [e.scope for e in events] == ["mechanism:DCC", "party:IR", "facilitators"]
    assert events[0].payload["target"] == "ir-head"  # the backup on the IR roster
    assert events[1].payload["target"] == "ir-head"
    assert all("text" not in e.payload for e in events)


def test_escalation_is_exactly_once_per_rung_across_a_crash_between_rungs(
    send, on_watch, monkeypatch
):
    message = send("us-duty", "Crash test", "FLASH", now=T0)
    real_append = escalation.event_append
    calls = {"n": 0}

    def crash_on_second_rung(**kwargs):
        if kwargs["kind"] == "ChannelMessageEscalated":
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("power cut")
        return real_append(**kwargs)

    monkeypatch.setattr(escalation, "event_append", crash_on_second_rung)
    with pytest.raises(RuntimeError, match="power cut"):
        services.messages_escalate_unacknowledged(now=T0 + dt.timedelta(hours=5))
    message.refresh_from_db()
    assert message.escalation_level == 1
    assert _escalations(message) == ["backup_duty_officer"]

    monkeypatch.setattr(escalation, "event_append", real_append)
    assert services.messages_escalate_unacknowledged(now=T0 + dt.timedelta(hours=5)) == 2
    assert services.messages_escalate_unacknowledged(now=T0 + dt.timedelta(hours=6)) == 0
    assert _escalations(message) == ["backup_duty_officer", "head_of_delegation", "facilitators"]
    assert Event.objects.filter(kind="ChannelMessageEscalated").count() == 3


def test_a_rung_cannot_be_alerted_twice_even_if_called_directly(send):
    message = send("us-duty", "Twice?", "FLASH", now=T0)
    later = T0 + dt.timedelta(hours=1)
    assert services.message_escalate_rung(message_id=message.pk, rung=0, now=later)
    assert not services.message_escalate_rung(message_id=message.pk, rung=0, now=later)
    assert Escalation.objects.filter(message=message).count() == 1


def test_acknowledged_messages_are_not_escalated(send, on_watch):
    message = send("us-duty", "Seen", "FLASH", now=T0)
    services.message_acknowledge(actor=on_watch["ir-duty"], message_id=message.public_id)
    assert services.messages_escalate_unacknowledged(now=T0 + dt.timedelta(days=1)) == 0


def test_the_sweeper_runs_escalation_and_link_tests(send, settings):
    settings.ACCORD_SWEEPS = [LINK_TESTS, ESCALATE]
    send("us-duty", "Via the sweeper", "FLASH", now=T0)
    counts = run_sweep(now=T0 + dt.timedelta(minutes=11))
    assert counts["errors"] == 0
    assert counts[ESCALATE] >= 1
    assert counts[LINK_TESTS] > 0


# --- link tests and health -------------------------------------------------------------


def test_link_tests_are_sent_on_schedule_in_both_directions(on_watch):
    assert services.link_tests_send_due(now=T0) == 2 + 2 + 4  # DCC, MCC, LDM sides
    assert services.link_tests_send_due(now=T0 + dt.timedelta(minutes=5)) == 0
    tests = Message.objects.filter(kind="link_test", mechanism__code="DCC")
    assert {(m.from_delegation.code, m.to_delegation.code) for m in tests} == {
        ("US", "IR"),
        ("IR", "US"),
    }
    assert services.link_tests_send_due(now=T0 + dt.timedelta(hours=6, minutes=1)) >= 2


def test_channel_health_shows_last_success_ack_times_and_missed_tests(on_watch):
    start = timezone.now()
    services.link_tests_send_due(now=start)
    us_to_ir = Message.objects.get(
        kind="link_test", mechanism__code="DCC", from_delegation__code="US"
    )
    ir_to_us = Message.objects.get(
        kind="link_test", mechanism__code="DCC", from_delegation__code="IR"
    )
    services.message_acknowledge(actor=on_watch["ir-duty"], message_id=us_to_ir.public_id)
    # The US side never acknowledges IR's test: missed, and escalated.
    assert services.messages_escalate_unacknowledged(now=start + dt.timedelta(minutes=11)) >= 1
    health = selectors.channel_health(
        actor=on_watch["us-duty"], channel="DCC", now=start + dt.timedelta(minutes=20)
    )
    assert health.last_successful_test == us_to_ir
    assert health.tests_sent == 2
    assert [m.pk for m in health.missed_tests] == [ir_to_us.pk]
    assert health.ack_seconds_median is not None and health.ack_seconds_p95 is not None
    assert [e.to for e in health.missed_tests[0].escalations.all()] == ["backup_duty_officer"]


def test_link_tests_are_idempotent_per_slot_after_a_crash(on_watch):
    services.link_tests_send_due(now=T0)
    count = Message.objects.count()
    # Same slot again (e.g. a second sweeper after a crash): nothing new.
    for side in ("US", "IR"):
        message = Message.objects.filter(from_delegation__code=side, mechanism__code="DCC").first()
        assert (
            services.link_test_send(
                mechanism=message.mechanism,
                from_side=message.from_delegation,
                to_side=message.to_delegation,
                now=T0,
            )
            is None
        )
    assert Message.objects.count() == count
