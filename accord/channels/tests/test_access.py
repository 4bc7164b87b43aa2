"""Each ``may_`` predicate of ``channels.access`` agrees with whether its service accepts.

Every demo role (the ``cast``) by the channels and messages in each direction: the
predicate is asked, then the service is run in a transaction that is rolled back;
"accepted" means it refused with neither ``PermissionDenied`` nor ``NotFound`` (a
validation error after the permission check still counts as accepted).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from accord.channels import access, services
from accord.channels.models import DutyWatch, Message
from accord.errors import NotFound, PermissionDenied
from accord.process.models import Mechanism
from accord.testing.may import service_accepts, service_refusal

CHANNELS = ("DCC", "MCC", "LDM")


def _accepts(service: Callable[..., object], **arguments: Any) -> bool:
    return service_accepts(partial(service, **arguments))


@pytest.fixture
def traffic(on_watch):
    """One unacknowledged message each way between the sides of every channel."""
    messages = []
    for code in CHANNELS:
        mechanism = Mechanism.objects.get(code=code)
        sides = list(mechanism.delegations.all())
        for sender in sides:
            for receiver in sides:
                if receiver == sender:
                    continue
                user = on_watch.get(f"{sender.code.lower()}-duty")
                if user is None or not access.may_send(user, mechanism):
                    continue
                message, _ = services.message_send(
                    actor=user,
                    channel=code,
                    text=f"{sender.code} to {receiver.code}",
                    precedence="PRIORITY",
                    client_id=f"{code}-{sender.code}-{receiver.code}",
                    to=receiver.code,
                )
                messages.append(message)
    assert len(messages) >= 2 * len(CHANNELS)
    return list(Message.objects.select_related("mechanism", "to_delegation", "from_delegation"))


def _mechanisms() -> list[Mechanism]:
    return list(Mechanism.objects.filter(code__in=CHANNELS).prefetch_related("delegations"))


def _agree(predicate: bool, accepted: bool, what: str) -> None:
    assert predicate == accepted, f"{what}: may_ says {predicate}, the service {accepted}"


def test_may_send_and_may_open_topic_agree_with_their_services(on_watch):
    for mechanism in _mechanisms():
        others = [d.code for d in mechanism.delegations.all()]
        for name, user in on_watch.items():
            side = user.delegation.code if user.delegation else None
            to = next((code for code in others if code != side), None)
            _agree(
                access.may_send(user, mechanism),
                _accepts(
                    services.message_send,
                    actor=user,
                    channel=mechanism.code,
                    text="Sampled",
                    precedence="ROUTINE",
                    client_id="sample",
                    to=to,
                ),
                f"{name} sends on {mechanism.code}",
            )
            _agree(
                access.may_open_topic(user, mechanism),
                _accepts(
                    services.topic_create, actor=user, channel=mechanism.code, title="Sampled"
                ),
                f"{name} opens a topic on {mechanism.code}",
            )


def test_message_predicates_agree_with_their_services(on_watch, traffic):
    sampled = {"receipt": 0, "acknowledge": 0, "translate": 0}
    for message in traffic:
        for name, user in on_watch.items():
            what = f"{name} on {message.mechanism.code} #{message.seq}"
            may_receipt = access.may_record_receipt(user, message)
            _agree(
                may_receipt,
                _accepts(
                    services.receipts_record,
                    actor=user,
                    channel=message.mechanism.code,
                    message_ids=[message.public_id],
                    state="read",
                ),
                f"{what}: receipt",
            )
            may_ack = access.may_acknowledge(user, message)
            _agree(
                may_ack,
                _accepts(services.message_acknowledge, actor=user, message_id=message.public_id),
                f"{what}: acknowledge",
            )
            if may_receipt:
                # Every message to one's side: the page's one question per channel.
                assert access.may_acknowledge_for_side(user, message.mechanism) == may_ack, what
            may_translate = access.may_translate(user, message)
            _agree(
                may_translate,
                _accepts(
                    services.translation_add,
                    actor=user,
                    message_id=message.public_id,
                    language="xx",
                    text="t",
                ),
                f"{what}: translate",
            )
            sampled["receipt"] += may_receipt
            sampled["acknowledge"] += may_ack
            sampled["translate"] += may_translate
    # Both answers occur: the sample is not all-yes or all-no.
    assert all(0 < n < len(traffic) * len(on_watch) for n in sampled.values()), sampled


def test_may_hand_over_and_may_take_watch_agree_with_the_handover(on_watch):
    handed = refused = 0
    for mechanism in _mechanisms():
        for name, user in on_watch.items():
            side = access.side_of(user, mechanism)
            if side is None:
                with pytest.raises((PermissionDenied, NotFound)):
                    services.duty_hand_over(actor=user, channel=mechanism.code, officer=name)
                assert not access.may_hand_over(user, mechanism, None)
                continue
            members = list(access.side_members(mechanism, side))
            if not members:
                continue
            watch = DutyWatch.objects.filter(
                mechanism=mechanism, delegation=side, ended_at=None
            ).first()
            may = access.may_hand_over(user, mechanism, watch)
            _agree(
                may,
                _accepts(
                    services.duty_hand_over,
                    actor=user,
                    channel=mechanism.code,
                    officer=members[0].username,
                ),
                f"{name} hands over {side.code} on {mechanism.code}",
            )
            handed += may
            refused += not may
            # Who may take the watch: the handover names them or refuses the officer.
            if watch is None:
                continue
            officer = watch.officer
            for candidate in on_watch.values():
                takes = access.may_take_watch(candidate, mechanism, side)
                refusal = service_refusal(
                    partial(
                        services.duty_hand_over,
                        actor=officer,
                        channel=mechanism.code,
                        officer=candidate.username,
                    )
                )
                assert refusal in (None, services.HANDOVER_OFFICER_INVALID), refusal
                accepted = refusal is None
                assert takes == accepted, (candidate.username, side.code, mechanism.code)
    assert handed and refused
