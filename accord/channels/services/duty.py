"""Duty rosters and topics: who keeps each side's watch, and the threads of a channel."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.channels.access import (
    channel_access,
    duty_watch_current,
    may_hand_over,
    may_open_topic,
    may_take_watch,
    side_of,
)
from accord.channels.models import DutyWatch, Topic
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.services import event_append

HANDOVER_NOT_ALLOWED = PermissionDenied.case(
    "duty_watch.handover_not_allowed",
    _("Only the officer on watch, the backup or the head of the side can hand over the watch."),
)
HANDOVER_OFFICER_INVALID = ValidationFailed.case(
    "duty_watch.officer_invalid",
    _("The new officer must be a member of this channel on the same side."),
)
HANDOVER_SAME_PEOPLE = ValidationFailed.case(
    "duty_watch.same_people", _("The backup must be someone other than the officer on watch.")
)
TOPIC_NOT_ALLOWED = PermissionDenied.case(
    "channel_topic.not_allowed",
    _("Only members of the channel who hold a role in it (not observers) may open a topic."),
)
TOPIC_TITLE_INVALID = ValidationFailed.case(
    "channel_topic.title_invalid", _("A topic needs a title of at most 200 characters.")
)
TOPIC_EXISTS = Conflict.case(
    "channel_topic.exists", _("A topic with this title already exists in this channel.")
)


def duty_hand_over(
    *,
    actor: User,
    channel: str,
    officer: str,
    backup: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> DutyWatch:
    """Hand the watch of ``actor``'s side over to ``officer`` (usernames), with a note.

    Allowed to the officer on watch, the backup, the head of the side, or, while nobody
    is on watch, any member of that side who holds a role on the channel
    (``access.may_hand_over``, asked again under the watch's lock).
    """
    mechanism = channel_access(actor, channel)
    side = side_of(actor, mechanism)
    if side is None:
        raise HANDOVER_NOT_ALLOWED()
    new_officer = User.objects.filter(username=officer).first()
    new_backup = User.objects.filter(username=backup).first() if backup else None
    if new_officer is None or not may_take_watch(new_officer, mechanism, side):
        raise HANDOVER_OFFICER_INVALID()
    if backup and not may_take_watch(new_backup, mechanism, side):
        raise HANDOVER_OFFICER_INVALID()
    if new_backup is not None and new_backup == new_officer:
        raise HANDOVER_SAME_PEOPLE()
    note = (note or "").strip()[:5000]
    now = now or timezone.now()
    scope = accounts_access.mechanism_scope(mechanism.code)
    with transaction.atomic():
        watch = duty_watch_current(mechanism, side, lock=True)
        if not may_hand_over(actor, mechanism, watch):
            raise HANDOVER_NOT_ALLOWED()
        if watch is not None:
            watch.ended_at = now
            watch.save(update_fields=["ended_at"])
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


def topic_create(*, actor: User, channel: str, title: str) -> Topic:
    """Open a topic (a thread) in the channel; titles are unique per channel."""
    mechanism = channel_access(actor, channel)
    if not may_open_topic(actor, mechanism):
        raise TOPIC_NOT_ALLOWED()
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise TOPIC_TITLE_INVALID()
    scope = accounts_access.mechanism_scope(mechanism.code)
    with transaction.atomic():
        if Topic.objects.filter(mechanism=mechanism, title=title).exists():
            raise TOPIC_EXISTS()
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
