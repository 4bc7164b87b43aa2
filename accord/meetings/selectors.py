"""Reading meetings: only ever through ``access.restrict``.

Invisible rows answer exactly like missing ones, and every list, count, search hit,
calendar feed and .ics file is built from these functions, so a caucus with one party
leaves no trace anywhere the other party looks.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import User
from accord.meetings import access as meetings_access
from accord.meetings.models import (
    FEED_SECRET_PREFIX,
    ActionItem,
    AgendaItem,
    CalendarFeed,
    CaucusNote,
    Decision,
    Minutes,
    MinutesApproval,
    Participant,
    Round,
    Session,
    feed_digest,
)


def round_list(*, actor: User | None) -> QuerySet[Round]:
    return access.restrict(Round.objects.all(), actor)


def session_list(
    *,
    actor: User | None,
    round: Round | None = None,
    body_code: str | None = None,
    kind: str | None = None,
    starts_after: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    attended_by: User | None = None,
) -> QuerySet[Session]:
    """Sessions ``actor`` may see, soonest first, with body, party and round loaded."""
    sessions = access.restrict(Session.objects.all(), actor).select_related(
        "body", "caucus_party", "round"
    )
    if round is not None:
        sessions = sessions.filter(round=round)
    if body_code is not None:
        sessions = sessions.filter(body__code=body_code)
    if kind is not None:
        sessions = sessions.filter(kind=kind)
    if starts_after is not None:
        sessions = sessions.filter(starts_at__gte=starts_after)
    if starts_before is not None:
        sessions = sessions.filter(starts_at__lt=starts_before)
    if attended_by is not None:
        sessions = sessions.filter(participants__user=attended_by)
    return sessions.order_by("starts_at", "title")


def participant_list(*, actor: User | None, session: Session) -> QuerySet[Participant]:
    return access.restrict(Participant.objects.filter(session=session), actor).select_related(
        "user", "user__delegation"
    )


def participant_candidates(*, actor: User | None, session: Session) -> QuerySet[User]:
    """Who could attend ``session`` and does not yet: exactly the users its scope admits
    (a body's appointees; for a caucus, the facilitators and the party in the room)."""
    if not access.can_see(actor, process_id=session.process_id, scope=session.scope):
        return User.objects.none()
    users = meetings_access.known_people(actor)
    if session.body_id is not None:
        users = users.filter(appointments__body_id=session.body_id)
    else:
        users = users.filter(
            Q(delegation__kind="facilitator") | Q(delegation_id=session.caucus_party_id)
        )
    return (
        users.exclude(session_participations__session=session)
        .select_related("delegation")
        .distinct()
        .order_by("delegation__kind", "delegation__code", "username")
    )


def agenda(*, actor: User | None, session: Session) -> QuerySet[AgendaItem]:
    """The items on ``session``'s agenda (not withdrawn), in order."""
    return access.restrict(
        AgendaItem.objects.filter(session=session, status=AgendaItem.Status.LISTED), actor
    ).select_related("added_by")


def queued_items(*, actor: User | None, body_code: str | None = None) -> QuerySet[AgendaItem]:
    """Items waiting for the next session of a body, oldest first."""
    items = access.restrict(
        AgendaItem.objects.filter(session__isnull=True, status=AgendaItem.Status.QUEUED), actor
    ).select_related("body")
    if body_code is not None:
        items = items.filter(body__code=body_code)
    return items.order_by("queued_at", "created_at")


def minutes_for(*, actor: User | None, session: Session) -> Minutes | None:
    minutes = (
        access.restrict(Minutes.objects.filter(session=session), actor)
        .select_related("drafted_by")
        .prefetch_related(
            Prefetch(
                "approvals",
                queryset=MinutesApproval.objects.select_related("delegation", "approved_by"),
            )
        )
        .first()
    )
    return minutes


def decision_list(*, actor: User | None, session: Session | None = None) -> QuerySet[Decision]:
    decisions = access.restrict(Decision.objects.all(), actor).select_related("minutes__session")
    if session is not None:
        decisions = decisions.filter(minutes__session=session)
    return decisions


def action_item_list(
    *,
    actor: User | None,
    session: Session | None = None,
    owner: User | None = None,
    status: str | None = None,
) -> QuerySet[ActionItem]:
    items = access.restrict(ActionItem.objects.all(), actor).select_related(
        "owner", "owner__delegation", "minutes__session"
    )
    if session is not None:
        items = items.filter(minutes__session=session)
    if owner is not None:
        items = items.filter(owner=owner)
    if status is not None:
        items = items.filter(status=status)
    return items.order_by("due_on", "number")


def caucus_note_list(*, actor: User | None, session: Session | None = None) -> QuerySet[CaucusNote]:
    notes = access.restrict(CaucusNote.objects.all(), actor).select_related(
        "author", "author__delegation", "session"
    )
    if session is not None:
        notes = notes.filter(session=session)
    return notes


def caucus_list(*, actor: User | None) -> QuerySet[Session]:
    """Caucuses ``actor`` may see (a party sees its own only), with their note counts."""
    return session_list(actor=actor, kind=Session.Kind.CAUCUS).annotate(
        note_count=Count("caucus_notes")
    )


def session_counts(*, actor: User | None) -> dict[str, int]:
    """How many sessions ``actor`` may see: upcoming, past, caucuses."""
    sessions = session_list(actor=actor)
    now = timezone.now()
    return {
        "upcoming": sessions.filter(starts_at__gte=now).count(),
        "past": sessions.filter(starts_at__lt=now).count(),
        "caucuses": sessions.filter(kind=Session.Kind.CAUCUS).count(),
    }


def session_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[Session]:
    return session_list(actor=actor).filter(Q(title__icontains=query) | Q(venue__icontains=query))[
        :limit
    ]


def agenda_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[AgendaItem]:
    return (
        access.restrict(AgendaItem.objects.exclude(status=AgendaItem.Status.WITHDRAWN), actor)
        .filter(Q(title__icontains=query) | Q(note__icontains=query))
        .select_related("session", "body")[:limit]
    )


def minutes_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[Minutes]:
    return (
        access.restrict(Minutes.objects.all(), actor)
        .filter(text__icontains=query)
        .select_related("session")[:limit]
    )


def decision_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[Decision]:
    return decision_list(actor=actor).filter(text__icontains=query)[:limit]


def action_item_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[ActionItem]:
    return action_item_list(actor=actor).filter(text__icontains=query)[:limit]


def caucus_note_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[CaucusNote]:
    return caucus_note_list(actor=actor).filter(
        Q(text__icontains=query) | Q(title__icontains=query)
    )[:limit]


def feed_owner(secret: str) -> User | None:
    """The active user whose unrevoked calendar feed has ``secret``, or None. A read:
    it records nothing (a calendar client polls often; reads never write)."""
    if not secret.startswith(FEED_SECRET_PREFIX) or len(secret) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "user__delegation")
        .filter(key_sha256=feed_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    return feed.user


def calendar_feed_active(*, actor: User | None) -> CalendarFeed | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).first()


def feed_sessions(*, user: User, since: dt.datetime) -> QuerySet[Session]:
    """The sessions ``user`` attends and may (still) see, starting from ``since``."""
    return session_list(actor=user, attended_by=user, starts_after=since)


def minutes_circulated(*, actor: User | None) -> QuerySet[Minutes]:
    """Circulated minutes ``actor`` may see (waiting for approvals), oldest circulation
    first, with their session (body, caucus party) and approvals loaded."""
    return (
        access.restrict(Minutes.objects.filter(status=Minutes.Status.CIRCULATED), actor)
        .select_related("session", "session__body", "session__caucus_party")
        .prefetch_related("approvals")
        .order_by("circulated_at")
    )
