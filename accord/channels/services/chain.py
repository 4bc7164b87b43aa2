"""A channel's chain: each message signed by its side and linked to the one before.

``message_append`` is the one writer of messages (sends, replies and link tests alike):
under the channel head's lock it numbers the message, hashes its signed fields, signs
the hash with the sending side's key, stores it with its attachments, moves the head
and announces it, all in one transaction (decision 0041). It is the hot path of the
hotline: it reads nothing it was not handed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import User
from accord.channels import integrity, keys
from accord.channels.models import Attachment, ChannelHead, Message, SigningKey, Topic
from accord.channels.payloads import message_payload, signed_fields
from accord.channels.services.attachments import CheckedAttachment
from accord.events.services import NewEvent, events_append
from accord.process.models import Delegation, Mechanism


@dataclass(frozen=True)
class ChainEntry:
    """One message to append, checked by its service: who, to whom, what."""

    mechanism: Mechanism
    kind: str
    sender: User | None
    from_side: Delegation
    to_side: Delegation
    precedence: str
    language: str
    text: str
    client_id: str
    deadline: dt.timedelta
    topic: Topic | None = None
    reply: Message | None = None
    attachments: tuple[CheckedAttachment, ...] = ()


def signing_key_ensure(*, delegation: Delegation) -> SigningKey:
    """The delegation's signing key, created on first use (idempotent, race-safe).

    Read through the delegation's reverse relation: no query when the delegation was
    loaded with its key (``select_related("channel_signing_key")``).
    """
    try:
        return delegation.channel_signing_key
    except SigningKey.DoesNotExist:
        pass
    private = Ed25519PrivateKey.generate()
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                process_id=delegation.process_id,
                delegation=delegation,
                public_key=integrity.public_key_text(private.public_key()),
                private_key_encrypted=keys.private_key_seal(
                    private, delegation_code=delegation.code
                ),
            )
    except IntegrityError:
        return SigningKey.objects.get(delegation=delegation)


def _private_key(delegation: Delegation) -> Ed25519PrivateKey:
    key = signing_key_ensure(delegation=delegation)
    return keys.private_key_open(key.private_key_encrypted, delegation_code=delegation.code)


def message_append(entry: ChainEntry, *, now: dt.datetime | None = None) -> Message:
    """Append one message to the channel's chain, sign it and announce it (one
    transaction). An ``IntegrityError`` means the side used the client id before."""
    private_key = _private_key(entry.from_side)
    with transaction.atomic():
        head = _head_locked(entry.mechanism)
        message = _message_new(entry, head, sent_at=(now or timezone.now()).astimezone(dt.UTC))
        message.hash = integrity.message_hash(signed_fields(message, _described(entry)))
        message.signature = integrity.sign(private_key, message.hash)
        message.save(force_insert=True)
        _known_related(message, attachments=_attachments_store(message, entry.attachments))
        head.seq = message.seq
        head.hash = message.hash
        head.save(update_fields=["seq", "hash"])
        events_append(_announced(message))
    return message


def _head_locked(mechanism: Mechanism) -> ChannelHead:
    """Lock the channel's chain head (creating it at genesis); hold it to commit."""
    head = ChannelHead.objects.select_for_update().filter(mechanism=mechanism).first()
    if head is None:
        ChannelHead.objects.get_or_create(
            mechanism=mechanism, defaults={"hash": integrity.GENESIS_HASH}
        )
        head = ChannelHead.objects.select_for_update().get(mechanism=mechanism)
    return head


def _message_new(entry: ChainEntry, head: ChannelHead, *, sent_at: dt.datetime) -> Message:
    """The message (not saved yet) that follows ``head`` in its channel."""
    mechanism = entry.mechanism
    return Message(
        process_id=mechanism.process_id,
        mechanism=mechanism,
        scope=access.mechanism_scope(mechanism.code),
        seq=head.seq + 1,
        kind=entry.kind,
        topic=entry.topic,
        client_id=entry.client_id,
        sender=entry.sender,
        from_delegation=entry.from_side,
        to_delegation=entry.to_side,
        precedence=entry.precedence,
        language=entry.language,
        text=entry.text,
        sent_at=sent_at,
        acknowledge_by=sent_at + entry.deadline,
        reply=entry.reply,
        prev_hash=head.hash,
    )


def _described(entry: ChainEntry) -> list[dict[str, Any]]:
    """The attachments as the signature covers them: name, type and hash of the bytes."""
    return [
        {"filename": a.filename, "content_type": a.content_type, "sha256": a.sha256}
        for a in entry.attachments
    ]


def _attachments_store(
    message: Message, attachments: tuple[CheckedAttachment, ...]
) -> list[Attachment]:
    return [
        Attachment.objects.create(
            message=message,
            scope=message.scope,
            filename=item.filename,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
            data=item.content,
        )
        for item in attachments
    ]


def _known_related(message: Message, *, attachments: list[Attachment]) -> None:
    """Record a message's related rows as read, for a message just created here: its
    attachments are ``attachments`` and it has no translations or escalations yet.

    The payload of its event and the API's answer to its sender then cost no query, as
    if Django had prefetched them: sending is the hotline's hot path.
    """
    message._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "attachments": attachments,
        "translations": [],
        "escalations": [],
    }


def _announced(message: Message) -> list[NewEvent]:
    """The events of a new message: to the channel, and a copy to the facilitators when
    the charter says they are informed and none of them is a side (decision 0043)."""
    mechanism = message.mechanism
    payload = message_payload(message)
    is_message = message.kind == Message.Kind.MESSAGE

    def event(kind: str, scope: str) -> NewEvent:
        return NewEvent(
            kind=kind,
            subject=f"message:{message.public_id}",
            scope=scope,
            payload=payload,
            actor=message.sender,
            process=mechanism.process,
            occurred_at=message.sent_at,
        )

    announced = [event("ChannelMessageSent" if is_message else "LinkTestSent", message.scope)]
    # Facilitators who are members already see the channel; others get a copy.
    if (
        mechanism.facilitators_informed
        and is_message
        and not any(d.is_facilitator for d in mechanism.delegations.all())
    ):
        announced.append(event("ChannelMessageCopiedToFacilitators", access.FACILITATORS))
    return announced
