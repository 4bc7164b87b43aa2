"""Every write on channels: send, receipts, acknowledgement, duty handover, topics,
translations, escalation of missed acknowledgements and scheduled link tests.

Each service checks permission, validates, writes in one transaction and appends its
event(s) there. Channel events carry ``scope = mechanism:<code>``, so the live feed
brings them to the channel's members only; an escalation to a head of delegation goes
to that delegation (``party:<code>``) and one to the facilitators to ``facilitators``,
both without the message text. When the charter says the facilitators are informed,
each message is also copied to them (``facilitators`` scope).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from typing import Any

import filetype
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import Appointment, Role, User
from accord.channels import integrity, keys
from accord.channels.models import (
    Attachment,
    ChannelHead,
    DutyWatch,
    Escalation,
    Message,
    SigningKey,
    Topic,
    Translation,
)
from accord.channels.settings import (
    URGENT,
    ChannelSettings,
    ChannelSettingsInvalid,
    Precedence,
    channel_settings_parse,
)
from accord.errors import AccordError, Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.services import NewEvent, event_append, events_append
from accord.process.models import Delegation, Mechanism
from accord.public_ids import parse_public_id

logger = logging.getLogger(__name__)

CHANNEL_NOT_FOUND = "There is no such channel, or you are not one of its members."
MESSAGE_NOT_FOUND = "There is no such message."
TOPIC_NOT_FOUND = "There is no such topic in this channel."
NOT_A_SENDER = "Only members of the channel who hold a role in it (not observers) may send."
TEXT_EMPTY = "A message needs some text."
TEXT_TOO_LONG = "A message can hold at most 20,000 characters."
URGENT_TOO_LONG = "A {precedence} message is kept short: at most {limit} words (this one has {n})."
PRECEDENCE_INVALID = "Precedence must be one of FLASH, IMMEDIATE, PRIORITY or ROUTINE."
CLIENT_ID_INVALID = "The client id must be 1 to 64 letters, digits, '-', '_', ':' or '.'."
CLIENT_ID_REUSED = "This client id was already used for a different message."
RECIPIENT_NEEDED = "Say which side the message is for: this channel has more than one."
RECIPIENT_INVALID = "The message must go to another side of this channel."
LANGUAGE_INVALID = "The language must be a language code such as 'en', 'fa' or 'ar'."
NOT_RECEIVING_SIDE = "Only the receiving side records that a message was delivered or read."
NOT_DUTY_OFFICER = "Only a duty officer (or the head) of the receiving side can acknowledge."
ALREADY_ACKNOWLEDGED = "This message was already acknowledged."
HANDOVER_NOT_ALLOWED = (
    "Only the officer on watch, the backup or the head of the side can hand over the watch."
)
HANDOVER_OFFICER_INVALID = "The new officer must be a member of this channel on the same side."
HANDOVER_SAME_PEOPLE = "The backup must be someone other than the officer on watch."
TOPIC_TITLE_INVALID = "A topic needs a title of at most 200 characters."
TOPIC_EXISTS = "A topic with this title already exists in this channel."
TRANSLATION_INVALID = "A translation needs a language code and some text."
TRANSLATION_EXISTS = "This message already has a translation into that language."
ATTACHMENT_TOO_LARGE = "The attachment {name!r} is larger than the {limit:,} bytes allowed."
ATTACHMENT_EMPTY = "The attachment {name!r} is empty."
ATTACHMENT_TYPE_REFUSED = (
    "The attachment {name!r} is not one of the accepted types (PDF, PNG, JPEG, GIF, WebP, "
    "plain text, DOCX, XLSX, ZIP)."
)
ATTACHMENT_EXTENSION_LIES = (
    "The attachment {name!r} has the extension .{ext} but its content is {actual}."
)
ATTACHMENT_NAME_INVALID = "An attachment needs a file name with an extension."
TOO_MANY_ATTACHMENTS = "A message can carry at most 5 attachments."

MAX_TEXT_CHARS = 20_000
MAX_ATTACHMENTS = 5
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
# Extension -> the content types its bytes may sniff as (None: no magic number; text).
ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "zip": ("application/zip",),
    "txt": ("text/plain",),
}


class ChannelConfigInvalid(AccordError):
    """The charter's settings for a channel are malformed (an operator must fix them)."""

    code = "channel_settings_invalid"
    status = 409


# --- channels, membership, settings -------------------------------------------------


