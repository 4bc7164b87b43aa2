"""Sending a message, and translating one.

Sending is idempotent by ``client_id`` (per channel and sending side): a retry returns
the stored message, the same id with different content is refused with
``message.client_id_reused``. A retry is found by the insert's unique constraint, not by
a look-up first: the hot path is the first send, and it then costs no extra query.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.channels.access import (
    MESSAGE_NOT_FOUND,
    channel_access,
    channel_message_access,
    may_send,
    may_translate,
    message_rows,
    side_of,
    topic_access,
)
from accord.channels.models import Message, Translation
from accord.channels.services.attachments import AttachmentUpload, attachments_check
from accord.channels.services.chain import ChainEntry, message_append
from accord.channels.services.config import channel_settings
from accord.channels.settings import URGENT, ChannelSettings, Precedence
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent
from accord.process.models import Delegation, Mechanism

MESSAGE_NOT_ALLOWED = PermissionDenied.case(
    "message.not_a_sender",
    _("Only members of the channel who hold a role in it (not observers) may send."),
)
TEXT_EMPTY = ValidationFailed.case("message.text_empty", _("A message needs some text."))
TEXT_TOO_LONG = ValidationFailed.case(
    "message.text_too_long", _("A message can hold at most 20,000 characters.")
)
URGENT_TOO_LONG = ValidationFailed.case(
    "message.urgent_too_long",
    _("A {precedence} message is kept short: at most {limit} words (this one has {n})."),
)
PRECEDENCE_INVALID = ValidationFailed.case(
    "message.precedence_invalid",
    _("Precedence must be one of FLASH, IMMEDIATE, PRIORITY or ROUTINE."),
)
CLIENT_ID_INVALID = ValidationFailed.case(
    "message.client_id_invalid",
    _("The client id must be 1 to 64 letters, digits, '-', '_', ':' or '.'."),
)
CLIENT_ID_REUSED = Conflict.case(
    "message.client_id_reused", _("This client id was already used for a different message.")
)
RECIPIENT_NEEDED = ValidationFailed.case(
    "message.recipient_needed",
    _("Say which side the message is for: this channel has more than one."),
)
RECIPIENT_INVALID = ValidationFailed.case(
    "message.recipient_invalid", _("The message must go to another side of this channel.")
)
LANGUAGE_INVALID = ValidationFailed.case(
    "message.language_invalid",
    _("The language must be a language code such as 'en', 'fa' or 'ar'."),
)
TRANSLATION_NOT_ALLOWED = PermissionDenied.case(
    "message_translation.not_allowed",
    _("Only members of the channel who hold a role in it (not observers) may add a translation."),
)
TRANSLATION_INVALID = ValidationFailed.case(
    "message_translation.invalid", _("A translation needs a language code and some text.")
)
TRANSLATION_EXISTS = Conflict.case(
    "message_translation.exists",
    _("This message already has a translation into that language."),
)

MAX_TEXT_CHARS = 20_000
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


def precedence_and_language_checked(precedence: str, language: str) -> tuple[str, str]:
    """``precedence`` and ``language`` as a send takes them, else its refusal: for a write
    that must refuse before it changes anything (an acknowledgement with a reply)."""
    try:
        precedence = Precedence(precedence).value
    except ValueError:
        raise PRECEDENCE_INVALID() from None
    language = (language or "").strip()
    if not _LANGUAGE.match(language):
        raise LANGUAGE_INVALID()
    return precedence, language


@dataclass(frozen=True)
class _Draft:
    """A send's own fields, checked: what its retry must repeat."""

    text: str
    precedence: str
    client_id: str
    language: str
    recipient: Delegation


def message_send(
    *,
    actor: User,
    channel: str,
    text: str,
    precedence: str,
    client_id: str,
    language: str | None = None,
    to: str | None = None,
    topic_id: uuid.UUID | str | None = None,
    reply_to_id: uuid.UUID | str | None = None,
    attachments: list[AttachmentUpload] | None = None,
    now: dt.datetime | None = None,
) -> tuple[Message, bool]:
    """Sign, chain and store a message from ``actor``'s side; return (message, created).

    Idempotent by ``client_id``: a retried send returns the stored message with
    ``created`` False. The acknowledgement deadline comes from the charter's settings.
    ``topic_id`` and ``reply_to_id`` are public ids of a topic and a message of the channel.
    """
    # The side as loaded with the channel, signing key included.
    mechanism = channel_access(actor, channel, with_signing_keys=True)
    side = side_of(actor, mechanism)
    if side is None or not may_send(actor, mechanism):
        raise MESSAGE_NOT_ALLOWED()
    config = channel_settings(mechanism)
    draft = _draft_checked(
        mechanism,
        side,
        config,
        text=text,
        precedence=precedence,
        client_id=client_id,
        language=language or actor.writes_in,
        to=to,
    )
    checked = attachments_check(attachments or [], limit=config.attachment_max_bytes)
    entry = ChainEntry(
        mechanism=mechanism,
        kind=Message.Kind.MESSAGE,
        sender=actor,
        from_side=side,
        to_side=draft.recipient,
        precedence=draft.precedence,
        language=draft.language,
        text=draft.text,
        client_id=draft.client_id,
        deadline=config.acknowledge_within.for_precedence(draft.precedence),
        topic=topic_access(actor, mechanism, topic_id) if topic_id is not None else None,
        reply=(
            channel_message_access(actor, mechanism, reply_to_id)
            if reply_to_id is not None
            else None
        ),
        attachments=tuple(checked),
    )
    try:
        return message_append(entry, now=now), True
    except IntegrityError:
        existing = _retried(mechanism, side, draft)
        if existing is None:
            raise
        return existing, False


