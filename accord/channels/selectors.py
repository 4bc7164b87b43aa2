"""Reads of channels: only ever through ``access`` (the channel's ``mechanism:<code>`` scope)."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import User
from accord.channels import integrity
from accord.channels.access import channel_access, may_acknowledge_for_side
from accord.channels.models import (
    Attachment,
    DutyWatch,
    Escalation,
    Message,
    SigningKey,
    Topic,
    Translation,
)
from accord.channels.payloads import signed_fields
from accord.channels.services.config import channel_settings
from accord.channels.settings import duration_text
from accord.page_alerts import PageAlert, page_alerts_for
from accord.process.models import Delegation, Mechanism
from accord.public_ids import parse_public_id

HEALTH_WINDOW = dt.timedelta(days=30)


def channel_list(*, actor: User) -> list[Mechanism]:
    """The channels ``actor`` is a member of, with their unacknowledged counts."""
    granted = access.clearance(actor)
    if granted.process_id is None:
        return []
    codes = [
        code
        for kind, code in (access.parse_scope(s) for s in granted.scopes)
        if kind == access.MECHANISM and code
    ]
    channels: list[Mechanism] = list(
        Mechanism.objects.filter(process_id=granted.process_id, code__in=codes)
        .prefetch_related("delegations")
        .annotate(
            open_count=Count(
                "channel_messages", filter=Q(channel_messages__acknowledged_at__isnull=True)
            )
        )
    )
    return channels


def _shown(messages: QuerySet[Message]) -> QuerySet[Message]:
    """``messages`` with everything a page or the API shows of them, read up front."""
    return messages.select_related(
        "mechanism",
        "from_delegation",
        "to_delegation",
        "sender",
        "topic",
        "reply",
        "acknowledged_by",
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.defer("data")),
        "translations",
        "escalations",
    )


def message_list(
    *,
    actor: User,
    channel: str,
    after_seq: int = 0,
    topic_id: uuid.UUID | str | None = None,
    limit: int = 200,
) -> list[Message]:
    """The channel's messages after ``after_seq``, oldest first (at most ``limit``);
    ``topic_id`` (a topic's public id) keeps only that topic's messages."""
    return list(
        message_rows(actor=actor, channel=channel, after_seq=after_seq, topic_id=topic_id)[:limit]
    )


def message_rows(
    *,
    actor: User,
    channel: str,
    after_seq: int = 0,
    topic_id: uuid.UUID | str | None = None,
) -> QuerySet[Message]:
    """The channel's messages after ``after_seq``, oldest first, to be read a page at a
    time (``accord.pagination``); ``topic_id`` keeps only that topic's messages."""
    mechanism = channel_access(actor, channel)
    messages = (
        _shown(access.restrict(Message.objects.filter(mechanism=mechanism), actor))
        .filter(seq__gt=after_seq)
        .order_by("seq")
    )
    if topic_id is not None:
        topic_public_id = parse_public_id(topic_id)
        if topic_public_id is None:
            return messages.none()
        messages = messages.filter(topic__public_id=topic_public_id)
    return messages


def message_page_rows(*, actor: User, channel: str) -> QuerySet[Message]:
    """The channel's messages ``actor`` may see, with what the page shows of each read up
    front (the page reads them a page at a time, newest first: ``("-seq", "-id")``)."""
    mechanism = channel_access(actor, channel)
    return _shown(access.restrict(Message.objects.filter(mechanism=mechanism), actor))


def message_shown(message: Message) -> Message:
    """``message`` (fetched through ``access.message_access``) with everything the API
    shows of it read up front, attachments without their data. Reads, fetches nothing new."""
    prefetch_related_objects(
        [message],
        "reply",
        "acknowledged_by",
        Prefetch("attachments", queryset=Attachment.objects.defer("data")),
        "translations",
        "escalations",
    )
    return message


def topic_list(*, actor: User, channel: str) -> QuerySet[Topic]:
    mechanism = channel_access(actor, channel)
    return access.restrict(Topic.objects.filter(mechanism=mechanism), actor)


@dataclass
class SideRoster:
    delegation: Delegation
    watch: DutyWatch | None
    history: list[DutyWatch] = field(default_factory=list)


def duty_roster(*, actor: User, channel: str, history: int = 5) -> list[SideRoster]:
    """Each side of the channel: who is on watch now (and the backup), recent handovers."""
    mechanism = channel_access(actor, channel)
    watches = list(
        access.restrict(DutyWatch.objects.filter(mechanism=mechanism), actor)
        .select_related("officer", "backup", "handed_over_by")
        .order_by("-started_at", "-id")
    )
    roster = []
    for delegation in mechanism.delegations.all():
        own = [w for w in watches if w.delegation_id == delegation.pk]
        current = next((w for w in own if w.ended_at is None), None)
        roster.append(SideRoster(delegation, current, own[:history]))
    return roster


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class ChannelHealth:
    channel: Mechanism
    last_successful_test: Message | None
    ack_seconds_median: float | None
    ack_seconds_p95: float | None
    acknowledged: int
    tests_sent: int
    missed_tests: list[Message]
    unacknowledged_overdue: int
    link_test_every: dt.timedelta

    @property
    def link_test_every_text(self) -> str:
        return duration_text(self.link_test_every)


def channel_health(*, actor: User, channel: str, now: dt.datetime | None = None) -> ChannelHealth:
    """Link-test results and acknowledgement times of the last 30 days."""
    mechanism = channel_access(actor, channel)
    now = now or timezone.now()
    recent = access.restrict(Message.objects.filter(mechanism=mechanism), actor).filter(
        sent_at__gte=now - HEALTH_WINDOW
    )
    acked = list(
        recent.filter(acknowledged_at__isnull=False).values_list("sent_at", "acknowledged_at")
    )
    seconds = [(ack - sent).total_seconds() for sent, ack in acked if ack is not None]
    tests = recent.filter(kind=Message.Kind.LINK_TEST)
    last_ok = (
        tests.filter(acknowledged_at__isnull=False)
        .select_related("from_delegation", "to_delegation", "acknowledged_by")
        .order_by("-acknowledged_at")
        .first()
    )
    missed = list(
        tests.filter(
            Q(acknowledged_at__isnull=True, acknowledge_by__lt=now)
            | Q(acknowledged_at__gt=F("acknowledge_by"))
        )
        .select_related("from_delegation", "to_delegation")
        .prefetch_related("escalations")
        .order_by("-sent_at")[:50]
    )
    overdue = recent.filter(acknowledged_at__isnull=True, acknowledge_by__lt=now).count()
    return ChannelHealth(
        channel=mechanism,
        last_successful_test=last_ok,
        ack_seconds_median=statistics.median(seconds) if seconds else None,
        ack_seconds_p95=_percentile(seconds, 0.95),
        acknowledged=len(seconds),
        tests_sent=tests.count(),
        missed_tests=missed,
        unacknowledged_overdue=overdue,
        link_test_every=channel_settings(mechanism).link_test.every,
    )


def escalation_list(*, actor: User, channel: str) -> QuerySet[Escalation]:
    mechanism = channel_access(actor, channel)
    return access.restrict(
        Escalation.objects.filter(message__mechanism=mechanism),
        actor,
        process_field="message__process",
    ).select_related("message")


def transcript_build(*, actor: User, channel: str) -> dict[str, Any]:
    """The whole channel as a verifiable transcript (``integrity.TRANSCRIPT_FORMAT``)."""
    mechanism = channel_access(actor, channel)
    messages = (
        access.restrict(Message.objects.filter(mechanism=mechanism), actor)
        .select_related(
            "mechanism", "from_delegation", "to_delegation", "sender", "topic", "acknowledged_by"
        )
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.defer("data").order_by("id")),
            Prefetch("translations", queryset=Translation.objects.select_related("translator")),
        )
        .order_by("seq")
    )
    sides = list(mechanism.delegations.all())
    public_keys = {
        key.delegation.code: key.public_key
        for key in SigningKey.objects.filter(delegation__in=sides).select_related("delegation")
    }
    items = []
    for message in messages:
        described = [
            {"filename": a.filename, "content_type": a.content_type, "sha256": a.sha256}
            for a in message.attachments.all()
        ]
        fields = signed_fields(message, described)
        fields |= {
            # Not signed: the message's public id, to match it with the API and the feed.
            "id": str(message.public_id),
            "hash": message.hash,
            "signature": message.signature,
            "receipts": {
                "acknowledge_by": message.acknowledge_by.isoformat(),
                "delivered_at": message.delivered_at.isoformat() if message.delivered_at else None,
                "read_at": message.read_at.isoformat() if message.read_at else None,
                "acknowledged_at": (
                    message.acknowledged_at.isoformat() if message.acknowledged_at else None
                ),
                "acknowledged_by": (
                    message.acknowledged_by.username if message.acknowledged_by else None
                ),
            },
            "translations": [
                {"language": t.language, "text": t.text, "by": t.translator.username}
                for t in message.translations.all()
            ],
        }
        items.append(fields)
    return {
        "format": integrity.TRANSCRIPT_FORMAT,
        "process": mechanism.process.code,
        "channel": mechanism.code,
        "channel_name": mechanism.name,
        "exported_at": timezone.now().isoformat(),
        "exported_by": getattr(actor, "username", None),
        "keys": public_keys,
        "chain_start": integrity.GENESIS_HASH,
        "chain_head": items[-1]["hash"] if items else integrity.GENESIS_HASH,
        "messages": items,
        "note": (
            "Signed fields, hash and signature per message; receipts and translations are "
            "not signed. Verify with: accord channel verify FILE"
        ),
    }