def channel_settings(mechanism: Mechanism) -> ChannelSettings:
    """The validated settings of ``mechanism``; ``ChannelConfigInvalid`` names the key."""
    try:
        return channel_settings_parse(mechanism.code, mechanism.settings)
    except ChannelSettingsInvalid as error:
        raise ChannelConfigInvalid(str(error)) from None


def channel_for(*, actor: Any, code: str, with_signing_keys: bool = False) -> Mechanism:
    """The channel ``code`` if ``actor`` is one of its members; else ``NotFound``.

    ``with_signing_keys``: each side comes with its signing key, for a send: one
    database round trip fewer, and under load every round trip waits for a core.
    """
    granted = access.clearance(actor)
    if granted.process_id is None or not granted.allows(
        granted.process_id, access.mechanism_scope(code)
    ):
        raise NotFound(CHANNEL_NOT_FOUND)
    # The channel and its sides in one query, through the membership table: every send
    # asks for both.
    related = ["mechanism__process", "delegation"]
    if with_signing_keys:
        related.append("delegation__channel_signing_key")
    memberships = list(
        Mechanism.delegations.through.objects.filter(
            mechanism__process_id=granted.process_id, mechanism__code=code
        )
        .select_related(*related)
        .order_by("delegation__kind", "delegation__order", "delegation__code")
    )
    if memberships:
        mechanism = memberships[0].mechanism
    else:
        # A mechanism the charter gives no sides: no membership row names it.
        found = (
            Mechanism.objects.filter(process_id=granted.process_id, code=code)
            .select_related("process")
            .first()
        )
        if found is None:
            raise NotFound(CHANNEL_NOT_FOUND)
        mechanism = found
    # As ``prefetch_related("delegations")`` would leave it (Delegation's own order).
    sides = Delegation.objects.filter(mechanisms=mechanism)
    sides._result_cache = [m.delegation for m in memberships]
    sides._prefetch_done = True  # type: ignore[attr-defined]
    mechanism._prefetched_objects_cache = {"delegations": sides}  # type: ignore[attr-defined]
    return mechanism


def member_roles(actor: Any, mechanism: Mechanism) -> set[str]:
    """Roles ``actor`` holds in ``mechanism`` (appointments there); none for anyone the
    access policy clears for nothing (no delegation, inactive)."""
    return access.clearance(actor).roles_in(mechanism.process_id, mechanism.code)


def _is_head(user: Any, delegation: Delegation) -> bool:
    return (
        user.delegation_id == delegation.pk
        and Appointment.objects.filter(user=user, role=Role.HEAD_OF_DELEGATION).exists()
    )


def may_acknowledge(actor: Any, message: Message) -> bool:
    """A duty officer of the receiving side: on watch, backup, appointed as duty
    officer on the channel, or that side's head of delegation."""
    if getattr(actor, "delegation_id", None) != message.to_delegation_id:
        return False
    watch = current_watch(message.mechanism, message.to_delegation)
    if watch is not None and actor.pk in (watch.officer_id, watch.backup_id):
        return True
    roles = member_roles(actor, message.mechanism)
    if Role.DUTY_OFFICER in roles:
        return True
    return _is_head(actor, message.to_delegation)


def may_acknowledge_any(actor: Any, mechanism: Mechanism) -> bool:
    """Whether ``actor`` acts as a duty officer of their side on this channel."""
    side = getattr(actor, "delegation", None)
    if side is None or side not in mechanism.delegations.all():
        return False
    watch = current_watch(mechanism, side)
    if watch is not None and actor.pk in (watch.officer_id, watch.backup_id):
        return True
    return Role.DUTY_OFFICER in member_roles(actor, mechanism) or _is_head(actor, side)


def side_members(mechanism: Mechanism, side: Delegation) -> list[User]:
    """Users of ``side`` who hold a role (not observer) on the channel: who can take a watch."""
    return list(
        User.objects.filter(
            delegation=side,
            is_active=True,
            appointments__mechanism=mechanism,
            appointments__role__in=[r for r in Role.values if r != Role.OBSERVER],
        )
        .distinct()
        .order_by("username")
    )


def current_watch(mechanism: Mechanism, delegation: Delegation) -> DutyWatch | None:
    return (
        DutyWatch.objects.filter(mechanism=mechanism, delegation=delegation, ended_at__isnull=True)
        .select_related("officer", "backup")
        .first()
    )


# --- keys ---------------------------------------------------------------------------


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


