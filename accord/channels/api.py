"""API of the communication channels: send, receipts, acknowledge, roster, health, transcript.

Every id here is a public id (a UUID), never a primary key (decision 0046); a malformed
id in a path answers like a missing one (404, the same sentence).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord import pagination
from accord.channels import access, selectors, services
from accord.channels.models import Message, Topic
from accord.channels.payloads import message_payload

router = Router(tags=["channels"])


class ChannelOut(Schema):
    code: str
    name: str
    kind: str
    sides: list[str]
    facilitators_informed: bool
    unacknowledged: int


class AttachmentIn(Schema):
    filename: str = Field(max_length=200)
    content_base64: str = Field(max_length=70_000_000)


class MessageIn(Schema):
    client_id: str = Field(description="Your id for this send; a retry with it is a no-op")
    text: str = Field(max_length=services.MAX_TEXT_CHARS)
    precedence: str = Field(default="ROUTINE", description="FLASH, IMMEDIATE, PRIORITY, ROUTINE")
    language: str | None = None
    to: str | None = Field(default=None, description="Receiving side (when more than one)")
    topic_id: uuid.UUID | None = Field(default=None, description="A topic's id")
    reply_to: uuid.UUID | None = Field(default=None, description="The id of the message answered")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=5)


class AttachmentOut(Schema):
    id: uuid.UUID
    filename: str
    size: int
    content_type: str


class TranslationOut(Schema):
    language: str
    text: str


class MessageOut(Schema):
    """A message as the API and the live feed both say it (``payloads.message_payload``),
    with its receipts, escalations, signature and translations."""

    id: uuid.UUID
    channel: str
    seq: int
    kind: str
    client_id: str
    from_side: str
    to_side: str
    sender: str | None = Field(description="The sender's username; null for a link test")
    sender_name: str | None
    precedence: str
    language: str
    topic: str | None
    topic_id: uuid.UUID | None
    reply_to: uuid.UUID | None
    text: str
    sent_at: dt.datetime
    acknowledge_by: dt.datetime
    state: str
    attachments: list[AttachmentOut]
    delivered_at: dt.datetime | None
    read_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    escalations: list[str]
    hash: str
    prev_hash: str
    signature: str
    translations: list[TranslationOut]


class ReceiptIn(Schema):
    state: str = Field(description="delivered or read")


class ReceiptsIn(Schema):
    state: str = Field(description="delivered or read")
    message_ids: list[str] = Field(
        min_length=1,
        max_length=services.MAX_RECEIPTS,
        description="Ids of messages of this channel to your side",
    )


class ReceiptsOut(Schema):
    state: str
    recorded: list[uuid.UUID] = Field(description="The messages whose state moved")


class AcknowledgeIn(Schema):
    reply: str | None = Field(default=None, max_length=services.MAX_TEXT_CHARS)
    reply_client_id: str | None = None
    reply_precedence: str | None = Field(
        default=None, description="The reply's precedence (ROUTINE unless raised)"
    )
    reply_language: str | None = Field(
        default=None, description="The reply's language code (default: the author's)"
    )


class TranslationIn(Schema):
    language: str
    text: str = Field(max_length=services.MAX_TEXT_CHARS)


class TopicIn(Schema):
    title: str = Field(max_length=200)


class TopicOut(Schema):
    id: uuid.UUID
    title: str
    created_at: dt.datetime


class HandoverIn(Schema):
    officer: str
    backup: str | None = None
    note: str = Field(default="", max_length=5000)


class WatchOut(Schema):
    side: str
    officer: str | None
    backup: str | None
    since: dt.datetime | None
    note: str


class HealthOut(Schema):
    channel: str
    last_successful_test_at: dt.datetime | None
    ack_seconds_median: float | None
    ack_seconds_p95: float | None
    acknowledged: int
    tests_sent: int
    missed_tests: int
    unacknowledged_overdue: int
    link_test_every_seconds: float


def topic_out(topic: Topic) -> dict[str, Any]:
    return {"id": topic.public_id, "title": topic.title, "created_at": topic.created_at}


def message_out(message: Message) -> dict[str, Any]:
    """``payloads.message_payload`` and what only the API adds (read with ``selectors``)."""
    return message_payload(message) | {
        "delivered_at": message.delivered_at,
        "read_at": message.read_at,
        "acknowledged_at": message.acknowledged_at,
        "acknowledged_by": message.acknowledged_by.username if message.acknowledged_by else None,
        "escalations": [e.to for e in message.escalations.all()],
        "hash": message.hash,
        "prev_hash": message.prev_hash,
        "signature": message.signature,
        "translations": [
            {"language": t.language, "text": t.text} for t in message.translations.all()
        ],
    }


@router.get("/", response=list[ChannelOut], summary=_("The channels you are a member of"))
def channel_index(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    channels = selectors.channel_list(actor=request.user)
    return [
        {
            "code": c.code,
            "name": c.name,
            "kind": c.kind,
            "sides": [d.code for d in c.delegations.all()],
            "facilitators_informed": c.facilitators_informed,
            "unacknowledged": c.open_count,
        }
        for c in pagination.api_list(request, response, channels, page=page, list_name="channels")
    ]


@router.get("/{code}/messages", response=list[MessageOut], summary=_("A channel's messages"))
def message_index(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    code: str,
    after_seq: int = 0,
    topic_id: str | None = None,
):
    """Oldest first, after ``after_seq``, a page at a time. A read: it records no receipt
    (post them to ``/{code}/receipts``)."""
    messages = selectors.message_rows(
        actor=request.user, channel=code, after_seq=after_seq, topic_id=topic_id
    )
    return [
        message_out(m)
        for m in pagination.api_page(
            request,
            response,
            messages,
            page=page,
            list_name=f"messages:{code}",
            order=("seq", "id"),
        )
    ]


@router.post(
    "/{code}/messages",
    response={200: MessageOut, 201: MessageOut},
    summary=_("Send a message (idempotent by client_id)"),
)
def message_create(request: HttpRequest, code: str, data: MessageIn):
    uploads = [
        services.attachment_upload_from_base64(a.filename, a.content_base64)
        for a in data.attachments
    ]
    message, created = services.message_send(
        actor=request.user,
        channel=code,
        text=data.text,
        precedence=data.precedence,
        client_id=data.client_id,
        language=data.language,
        to=data.to,
        topic_id=data.topic_id,
        reply_to_id=data.reply_to,
        attachments=uploads,
    )
    if not created:
        # A retry: answer with the message as stored now (receipts may have moved on).
        message = selectors.message_shown(access.message_access(request.user, message.public_id))
    return Status(201 if created else 200, message_out(message))


@router.get("/messages/{message_id}", response=MessageOut, summary=_("One message"))
def message_detail(request: HttpRequest, message_id: str):
    return message_out(selectors.message_shown(access.message_access(request.user, message_id)))


@router.post(
    "/{code}/receipts",
    response=ReceiptsOut,
    summary=_("Record delivered/read for a batch of messages (receiving side)"),
)
def receipts_create(request: HttpRequest, code: str, data: ReceiptsIn):
    """One transaction and one event for the batch. Every id must name a message of
    this channel to your side; any other refuses the batch like a missing message."""
    moved = services.receipts_record(
        actor=request.user, channel=code, message_ids=data.message_ids, state=data.state
    )
    return {"state": data.state, "recorded": [m.public_id for m in moved]}


@router.post(
    "/messages/{message_id}/receipts",
    response=MessageOut,
    summary=_("Record delivered/read for one message (receiving side)"),
)
def message_receipt(request: HttpRequest, message_id: str, data: ReceiptIn):
    message = access.message_access(request.user, message_id)
    services.receipts_record(
        actor=request.user,
        channel=message.mechanism.code,
        message_ids=[message_id],
        state=data.state,
    )
    return message_out(selectors.message_shown(access.message_access(request.user, message_id)))


@router.post(
    "/messages/{message_id}/acknowledge",
    response=MessageOut,
    summary=_("Acknowledge (a duty officer of the receiving side)"),
)
def message_acknowledge(request: HttpRequest, message_id: str, data: AcknowledgeIn):
    services.message_acknowledge(
        actor=request.user,
        message_id=message_id,
        reply=data.reply,
        client_id=data.reply_client_id,
        reply_precedence=data.reply_precedence,
        reply_language=data.reply_language,
    )
    return message_out(selectors.message_shown(access.message_access(request.user, message_id)))


@router.post(
    "/messages/{message_id}/translations",
    response={201: TranslationOut},
    summary=_("Add a translation"),
)
def translation_create(request: HttpRequest, message_id: str, data: TranslationIn):
    translation = services.translation_add(
        actor=request.user, message_id=message_id, language=data.language, text=data.text
    )
    return Status(201, {"language": translation.language, "text": translation.text})


@router.get("/{code}/topics", response=list[TopicOut], summary=_("A channel's topics"))
def topic_index(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery], code: str
):
    topics = selectors.topic_list(actor=request.user, channel=code)
    return [
        topic_out(t)
        for t in pagination.api_page(
            request,
            response,
            topics,
            page=page,
            list_name=f"topics:{code}",
            order=("-created_at", "-id"),
        )
    ]


@router.post("/{code}/topics", response={201: TopicOut}, summary=_("Open a topic"))
def topic_create(request: HttpRequest, code: str, data: TopicIn):
    topic = services.topic_create(actor=request.user, channel=code, title=data.title)
    return Status(201, topic_out(topic))


@router.get("/{code}/roster", response=list[WatchOut], summary=_("Who is on watch, per side"))
def roster(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery], code: str
):
    sides = selectors.duty_roster(actor=request.user, channel=code)
    return [
        {
            "side": side.delegation.code,
            "officer": side.watch.officer.username if side.watch else None,
            "backup": side.watch.backup.username if side.watch and side.watch.backup else None,
            "since": side.watch.started_at if side.watch else None,
            "note": side.watch.handover_note if side.watch else "",
        }
        for side in pagination.api_list(
            request, response, sides, page=page, list_name=f"roster:{code}"
        )
    ]


@router.post("/{code}/handover", response={201: WatchOut}, summary=_("Hand over your side's watch"))
def handover(request: HttpRequest, code: str, data: HandoverIn):
    watch = services.duty_hand_over(
        actor=request.user, channel=code, officer=data.officer, backup=data.backup, note=data.note
    )
    return Status(
        201,
        {
            "side": watch.delegation.code,
            "officer": watch.officer.username,
            "backup": watch.backup.username if watch.backup else None,
            "since": watch.started_at,
            "note": watch.handover_note,
        },
    )


@router.get("/{code}/health", response=HealthOut, summary=_("Link tests and acknowledgement times"))
def health(request: HttpRequest, code: str):
    report = selectors.channel_health(actor=request.user, channel=code)
    last = report.last_successful_test
    return {
        "channel": code,
        "last_successful_test_at": last.acknowledged_at if last else None,
        "ack_seconds_median": report.ack_seconds_median,
        "ack_seconds_p95": report.ack_seconds_p95,
        "acknowledged": report.acknowledged,
        "tests_sent": report.tests_sent,
        "missed_tests": len(report.missed_tests),
        "unacknowledged_overdue": report.unacknowledged_overdue,
        "link_test_every_seconds": report.link_test_every.total_seconds(),
    }


@router.get("/{code}/transcript", summary=_("Verifiable transcript (JSON)"))
def transcript(request: HttpRequest, code: str) -> dict[str, Any]:
    return selectors.transcript_build(actor=request.user, channel=code)