def message_search(*, actor: User, query: str, limit: int = 50) -> list[Message]:
    """Messages (and translated messages) ``actor`` may see that contain ``query``."""
    visible = access.restrict(Message.objects.all(), actor)
    translated = access.restrict(Translation.objects.all(), actor, process_field="message__process")
    ids = translated.filter(text__icontains=query).values_list("message_id", flat=True)
    return list(
        visible.filter(Q(text__icontains=query) | Q(pk__in=ids))
        .select_related("mechanism", "from_delegation")
        .order_by("-sent_at")[:limit]
    )


def messages_awaiting_acknowledgement(*, actor: User) -> list[Message]:
    """Messages to ``actor``'s side, on the channels ``actor`` may acknowledge for that
    side (``access.may_acknowledge_for_side``), not acknowledged yet: soonest deadline
    first. Link tests included (``kind`` tells them apart)."""
    delegation = access.delegation_of(actor)
    if delegation is None:
        return []
    waiting = list(
        access.restrict(
            Message.objects.filter(to_delegation=delegation, acknowledged_at__isnull=True),
            actor,
        )
        .select_related("mechanism", "from_delegation", "to_delegation")
        .order_by("acknowledge_by", "seq")
    )
    answers: dict[str, bool] = {}
    for code in {m.mechanism.code for m in waiting}:
        answers[code] = may_acknowledge_for_side(actor, channel_access(actor, code))
    return [m for m in waiting if answers[m.mechanism.code]]