# --- sending ------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentUpload:
    filename: str
    content: bytes


@dataclass(frozen=True)
class _CheckedAttachment:
    filename: str
    content_type: str
    content: bytes
    sha256: str


def attachment_check(upload: AttachmentUpload, *, limit: int) -> _CheckedAttachment:
    """Sniff the bytes; refuse unknown types, lying extensions and oversized files."""
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    if "." not in name or name.startswith("."):
        raise ValidationFailed(ATTACHMENT_NAME_INVALID)
    ext = name.rsplit(".", 1)[1].lower()
    if not upload.content:
        raise ValidationFailed(ATTACHMENT_EMPTY.format(name=name))
    if len(upload.content) > limit:
        raise ValidationFailed(ATTACHMENT_TOO_LARGE.format(name=name, limit=limit))
    accepted = ACCEPTED_TYPES.get(ext)
    if accepted is None:
        raise ValidationFailed(ATTACHMENT_TYPE_REFUSED.format(name=name))
    kind = filetype.guess(upload.content)
    if ext == "txt":
        if kind is not None:
            raise ValidationFailed(
                ATTACHMENT_EXTENSION_LIES.format(name=name, ext=ext, actual=kind.mime)
            )
        try:
            upload.content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(
                ATTACHMENT_EXTENSION_LIES.format(name=name, ext=ext, actual="not UTF-8 text")
            ) from None
        head = upload.content[:512].lstrip().lower()
        if head.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")):
            raise ValidationFailed(
                ATTACHMENT_EXTENSION_LIES.format(name=name, ext=ext, actual="HTML/XML markup")
            )
        content_type = "text/plain; charset=utf-8"
    else:
        actual = kind.mime if kind is not None else "of an unknown type"
        if kind is None or kind.mime not in accepted:
            raise ValidationFailed(
                ATTACHMENT_EXTENSION_LIES.format(name=name, ext=ext, actual=actual)
            )
        content_type = kind.mime
    return _CheckedAttachment(
        filename=name,
        content_type=content_type,
        content=upload.content,
        sha256=hashlib.sha256(upload.content).hexdigest(),
    )


def _recipient(mechanism: Mechanism, sender: Delegation, to: str | None) -> Delegation:
    sides = [d for d in mechanism.delegations.all() if d.pk != sender.pk]
    if to:
        for side in sides:
            if side.code == to:
                return side
        raise ValidationFailed(RECIPIENT_INVALID)
    parties = [d for d in sides if d.is_party]
    candidates = parties if sender.is_party else sides
    if len(candidates) == 1:
        return candidates[0]
    raise ValidationFailed(RECIPIENT_NEEDED)


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


def message_payload(message: Message) -> dict[str, Any]:
    """What the live feed and the API say about a message (its members only).

    Ids are public ids (UUIDs), never primary keys (decision 0046)."""
    return {
        "id": str(message.public_id),
        "channel": message.mechanism.code,
        "seq": message.seq,
        "kind": message.kind,
        "client_id": message.client_id,
        "from": message.from_delegation.code,
        "to": message.to_delegation.code,
        "sender": str(message.sender) if message.sender else "Link test",
        "precedence": message.precedence,
        "language": message.language,
        "topic": message.topic.title if message.topic else None,
        "topic_id": str(message.topic.public_id) if message.topic else None,
        "text": message.text,
        "sent_at": message.sent_at,
        "acknowledge_by": message.acknowledge_by,
        "state": message.state,
        "reply_to": str(message.reply.public_id) if message.reply else None,
        "attachments": [
            {
                "id": str(a.public_id),
                "filename": a.filename,
                "size": a.size,
                "content_type": a.content_type,
            }
            for a in message.attachments.all()
        ],
    }


def signed_fields(message: Message, attachments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "channel": message.mechanism.code,
        "seq": message.seq,
        "kind": message.kind,
        "from_side": message.from_delegation.code,
        "to_side": message.to_delegation.code,
        "sender": message.sender.username if message.sender else None,
        "sent_at": message.sent_at.astimezone(dt.UTC).isoformat(),
        "precedence": message.precedence,
        "language": message.language,
        "topic": message.topic.title if message.topic else None,
        "text": message.text,
        "attachments": attachments,
        "client_id": message.client_id,
        "prev_hash": message.prev_hash,
    }


def _same_request(message: Message, *, text: str, precedence: str, to: Delegation) -> bool:
    return message.text == text and message.precedence == precedence and message.to_delegation == to


