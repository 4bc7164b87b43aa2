"""Reading meetings: only ever through ``access.restrict``.

Invisible rows answer exactly like missing ones, and every list, count, search hit,
calendar feed and .ics file is built from these functions, so a caucus with one party
leaves no trace anywhere the other party looks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import User
from accord.errors import NotFound
from accord.meetings.models import (
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
)
from accord.public_ids import parse_public_id

SESSION_NOT_FOUND = "There is no such session."
ROUND_NOT_FOUND = "There is no such round."
ACTION_NOT_FOUND = "There is no such action item."


def round_list(*, actor: object) -> QuerySet[Round]:
    return access.restrict(Round.objects.all(), actor)


def round_get(*, actor: object, round_id: Any) -> Round:
    pk = parse_public_id(round_id)
    found = round_list(actor=actor).filter(pk=pk).first() if pk else None
    if found is None:
        raise NotFound(ROUND_NOT_FOUND)
    return found


def session_list(
    *,
    actor: object,
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


def session_get(*, actor: object, session_id: Any) -> Session:
    pk = parse_public_id(session_id)
    session = session_list(actor=actor).filter(pk=pk).first() if pk else None
    if session is None:
        raise NotFound(SESSION_NOT_FOUND)
    return session


def participant_list(*, actor: object, session: Session) -> QuerySet[Participant]:
    return access.restrict(Participant.objects.filter(session=session), actor).select_related(
        "user", "user__delegation"
    )


PERSON_NOT_FOUND = "There is no user {username!r} in this process."


def _known_people(actor: object) -> QuerySet[User]:
    """Active users of ``actor``'s process whose part in it ``actor`` knows of."""
    granted = access.clearance(actor)
    if granted.process_id is None:
        return User.objects.none()
    known = Q(appointments__body__isnull=False) | Q(appointments__mechanism__isnull=False)
    own = getattr(actor, "delegation_id", None)
    if own is not None:
        known |= Q(delegation_id=own)
    ids = User.objects.filter(
        known, is_active=True, delegation__process_id=granted.process_id
    ).values("pk")
    return User.objects.filter(pk__in=ids)


def person_get(*, actor: object, username: str) -> User:
    """A user ``actor`` may name (to invite, or to own an action item).

    Only people whose part in the process is known to ``actor`` resolve: those appointed
    to a body or mechanism (appointments are ``shared``) and ``actor``'s own delegation.
    Anyone else answers like a missing user, so a username never confirms that an
    unappointed member of another delegation exists.
    """
    user = _known_people(actor).filter(username=username).select_related("delegation").first()
    if user is None:
        raise NotFound(PERSON_NOT_FOUND.format(username=username))
    return user


def participant_candidates(*, actor: object, session: Session) -> QuerySet[User]:
    """Who could attend ``session`` and does not yet: exactly the users its scope admits
    (a body's appointees; for a caucus, the facilitators and the party in the room)."""
    if not access.can_see(actor, process_id=session.process_id, scope=session.scope):
        return User.objects.none()
    users = _known_people(actor)
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


def agenda(*, actor: object, session: Session) -> QuerySet[AgendaItem]:
    """The items on ``session``'s agenda (not withdrawn), in order."""
    return access.restrict(
        AgendaItem.objects.filter(session=session, status=AgendaItem.Status.LISTED), actor
    ).select_related("added_by")


def queued_items(*, actor: object, body_code: str | None = None) -> QuerySet[AgendaItem]:
    """Items waiting for the next session of a body, oldest first."""
    items = access.restrict(
        AgendaItem.objects.filter(session__isnull=True, status=AgendaItem.Status.QUEUED), actor
    ).select_related("body")
    if body_code is not None:
        items = items.filter(body__code=body_code)
    return items.order_by("queued_at", "created_at")


def minutes_for(*, actor: object, session: Session) -> Minutes | None:
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


def decision_list(*, actor: object, session: Session | None = None) -> QuerySet[Decision]:
    decisions = access.restrict(Decision.objects.all(), actor).select_related("minutes__session")
    if session is not None:
        decisions = decisions.filter(minutes__session=session)
    return decisions


def action_item_list(
    *,
    actor: object,
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


def action_item_get(*, actor: object, action_id: Any) -> ActionItem:
    pk = parse_public_id(action_id)
    item = action_item_list(actor=actor).filter(pk=pk).first() if pk else None
    if item is None:
        raise NotFound(ACTION_NOT_FOUND)
    return item


def caucus_note_list(*, actor: object, session: Session | None = None) -> QuerySet[CaucusNote]:
    notes = access.restrict(CaucusNote.objects.all(), actor).select_related("author", "session")
    if session is not None:
        notes = notes.filter(session=session)
    return notes


def caucus_list(*, actor: object) -> QuerySet[Session]:
    """Caucuses ``actor`` may see (a party sees its own only), with their note counts."""
    return session_list(actor=actor, kind=Session.Kind.CAUCUS).annotate(
        note_count=Count("caucus_notes")
    )


def session_counts(*, actor: object) -> dict[str, int]:
    """How many sessions ``actor`` may see: upcoming, past, caucuses."""
    sessions = session_list(actor=actor)
    now = timezone.now()
    return {
        "upcoming": sessions.filter(starts_at__gte=now).count(),
        "past": sessions.filter(starts_at__lt=now).count(),
        "caucuses": sessions.filter(kind=Session.Kind.CAUCUS).count(),
    }


def session_search(*, actor: object, query: str, limit: int = 50) -> QuerySet[Session]:
    return session_list(actor=actor).filter(Q(title__icontains=query) | Q(venue__icontains=query))[
        :limit
    ]


def agenda_search(*, actor: object, query: str, limit: int = 50) -> QuerySet[AgendaItem]:
    return (
        access.restrict(AgendaItem.objects.exclude(status=AgendaItem.Status.WITHDRAWN), actor)
        .filter(Q(title__icontains=query) | Q(note__icontains=query))
        .select_related("session", "body")[:limit]
    )


def minutes_search(*, actor: object, query: str, limit: int = 50) -> QuerySet[Minutes]:
    return (
        access.restrict(Minutes.objects.all(), actor)
        .filter(text__icontains=query)
        .select_related("session")[:limit]
    )


def decision_search(*, actor: object, query: str, limit: int = 50) -> QuerySet[Decision]:
    return decision_list(actor=actor).filter(text__icontains=query)[:limit]


def action_item_search(*, actor: object, query: str, limit: int = 50) -> QuerySet[ActionItem]:
    return action_item_list(actor=actor).filter(text__icontains=query)[:limit]


def caucus_note_search(*, actor: object, query: str, limit: int = 50) -> QuerySet[CaucusNote]:
    return caucus_note_list(actor=actor).filter(
        Q(text__icontains=query) | Q(title__icontains=query)
    )[:limit]


def feed_owner(secret: str) -> User | None:
    """The active user whose unrevoked calendar feed has ``secret``, or None."""
    from accord.meetings.services import FEED_SECRET_PREFIX, feed_digest

    if not secret.startswith(FEED_SECRET_PREFIX) or len(secret) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "user__delegation")
        .filter(key_sha256=feed_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    # Bookkeeping, not a state change: no event.
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def calendar_feed_active(*, actor: Any) -> CalendarFeed | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).first()


def feed_sessions(*, user: User, since: dt.datetime) -> QuerySet[Session]:
    """The sessions ``user`` attends and may (still) see, starting from ``since``."""
    return session_list(actor=user, attended_by=user, starts_after=since)