# --- alerts on every page (decision 0071) ------------------------------------------------

URGENT_PRECEDENCES = ("FLASH", "IMMEDIATE")
ALERTS_SHOWN = 20


@dataclass(frozen=True)
class Alert:
    """One message that needs ``actor`` now: an urgent one to their side that they may
    acknowledge, or one whose escalation reached them. ``text`` is None where they may
    not read the message (a head of delegation or the facilitators outside the channel:
    the escalation says who and what, not the words)."""

    id: str
    channel: str
    channel_name: str
    precedence: str
    from_side: str
    to_side: str
    acknowledge_by: dt.datetime
    text: str | None
    # The rung that reached the actor ("backup_duty_officer", ...), or "" for none.
    escalated_to: str
    may_acknowledge: bool
    # Whether the actor is a member of the channel (its page is theirs to open).
    member: bool


@dataclass(frozen=True)
class Alerts:
    """What the banner and the nav badge of every page show ``actor``."""

    alerts: list[Alert]
    # Public ids of every unacknowledged message (any precedence) to the actor's side
    # on a channel where they act as duty officer: the nav badge counts them.
    to_acknowledge: list[str]
    # The channels where the actor acknowledges for their side (the page script raises
    # a banner for an urgent message live only there).
    acknowledges_on: list[str]
    # The name of each channel of the actor's side, by code (for the page script).
    channel_names: dict[str, str] = field(default_factory=dict)
    # Clocks run out that concern the actor, from the other apps' registered sources
    # (``accord.page_alerts``: a dispute stage, an access request, a convening deadline).
    clocks: list[PageAlert] = field(default_factory=list)