def message_send(
    *,
    actor: Any,
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

    Idempotent by ``client_id`` (per channel and sending side): a retried send returns
    the stored message with ``created`` False; reusing the id for different content is
    a ``Conflict``. The acknowledgement deadline comes from the charter's settings.
    ``topic_id`` and ``reply_to_id`` are public ids of a topic and a message of the channel.
    """
    mechanism = channel_for(actor=actor, code=channel, with_signing_keys=True)
    roles = member_roles(actor, mechanism) - {Role.OBSERVER}
    # The side as loaded with the channel, signing key included.
    sender_side = next(
        (side for side in mechanism.delegations.all() if side.pk == actor.delegation_id), None
    )
    if not roles or sender_side is None:
        raise PermissionDenied(NOT_A_SENDER)
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise ValidationFailed(CLIENT_ID_INVALID)
    try:
        precedence = Precedence(precedence).value
    except ValueError:
        raise ValidationFailed(PRECEDENCE_INVALID) from None
    text = (text or "").strip()
    recipient = _recipient(mechanism, sender_side, to)
    # A retry is found by the insert's unique constraint (below), not by a look-up
    # first: the hot path is the first send, and it then costs no extra query.
    config = channel_settings(mechanism)
    if not text:
        raise ValidationFailed(TEXT_EMPTY)
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed(TEXT_TOO_LONG)
    words = len(text.split())
    if precedence in URGENT and words > config.urgent_max_words:
        raise ValidationFailed(
            URGENT_TOO_LONG.format(precedence=precedence, limit=config.urgent_max_words, n=words)
        )
    language = (language or sender_side.language or "en").strip()
    if not _LANGUAGE.match(language):
        raise ValidationFailed(LANGUAGE_INVALID)
    uploads = attachments or []
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationFailed(TOO_MANY_ATTACHMENTS)
    checked = [attachment_check(u, limit=config.attachment_max_bytes) for u in uploads]
    topic = None
    if topic_id is not None:
        topic_public_id = parse_public_id(topic_id)
        if topic_public_id is not None:
            topic = Topic.objects.filter(mechanism=mechanism, public_id=topic_public_id).first()
        if topic is None:
            raise NotFound(TOPIC_NOT_FOUND)
    reply = None
    if reply_to_id is not None:
        reply_public_id = parse_public_id(reply_to_id)
        if reply_public_id is not None:
            reply = Message.objects.filter(mechanism=mechanism, public_id=reply_public_id).first()
        if reply is None:
            raise NotFound(MESSAGE_NOT_FOUND)
    deadline = config.acknowledge_within.for_precedence(precedence)
    try:
        message = _append(
            mechanism=mechanism,
            actor=actor,
            kind=Message.Kind.MESSAGE,
            from_side=sender_side,
            to_side=recipient,
            precedence=precedence,
            language=language,
            text=text,
            client_id=client_id,
            topic=topic,
            reply=reply,
            attachments=checked,
            deadline=deadline,
            now=now,
        )
    except IntegrityError:
        # The client id was used before (a retry, or a concurrent one that won the
        # race): answer with the stored message, or refuse different content.
        existing = _existing(mechanism, sender_side, client_id)
        if existing is None:
            raise
        if not _same_request(existing, text=text, precedence=precedence, to=recipient):
            raise Conflict(CLIENT_ID_REUSED) from None
        return existing, False
    return message, True


def _existing(mechanism: Mechanism, side: Delegation, client_id: str) -> Message | None:
    return (
        Message.objects.filter(mechanism=mechanism, from_delegation=side, client_id=client_id)
        .select_related("mechanism", "from_delegation", "to_delegation", "sender", "topic")
        .first()
    )


def _append(
    *,
    mechanism: Mechanism,
    actor: Any,
    kind: str,
    from_side: Delegation,
    to_side: Delegation,
    precedence: str,
    language: str,
    text: str,
    client_id: str,
    topic: Topic | None,
    reply: Message | None,
    attachments: list[_CheckedAttachment],
    deadline: dt.timedelta,
    now: dt.datetime | None,
) -> Message:
    """Append one message to the channel's chain, sign it and announce it (one transaction)."""
    private_key = _private_key(from_side)
    scope = access.mechanism_scope(mechanism.code)
    with transaction.atomic():
        head = _head_locked(mechanism)
        sent_at = (now or timezone.now()).astimezone(dt.UTC)
        message = Message(
            process_id=mechanism.process_id,
            mechanism=mechanism,
            scope=scope,
            seq=head.seq + 1,
            kind=kind,
            topic=topic,
            client_id=client_id,
            sender=actor if getattr(actor, "pk", None) else None,
            from_delegation=from_side,
            to_delegation=to_side,
            precedence=precedence,
            language=language,
            text=text,
            sent_at=sent_at,
            acknowledge_by=sent_at + deadline,
            reply=reply,
            prev_hash=head.hash,
        )
        described = [
            {"filename": a.filename, "content_type": a.content_type, "sha256": a.sha256}
            for a in attachments
        ]
        message.hash = integrity.message_hash(signed_fields(message, described))
        message.signature = integrity.sign(private_key, message.hash)
        message.save(force_insert=True)
        stored = [
            Attachment.objects.create(
                message=message,
                scope=scope,
                filename=item.filename,
                content_type=item.content_type,
                size=len(item.content),
                sha256=item.sha256,
                data=item.content,
            )
            for item in attachments
        ]
        _known_related(message, attachments=stored)
        head.seq = message.seq
        head.hash = message.hash
        head.save(update_fields=["seq", "hash"])
        payload = message_payload(message)
        announced = [
            NewEvent(
                kind="ChannelMessageSent" if kind == Message.Kind.MESSAGE else "LinkTestSent",
                subject=f"message:{message.public_id}",
                scope=scope,
                payload=payload,
                actor=message.sender,
                process=mechanism.process,
                occurred_at=sent_at,
            )
        ]
        # Facilitators who are members already see the channel; others get a copy.
        if (
            mechanism.facilitators_informed
            and kind == Message.Kind.MESSAGE
            and not any(d.is_facilitator for d in mechanism.delegations.all())
        ):
            announced.append(
                NewEvent(
                    kind="ChannelMessageCopiedToFacilitators",
                    subject=f"message:{message.public_id}",
                    scope=access.FACILITATORS,
                    payload=payload,
                    actor=message.sender,
                    process=mechanism.process,
                    occurred_at=sent_at,
                )
            )
        events_append(announced)
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


# --- receipts and acknowledgement --------------------------------------------------


def _message_for(actor: Any, message_id: uuid.UUID | str, *, lock: bool = False) -> Message:
    """The message with public id ``message_id`` if ``actor`` may see it; else ``NotFound``."""
    public_id = parse_public_id(message_id)
    if public_id is None:
        raise NotFound(MESSAGE_NOT_FOUND)
    messages: QuerySet[Message] = Message.objects.all()
    if lock:
        messages = messages.select_for_update(of=("self",))
    message = (
        access.restrict(messages, actor)
        .filter(public_id=public_id)
        .select_related("mechanism", "from_delegation", "to_delegation", "topic", "sender")
        .first()
    )
    if message is None:
        raise NotFound(MESSAGE_NOT_FOUND)
    return message


def _receipt_event(message: Message, kind: str, actor: Any, **extra: Any) -> None:
    event_append(
        kind=kind,
        subject=f"message:{message.public_id}",
        scope=message.scope,
        payload={
            "id": str(message.public_id),
            "channel": message.mechanism.code,
            "seq": message.seq,
            "client_id": message.client_id,
            "state": message.state,
            "by": str(actor) if actor is not None else None,
            **extra,
        },
        actor=actor,
        process=message.mechanism.process,
    )


def message_receipt(*, actor: Any, message_id: uuid.UUID | str, state: str) -> Message:
    """Record that a client of the receiving side has the message (``delivered``) or
    that it was shown to someone there (``read``). Idempotent: the first time counts."""
    if state not in ("delivered", "read"):
        raise ValidationFailed("A receipt is 'delivered' or 'read'.")
    with transaction.atomic():
        message = _message_for(actor, message_id, lock=True)
        if actor.delegation_id != message.to_delegation_id:
            raise PermissionDenied(NOT_RECEIVING_SIDE)
        now = timezone.now()
        changed = []
        if message.delivered_at is None:
            message.delivered_at = now
            changed.append("delivered_at")
        if state == "read" and message.read_at is None:
            message.read_at = now
            changed.append("read_at")
        if changed:
            message.save(update_fields=changed)
            kind = "ChannelMessageRead" if "read_at" in changed else "ChannelMessageDelivered"
            _receipt_event(message, kind, actor)
    return message


def messages_mark_delivered(*, actor: Any, messages: list[Message]) -> int:
    """Mark as delivered the given messages addressed to ``actor``'s side (a page or an
    API list just handed them to a client there)."""
    count = 0
    for message in messages:
        if message.to_delegation_id == actor.delegation_id and message.delivered_at is None:
            message_receipt(actor=actor, message_id=message.public_id, state="delivered")
            count += 1
    return count


def message_acknowledge(
    *,
    actor: Any,
    message_id: uuid.UUID | str,
    reply: str | None = None,
    client_id: str | None = None,
) -> Message:
    """Acknowledge a message as a duty officer of the receiving side, optionally replying.

    Acknowledgement is an explicit act, never implied by reading; it stops escalation.
    """
    with transaction.atomic():
        message = _message_for(actor, message_id, lock=True)
        if not may_acknowledge(actor, message):
            raise PermissionDenied(NOT_DUTY_OFFICER)
        if message.acknowledged_at is not None:
            raise Conflict(ALREADY_ACKNOWLEDGED)
        now = timezone.now()
        message.acknowledged_at = now
        message.acknowledged_by = actor
        message.delivered_at = message.delivered_at or now
        message.read_at = message.read_at or now
        message.save(
            update_fields=["acknowledged_at", "acknowledged_by", "delivered_at", "read_at"]
        )
        _receipt_event(
            message,
            "ChannelMessageAcknowledged",
            actor,
            seconds=round((now - message.sent_at).total_seconds(), 3),
            late=now > message.acknowledge_by,
        )
    if reply and reply.strip():
        message_send(
            actor=actor,
            channel=message.mechanism.code,
            text=reply,
            precedence=Precedence.ROUTINE
            if message.kind == Message.Kind.LINK_TEST
            else message.precedence,
            client_id=client_id or f"reply-{message.public_id}",
            to=message.from_delegation.code,
            topic_id=message.topic.public_id if message.topic else None,
            reply_to_id=message.public_id,
        )
    return message


# --- topics and translations -------------------------------------------------------


def topic_create(*, actor: Any, channel: str, title: str) -> Topic:
    mechanism = channel_for(actor=actor, code=channel)
    if not (member_roles(actor, mechanism) - {Role.OBSERVER}):
        raise PermissionDenied(NOT_A_SENDER)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationFailed(TOPIC_TITLE_INVALID)
    scope = access.mechanism_scope(mechanism.code)
    with transaction.atomic():
        if Topic.objects.filter(mechanism=mechanism, title=title).exists():
            raise Conflict(TOPIC_EXISTS)
        topic = Topic.objects.create(
            process_id=mechanism.process_id,
            mechanism=mechanism,
            scope=scope,
            title=title,
            created_by=actor,
        )
        event_append(
            kind="ChannelTopicOpened",
            subject=f"topic:{topic.public_id}",
            scope=scope,
            payload={"channel": mechanism.code, "id": str(topic.public_id), "title": title},
            actor=actor,
            process=mechanism.process,
        )
    return topic


def translation_add(
    *, actor: Any, message_id: uuid.UUID | str, language: str, text: str
) -> Translation:
    """Add a translation (each side writes in its own language; the receiver translates)."""
    language = (language or "").strip()
    text = (text or "").strip()
    if not _LANGUAGE.match(language) or not text or len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed(TRANSLATION_INVALID)
    with transaction.atomic():
        message = _message_for(actor, message_id, lock=True)
        if not (member_roles(actor, message.mechanism) - {Role.OBSERVER}):
            raise PermissionDenied(NOT_A_SENDER)
        if Translation.objects.filter(message=message, language=language).exists():
            raise Conflict(TRANSLATION_EXISTS)
        translation = Translation.objects.create(
            message=message, scope=message.scope, language=language, text=text, translator=actor
        )
        event_append(
            kind="ChannelMessageTranslated",
            subject=f"message:{message.public_id}",
            scope=message.scope,
            payload={
                "id": str(message.public_id),
                "channel": message.mechanism.code,
                "seq": message.seq,
                "language": language,
                "text": text,
                "by": str(actor),
            },
            actor=actor,
            process=message.mechanism.process,
        )
    return translation


# --- duty roster --------------------------------------------------------------------


def _side_member(user: User | None, mechanism: Mechanism, delegation: Delegation) -> bool:
    if user is None or not user.is_active or user.delegation_id != delegation.pk:
        return False
    roles = set(
        Appointment.objects.filter(user=user, mechanism=mechanism).values_list("role", flat=True)
    )
    return bool(roles - {Role.OBSERVER})


def duty_handover(
    *,
    actor: Any,
    channel: str,
    officer: str,
    backup: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> DutyWatch:
    """Hand the watch of ``actor``'s side over to ``officer`` (usernames), with a note.

    Allowed to the officer on watch, the backup, the head of the side, or, while nobody
    is on watch, any member of that side who holds a role on the channel.
    """
    mechanism = channel_for(actor=actor, code=channel)
    side = actor.delegation
    if side not in mechanism.delegations.all():
        raise PermissionDenied(HANDOVER_NOT_ALLOWED)
    new_officer = User.objects.filter(username=officer).first()
    new_backup = User.objects.filter(username=backup).first() if backup else None
    if not _side_member(new_officer, mechanism, side):
        raise ValidationFailed(HANDOVER_OFFICER_INVALID)
    if backup and not _side_member(new_backup, mechanism, side):
        raise ValidationFailed(HANDOVER_OFFICER_INVALID)
    if new_backup is not None and new_backup == new_officer:
        raise ValidationFailed(HANDOVER_SAME_PEOPLE)
    note = (note or "").strip()[:5000]
    now = now or timezone.now()
    scope = access.mechanism_scope(mechanism.code)
    with transaction.atomic():
        watch = (
            DutyWatch.objects.select_for_update()
            .filter(mechanism=mechanism, delegation=side, ended_at__isnull=True)
            .first()
        )
        if watch is not None:
            allowed = actor.pk in (watch.officer_id, watch.backup_id) or _is_head(actor, side)
        else:
            allowed = _side_member(actor, mechanism, side) or _is_head(actor, side)
        if not allowed:
            raise PermissionDenied(HANDOVER_NOT_ALLOWED)
        if watch is not None:
            watch.ended_at = now
            watch.save(update_fields=["ended_at"])
        assert new_officer is not None
        new_watch = DutyWatch.objects.create(
            process_id=mechanism.process_id,
            mechanism=mechanism,
            delegation=side,
            scope=scope,
            officer=new_officer,
            backup=new_backup,
            handover_note=note,
            handed_over_by=actor,
            started_at=now,
        )
        event_append(
            kind="DutyHandedOver",
            subject=f"channel:{mechanism.code}",
            scope=scope,
            payload={
                "channel": mechanism.code,
                "side": side.code,
                "from": watch.officer.username if watch else None,
                "officer": new_officer.username,
                "backup": new_backup.username if new_backup else None,
                "note": note,
            },
            actor=actor,
            process=mechanism.process,
        )
    return new_watch


# --- the sweeps ---------------------------------------------------------------------


def _rung_target(message: Message, to: str) -> tuple[str, str]:
    """(scope of the alert, who it names) for one rung of the ladder."""
    if to == "backup_duty_officer":
        watch = current_watch(message.mechanism, message.to_delegation)
        target = watch.backup.username if watch and watch.backup else ""
        return message.scope, target
    if to == "head_of_delegation":
        heads = User.objects.filter(
            delegation=message.to_delegation,
            appointments__role=Role.HEAD_OF_DELEGATION,
            is_active=True,
        ).distinct()
        return access.party_scope(message.to_delegation.code), ", ".join(
            sorted(h.username for h in heads)
        )
    return access.FACILITATORS, "facilitators"


def message_escalate_rung(*, message_id: int, rung: int, now: dt.datetime) -> bool:
    """Alert rung ``rung`` (0-based) for one unacknowledged message, in one transaction.

    ``message_id`` is the primary key: this runs inside the server (the sweep), never on
    an id from outside. Precondition: none. Re-checks under a row lock that the message is still
    unacknowledged, that exactly ``rung`` rungs were alerted before and that the rung is
    due; returns False (doing nothing) otherwise. The unique (message, rung) constraint
    is the last guard: a rung is alerted at most once, whatever crashed before.
    """
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .filter(pk=message_id)
            .select_related("mechanism__process", "to_delegation", "from_delegation")
            .first()
        )
        if message is None or message.acknowledged_at is not None:
            return False
        if message.escalation_level != rung:
            return False
        ladder = channel_settings(message.mechanism).escalation
        if rung >= len(ladder) or now < message.acknowledge_by + ladder[rung].after:
            return False
        step = ladder[rung]
        scope, target = _rung_target(message, step.to)
        Escalation.objects.create(
            message=message, scope=message.scope, rung=rung, to=step.to, target=target, at=now
        )
        message.escalation_level = rung + 1
        message.save(update_fields=["escalation_level"])
        event_append(
            kind="ChannelMessageEscalated",
            subject=f"message:{message.public_id}",
            scope=scope,
            # No text: the head's delegation and the facilitators need not be members.
            payload={
                "id": str(message.public_id),
                "channel": message.mechanism.code,
                "seq": message.seq,
                "kind": message.kind,
                "precedence": message.precedence,
                "from": message.from_delegation.code,
                "to": message.to_delegation.code,
                "acknowledge_by": message.acknowledge_by,
                "rung": rung + 1,
                "escalated_to": step.to,
                "target": target,
            },
            process=message.mechanism.process,
            occurred_at=now,
        )
    return True


def messages_escalate_unacknowledged(*, now: dt.datetime) -> int:
    """Sweep: alert the next due rungs of every message whose acknowledgement is late.

    Each rung is its own transaction, so a crash between rungs leaves the earlier ones
    recorded and the next run alerts only what is left. Returns the rungs alerted.
    """
    overdue = Message.objects.filter(
        acknowledged_at__isnull=True, acknowledge_by__lt=now, escalation_level__lt=3
    ).values_list("pk", "escalation_level", "mechanism_id")
    alerted = 0
    broken: set[int] = set()
    for message_id, level, mechanism_id in list(overdue):
        if mechanism_id in broken:
            continue
        rung = level
        while True:
            try:
                done = message_escalate_rung(message_id=message_id, rung=rung, now=now)
            except ChannelConfigInvalid:
                logger.exception("channel settings invalid; escalation skipped")
                broken.add(mechanism_id)
                break
            if not done:
                break
            alerted += 1
            rung += 1
    return alerted


def link_test_send(
    *, mechanism: Mechanism, from_side: Delegation, to_side: Delegation, now: dt.datetime
) -> Message | None:
    """Send one scheduled link test (idempotent per side and schedule slot)."""
    config = channel_settings(mechanism)
    every = config.link_test.every.total_seconds()
    slot = int(now.timestamp() // every)
    client_id = f"link-test:{slot}"
    if _existing(mechanism, from_side, client_id) is not None:
        return None
    text = (
        f"Link test from {from_side.code} to {to_side.code} at "
        f"{now.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC. Please acknowledge."
    )
    try:
        return _append(
            mechanism=mechanism,
            actor=None,
            kind=Message.Kind.LINK_TEST,
            from_side=from_side,
            to_side=to_side,
            precedence=Precedence.ROUTINE,
            language="en",
            text=text,
            client_id=client_id,
            topic=None,
            reply=None,
            attachments=[],
            deadline=config.link_test.acknowledge_within,
            now=now,
        )
    except IntegrityError:
        return None


def link_tests_send_due(*, now: dt.datetime) -> int:
    """Sweep: send every channel's due link tests, each side to the next in turn.

    Due when the side's last link test is at least ``link_test.every`` old. A channel
    whose settings are invalid is logged and skipped (the others still run).
    """
    sent = 0
    for mechanism in Mechanism.objects.prefetch_related("delegations").select_related("process"):
        try:
            config = channel_settings(mechanism)
        except ChannelConfigInvalid:
            logger.exception("channel settings invalid; link tests skipped")
            continue
        sides = sorted(mechanism.delegations.all(), key=lambda d: (d.kind != "party", d.code))
        if not config.link_test.enabled or len(sides) < 2:
            continue
        for index, side in enumerate(sides):
            last = (
                Message.objects.filter(
                    mechanism=mechanism, from_delegation=side, kind=Message.Kind.LINK_TEST
                )
                .order_by("-sent_at")
                .values_list("sent_at", flat=True)
                .first()
            )
            if last is not None and now - last < config.link_test.every:
                continue
            target = sides[(index + 1) % len(sides)]
            if link_test_send(mechanism=mechanism, from_side=side, to_side=target, now=now):
                sent += 1
    return sent


def attachment_upload_from_base64(filename: str, content_base64: str) -> AttachmentUpload:
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (ValueError, TypeError):
        raise ValidationFailed(f"The attachment {filename!r} is not valid base64.") from None
    return AttachmentUpload(filename=filename, content=content)
