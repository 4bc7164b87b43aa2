"""Calendar feeds: each member's private iCalendar URL, whose secret is shown once and
only its digest stored. Who may act: ``accord.meetings.access``."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.errors import NotFound, PermissionDenied
from accord.events.services import event_append
from accord.meetings import access
from accord.meetings.models import FEED_SECRET_PREFIX, CalendarFeed, feed_digest

CALENDAR_FEED_NOT_ALLOWED = PermissionDenied.case(
    "calendar_feed.not_allowed", _("Only members of a delegation have a calendar.")
)
CALENDAR_FEED_NOT_FOUND = NotFound.case(
    "calendar_feed.not_found", _("There is no such calendar feed.")
)


def calendar_feed_create(*, actor: User) -> tuple[CalendarFeed, str]:
    """Give ``actor`` a new private feed secret (revoking any previous one); return the
    feed and the secret, which is shown once and never stored."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not access.may_have_calendar_feed(actor):
        raise CALENDAR_FEED_NOT_ALLOWED()
    secret = FEED_SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
            revoked_at=now
        )
        feed = CalendarFeed.objects.create(
            user=actor, prefix=secret[4:12], key_sha256=feed_digest(secret)
        )
        event_append(
            kind="CalendarFeedCreated",
            subject=f"user:{actor.username}",
            scope=policy.party_scope(delegation.code),
            payload={"prefix": feed.prefix, "replaced": revoked},
            actor=actor,
            process=delegation.process,
        )
    return feed, secret


def calendar_feed_revoke(*, actor: User) -> int:
    """Revoke ``actor``'s calendar feed URL(s); return how many were live."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not access.may_have_calendar_feed(actor):
        raise CALENDAR_FEED_NOT_FOUND()
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            event_append(
                kind="CalendarFeedRevoked",
                subject=f"user:{actor.username}",
                scope=policy.party_scope(delegation.code),
                payload={"revoked": revoked},
                actor=actor,
                process=delegation.process,
            )
    return revoked