def _reaches(actor: User, escalation: Escalation, process_id: int) -> bool:
    """Did this rung of the ladder alert ``actor`` by name (backup, head) or as a
    facilitator?"""
    if escalation.to == "facilitators":
        return access.is_facilitator(actor, process_id=process_id)
    names = {name.strip() for name in escalation.target.split(",")}
    return getattr(actor, "username", None) in names


NO_ALERTS = Alerts(alerts=[], to_acknowledge=[], acknowledges_on=[])


def alerts_for(*, actor: User) -> Alerts:
    """Everything unacknowledged that needs ``actor`` now, newest first (see ``Alert``).

    Read through the access policy: a message only where ``actor`` may see it (its
    channel's scope), an escalation only under its own scope (the receiving side's
    ``party:<code>`` for a head, ``facilitators``): nothing of the other side's business.
    Runs on every page: a few queries (the side's channels, one watch each, the
    messages with their escalations; for heads and facilitators their escalations).
    """
    delegation = access.delegation_of(actor)
    granted = access.clearance(actor)
    if delegation is None or granted.process_id is None:
        return NO_ALERTS
    # The channels the actor is a member of where their delegation is a side, with both
    # sides loaded (a channel they are not a member of is not named, not even its code).
    codes = [
        code
        for kind, code in (access.parse_scope(s) for s in granted.scopes)
        if kind == access.MECHANISM and code
    ]
    channels = {
        m.pk: m
        for m in Mechanism.objects.filter(
            process_id=granted.process_id, delegations=delegation, code__in=codes
        ).prefetch_related("delegations")
    }
    acting = {pk: may_acknowledge_for_side(actor, m) for pk, m in channels.items()}
    alerts: dict[str, Alert] = {}
    to_acknowledge = []
    if channels:
        mine = (
            access.restrict(
                Message.objects.filter(
                    to_delegation=delegation,
                    mechanism_id__in=list(channels),
                    acknowledged_at__isnull=True,
                ),
                actor,
            )
            .select_related("from_delegation", "to_delegation")
            .prefetch_related("escalations")
            .order_by("-sent_at")[:500]
        )
        for message in mine:
            message.mechanism = channels[message.mechanism_id]
            acts = acting[message.mechanism_id]
            if acts:
                to_acknowledge.append(str(message.public_id))
            reached = [
                e for e in message.escalations.all() if _reaches(actor, e, message.process_id)
            ]
            if (acts and message.precedence in URGENT_PRECEDENCES) or reached:
                alerts[str(message.public_id)] = _alert(
                    message, text=message.text, reached=reached, may=acts, member=True
                )
    # Rungs that reached the actor outside the channel (a head, the facilitators).
    if access.is_head_of(actor) or access.is_facilitator(actor):
        beyond = (
            access.restrict(
                Escalation.objects.filter(
                    message__acknowledged_at__isnull=True,
                    to__in=("head_of_delegation", "facilitators"),
                ),
                actor,
                process_field="message__process",
            )
            .select_related(
                "message__mechanism", "message__from_delegation", "message__to_delegation"
            )
            .order_by("-at")[:200]
        )
        for escalation in beyond:
            message = escalation.message
            key = str(message.public_id)
            if key in alerts or not _reaches(actor, escalation, message.process_id):
                continue
            alerts[key] = _alert(message, text=None, reached=[escalation], may=False, member=False)
    ordered = sorted(alerts.values(), key=lambda a: a.acknowledge_by, reverse=True)
    acknowledges_on = sorted(m.code for pk, m in channels.items() if acting[pk])
    names = {m.code: m.name for m in channels.values()}
    clocks = page_alerts_for(actor)
    return Alerts(ordered[:ALERTS_SHOWN], to_acknowledge, acknowledges_on, names, clocks)


def _alert(
    message: Message, *, text: str | None, reached: list[Escalation], may: bool, member: bool
) -> Alert:
    top = max(reached, key=lambda e: e.rung) if reached else None
    return Alert(
        id=str(message.public_id),
        channel=message.mechanism.code,
        channel_name=message.mechanism.name,
        precedence=message.precedence,
        from_side=message.from_delegation.code,
        to_side=message.to_delegation.code,
        acknowledge_by=message.acknowledge_by,
        text=text,
        escalated_to=top.to if top else "",
        may_acknowledge=may,
        member=member,
    )
