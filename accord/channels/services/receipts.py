"""Receipts and acknowledgement (decision 0044).

*Delivered* and *read* are reported by a client of the receiving side, for many
messages at once: ``receipts_record`` takes a batch and writes it in one transaction
with one event. Reading a channel (its page, its API list) records nothing: reads never
write. *Acknowledged* is an explicit act of a duty officer of the receiving side,
optionally with a reply; it stops escalation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.channels.access import (
    MESSAGE_NOT_FOUND,
    channel_access,
    may_acknowledge,
    message_rows,
)
from accord.channels.models import Message
from accord.channels.services.messages import message_send, precedence_and_language_checked
from accord.channels.settings import Precedence
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, events_append
from accord.locking import lock_rows
from accord.process.models import Mechanism
from accord.public_ids import parse_public_id

RECEIPT_STATE_INVALID = ValidationFailed.case(
    "receipt.state_invalid", _("A receipt is 'delivered' or 'read'.")
)
RECEIPTS_BATCH_INVALID = ValidationFailed.case(
    "receipt.batch_invalid", _("A batch of receipts names 1 to {limit} messages.")
)
NOT_DUTY_OFFICER = PermissionDenied.case(
    "acknowledgement.not_duty_officer",
    _("Only a duty officer (or the head) of the receiving side can acknowledge."),
)
ALREADY_ACKNOWLEDGED = Conflict.case(
    "acknowledgement.already_given", _("This message was already acknowledged.")
)

RECEIPT_STATES = ("delivered", "read")
MAX_RECEIPTS = 500


def receipts_record(
    *, actor: User, channel: str, message_ids: Sequence[uuid.UUID | str], state: str
) -> list[Message]:
    """Record that a client of ``actor``'s side has these messages of ``channel``
    (``delivered``) or showed them there (``read``); return the messages whose state
    moved. One transaction and, when anything moved, one ``ChannelReceiptsRecorded``
    event for the whole batch. Idempotent: the first receipt of each kind counts.

    Every id must name a message of the channel addressed to ``actor``'s side; any
    other (missing, malformed, hidden, or the other side's to give) refuses the whole
    batch with ``MESSAGE_NOT_FOUND``, the same answer for each, so a batch tells
    nothing about messages one may not receipt.
    """
    if state not in RECEIPT_STATES:
        raise RECEIPT_STATE_INVALID()
    wanted = {parse_public_id(i) for i in message_ids}
    if not 1 <= len(message_ids) <= MAX_RECEIPTS:
        raise RECEIPTS_BATCH_INVALID(limit=MAX_RECEIPTS)
    if None in wanted:
        raise MESSAGE_NOT_FOUND()
    mechanism = channel_access(actor, channel)
    side = accounts_access.delegation_of(actor)
    if side is None:
        raise MESSAGE_NOT_FOUND()
    now = timezone.now()
    with transaction.atomic():
        rows = accounts_access.restrict(
            Message.objects.filter(mechanism=mechanism, to_delegation=side, public_id__in=wanted),
            actor,
        )
        messages = list(lock_rows(rows).order_by("seq"))
        if len(messages) != len(wanted):
            raise MESSAGE_NOT_FOUND()
        moved = [m for m in messages if _receipt_set(m, state, now)]
        if moved:
            _receipts_save(moved, state, now)
            events_append([_receipts_event(mechanism, moved, state, actor)])
    return moved


def _receipt_set(message: Message, state: str, now: dt.datetime) -> bool:
    """Move ``message`` to ``state`` in memory; False when it was there already."""
    moved = False
    if message.delivered_at is None:
        message.delivered_at = now
        moved = True
    if state == "read" and message.read_at is None:
        message.read_at = now
        moved = True
    return moved


def _receipts_save(messages: list[Message], state: str, now: dt.datetime) -> None:
    """At most two statements for the batch, whatever its size."""
    ids = [m.pk for m in messages]
    Message.objects.filter(pk__in=ids, delivered_at__isnull=True).update(delivered_at=now)
    if state == "read":
        Message.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=now)


def _receipts_event(
    mechanism: Mechanism, messages: list[Message], state: str, actor: User
) -> NewEvent:
    code = mechanism.code
    return NewEvent(
        kind="ChannelReceiptsRecorded",
        subject=f"channel:{code}",
        scope=accounts_access.mechanism_scope(code),
        payload={
            "channel": code,
            "receipt": state,
            "messages": [
                {"id": str(m.public_id), "seq": m.seq, "client_id": m.client_id, "state": m.state}
                for m in messages
            ],
            "by": str(actor),
        },
        actor=actor,
        process=mechanism.process,
    )


def message_acknowledge(
    *,
    actor: User,
    message_id: uuid.UUID | str,
    reply: str | None = None,
    client_id: str | None = None,
    reply_precedence: str | None = None,
    reply_language: str | None = None,
) -> Message:
    """Acknowledge a message as a duty officer of the receiving side, optionally replying.

    Acknowledgement is an explicit act, never implied by reading; it stops escalation.
    A second acknowledgement is refused with ``acknowledgement.already_given``.

    The reply is ROUTINE unless ``reply_precedence`` raises it, and is tagged
    ``reply_language``, by default the language its author writes in (``User.writes_in``):
    not the acknowledged message's precedence, nor its side's language. A reply that is not
    urgent itself starts no escalation (``escalation.message_escalates``).
    """
    now = timezone.now()
    replying = bool(reply and reply.strip())
    # The reply's fields are checked before anything is acknowledged: a refused reply
    # leaves the message as it was, for the officer to try again.
    if replying:
        precedence, language = precedence_and_language_checked(
            reply_precedence or Precedence.ROUTINE, reply_language or actor.writes_in
        )

    def check(message: Message) -> None:
        if not may_acknowledge(actor, message):
            raise NOT_DUTY_OFFICER()
        if message.acknowledged_at is not None:
            raise ALREADY_ACKNOWLEDGED()

    def change(message: Message) -> list[str]:
        message.acknowledged_at = now
        message.acknowledged_by = actor
        message.delivered_at = message.delivered_at or now
        message.read_at = message.read_at or now
        return ["acknowledged_at", "acknowledged_by", "delivered_at", "read_at"]

    def events(message: Message) -> list[NewEvent]:
        seconds = round((now - message.sent_at).total_seconds(), 3)
        late = now > message.acknowledge_by
        return [_receipt_event(message, "ChannelMessageAcknowledged", actor, seconds, late)]

    with transaction.atomic():
        message = change_locked(
            message_rows(actor, message_id),
            missing=MESSAGE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    if replying:
        assert reply is not None  # replying says so
        _reply_send(actor, message, reply, client_id, precedence=precedence, language=language)
    return message


def _reply_send(
    actor: User,
    message: Message,
    reply: str,
    client_id: str | None,
    *,
    precedence: str,
    language: str,
) -> None:
    """The reply carried by an acknowledgement: a message back in the same topic, at the
    precedence and in the language its author chose (issue 13: a reply at the answered
    message's FLASH needed acknowledging itself and escalated, a loop)."""
    message_send(
        actor=actor,
        channel=message.mechanism.code,
        text=reply,
        precedence=precedence,
        language=language,
        client_id=client_id or f"reply-{message.public_id}",
        to=message.from_delegation.code,
        topic_id=message.topic.public_id if message.topic else None,
        reply_to_id=message.public_id,
    )


def _receipt_event(
    message: Message, kind: str, actor: User, seconds: float, late: bool
) -> NewEvent:
    return NewEvent(
        kind=kind,
        subject=f"message:{message.public_id}",
        scope=message.scope,
        payload={
            "id": str(message.public_id),
            "channel": message.mechanism.code,
            "seq": message.seq,
            "client_id": message.client_id,
            "state": message.state,
            "by": str(actor),
            "seconds": seconds,
            "late": late,
        },
        actor=actor,
        process=message.mechanism.process,
    )