def _draft_checked(
    mechanism: Mechanism,
    side: Delegation,
    config: ChannelSettings,
    *,
    text: str,
    precedence: str,
    client_id: str,
    language: str | None,
    to: str | None,
) -> _Draft:
    """The send's fields, each checked (in the order a client's mistakes are named)."""
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise CLIENT_ID_INVALID()
    try:
        precedence = Precedence(precedence).value
    except ValueError:
        raise PRECEDENCE_INVALID() from None
    recipient = _recipient(mechanism, side, to)
    text = (text or "").strip()
    if not text:
        raise TEXT_EMPTY()
    if len(text) > MAX_TEXT_CHARS:
        raise TEXT_TOO_LONG()
    words = len(text.split())
    if precedence in URGENT and words > config.urgent_max_words:
        raise URGENT_TOO_LONG(precedence=precedence, limit=config.urgent_max_words, n=words)
    language = (language or side.language or "en").strip()
    if not _LANGUAGE.match(language):
        raise LANGUAGE_INVALID()
    return _Draft(text, precedence, client_id, language, recipient)


def _recipient(mechanism: Mechanism, sender: Delegation, to: str | None) -> Delegation:
    sides = [d for d in mechanism.delegations.all() if d.pk != sender.pk]
    if to:
        for side in sides:
            if side.code == to:
                return side
        raise RECIPIENT_INVALID()
    parties = [d for d in sides if d.is_party]
    candidates = parties if sender.is_party else sides
    if len(candidates) == 1:
        return candidates[0]
    raise RECIPIENT_NEEDED()


def _retried(mechanism: Mechanism, side: Delegation, draft: _Draft) -> Message | None:
    """The client id was used before (a retry, or a concurrent one that won the race):
    the stored message, or ``CLIENT_ID_REUSED`` when its content differs; None when no
    message has it (the insert failed for another reason)."""
    existing = message_existing(mechanism, side, draft.client_id)
    if existing is None:
        return None
    same = (existing.text, existing.precedence, existing.to_delegation_id) == (
        draft.text,
        draft.precedence,
        draft.recipient.pk,
    )
    if not same:
        raise CLIENT_ID_REUSED() from None
    return existing


def message_existing(mechanism: Mechanism, side: Delegation, client_id: str) -> Message | None:
    """The message ``side`` sent on ``mechanism`` with ``client_id``, if any."""
    return (
        Message.objects.filter(mechanism=mechanism, from_delegation=side, client_id=client_id)
        .select_related("mechanism", "from_delegation", "to_delegation", "sender", "topic")
        .first()
    )


def translation_add(
    *, actor: User, message_id: uuid.UUID | str, language: str, text: str
) -> Translation:
    """Add a translation (each side writes in its own language; the receiver translates)."""
    language = (language or "").strip()
    text = (text or "").strip()
    if not _LANGUAGE.match(language) or not text or len(text) > MAX_TEXT_CHARS:
        raise TRANSLATION_INVALID()
    added: list[Translation] = []

    def check(message: Message) -> None:
        if not may_translate(actor, message):
            raise TRANSLATION_NOT_ALLOWED()
        if Translation.objects.filter(message=message, language=language).exists():
            raise TRANSLATION_EXISTS()

    def change(message: Message) -> list[str]:
        # The message row is the lock; the translation is new.
        added.append(
            Translation.objects.create(
                message=message, scope=message.scope, language=language, text=text, translator=actor
            )
        )
        return []

    def events(message: Message) -> list[NewEvent]:
        payload = {
            "id": str(message.public_id),
            "channel": message.mechanism.code,
            "seq": message.seq,
            "language": language,
            "text": text,
            "by": str(actor),
        }
        return [
            NewEvent(
                "ChannelMessageTranslated",
                f"message:{message.public_id}",
                message.scope,
                payload,
                actor,
                message.mechanism.process,
            )
        ]

    with transaction.atomic():
        change_locked(
            message_rows(actor, message_id),
            missing=MESSAGE_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    return added[0]
