"""Rounds of talks, sessions (meetings of a body, caucuses with one party) and who
attends them. Who may act: ``accord.meetings.access``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import Appointment, User
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent
from accord.meetings import access, clock
from accord.meetings.models import Participant, Round, Session
from accord.meetings.services._common import (
    append,
    lock_body,
    new_event,
    text_check,
    title_check,
    zone_check,
)
from accord.meetings.services.agenda import queued_take
from accord.process.models import Body, Delegation

MAX_SESSION_HOURS = 24

ROUND_NOT_ALLOWED = PermissionDenied.case(
    "round.not_allowed", _("Only the facilitators can open a round.")
)
ROUND_TITLE_REQUIRED = ValidationFailed.case(
    "round.title_required", _("A title is required (at most 200 characters).")
)
ROUND_VENUE_REQUIRED = ValidationFailed.case(
    "round.venue_required", _("A venue is required (at most 200 characters).")
)
ROUND_ZONE_INVALID = ValidationFailed.case(
    "round.zone_invalid",
    _("The venue's time zone must be an IANA name such as 'Europe/Zurich'."),
)
ROUND_DATES_INVALID = ValidationFailed.case(
    "round.dates_invalid",
    _("A round must end on or after the day it starts, within 60 days."),
)
ROUND_NUMBER_TAKEN = Conflict.case("round.number_taken", _("Round {number} already exists."))

SESSION_NOT_ALLOWED = PermissionDenied.case(
    "session.not_allowed", _("Only the facilitators can do this.")
)
SESSION_STARTED = Conflict.case(
    "session.started",
    _("This session has begun: it can no longer be cancelled (its minutes say how it went)."),
)
SESSION_NOT_MEMBER = PermissionDenied.case(
    "session.not_member",
    _("Only facilitators appointed to this body can schedule its sessions."),
)
SESSION_TITLE_REQUIRED = ValidationFailed.case(
    "session.title_required", _("A title is required (at most 200 characters).")
)
SESSION_VENUE_REQUIRED = ValidationFailed.case(
    "session.venue_required", _("A venue is required (at most 200 characters).")
)
SESSION_ZONE_INVALID = ValidationFailed.case(
    "session.zone_invalid",
    _("The venue's time zone must be an IANA name such as 'Europe/Zurich'."),
)
SESSION_TIME_INVALID = ValidationFailed.case(
    "session.time_invalid",
    _("Give the start and end as date and time, e.g. 2027-01-12T10:00."),
)
SESSION_ENDS_BEFORE_START = ValidationFailed.case(
    "session.ends_before_start", _("A session must end after it starts, within 24 hours.")
)
SESSION_BODY_OR_CAUCUS = ValidationFailed.case(
    "session.body_or_caucus",
    _("A meeting belongs to a body; a caucus is held with one party."),
)
SESSION_BODY_NOT_FOUND = NotFound.case(
    "session.body_not_found", _("There is no body {code!r} in this process.")
)
SESSION_PARTY_NOT_FOUND = NotFound.case(
    "session.party_not_found", _("There is no party {code!r} in this process.")
)
SESSION_CAUCUS_PARTY_INVALID = ValidationFailed.case(
    "session.caucus_party_invalid", _("A caucus is held with one party of this process.")
)
SESSION_REASON_TOO_LONG = ValidationFailed.case(
    "session.reason_too_long", _("The text is too long (at most {n} characters).")
)
PARTICIPANT_CANNOT_SEE = ValidationFailed.case(
    "participant.cannot_see",
    _("{user} cannot attend: the session is outside what they may see."),
)
PARTICIPANT_NOT_ALLOWED = PermissionDenied.case(
    "participant.not_allowed", _("Only the facilitators can change who attends a session.")
)
PARTICIPANT_NOT_FOUND = NotFound.case(
    "participant.not_found", _("{user} is not a participant of this session.")
)


# -- rounds ---------------------------------------------------------------------------


def round_create(
    *,
    actor: User,
    title: str,
    venue: str,
    venue_timezone: str,
    starts_on: dt.date,
    ends_on: dt.date,
    number: int | None = None,
) -> Round:
    """Open a round of talks in ``actor``'s process (facilitators). Rounds are
    ``shared``: every participant knows where and when the talks are."""
    delegation = policy.delegation_of(actor)
    if delegation is None or not access.may_open_round(actor):
        raise ROUND_NOT_ALLOWED()
    process = delegation.process
    title = title_check(title, ROUND_TITLE_REQUIRED)
    venue = title_check(venue, ROUND_VENUE_REQUIRED)
    zone = zone_check(venue_timezone, ROUND_ZONE_INVALID)
    if ends_on < starts_on or (ends_on - starts_on).days > 60:
        raise ROUND_DATES_INVALID()
    with transaction.atomic():
        if number is None:
            top = Round.objects.filter(process=process).aggregate(n=Max("number"))["n"]
            number = (top or 0) + 1
        elif Round.objects.filter(process=process, number=number).exists():
            raise ROUND_NUMBER_TAKEN(number=number)
        row = Round.objects.create(
            process=process,
            scope=policy.SHARED,
            number=number,
            title=title,
            venue=venue,
            venue_timezone=zone,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        append(
            "RoundOpened",
            subject=f"round:{row.pk}",
            record=row,
            actor=actor,
            payload={
                "number": number,
                "title": title,
                "venue": venue,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
    return row


# -- sessions -------------------------------------------------------------------------


def session_payload(session: Session) -> dict[str, Any]:
    return {
        "title": session.title,
        "kind": session.kind,
        "body": session.body.code if session.body else None,
        "caucus_party": session.caucus_party.code if session.caucus_party else None,
        "venue": session.venue,
        "venue_timezone": session.venue_timezone,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
    }


def _default_participants(*, body: Body | None, caucus_party: Delegation | None) -> list[User]:
    if body is not None:
        user_ids = Appointment.objects.filter(body=body, user__is_active=True).values_list(
            "user_id", flat=True
        )
        return list(User.objects.filter(pk__in=user_ids))
    assert caucus_party is not None
    return list(policy.heads_of(caucus_party))


def _target(
    process_id: int, body: str | None, caucus_party: str | None
) -> tuple[Body | None, Delegation | None]:
    if (not body) == (not caucus_party):
        raise SESSION_BODY_OR_CAUCUS()
    if body:
        found = Body.objects.filter(process_id=process_id, code=body).first()
        if found is None:
            raise SESSION_BODY_NOT_FOUND(code=body)
        return found, None
    party = Delegation.objects.filter(process_id=process_id, code=caucus_party).first()
    if party is None:
        raise SESSION_PARTY_NOT_FOUND(code=caucus_party)
    if not party.is_party:
        raise SESSION_CAUCUS_PARTY_INVALID()
    return None, party


def session_schedule(
    *,
    actor: User,
    title: str,
    venue: str,
    venue_timezone: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    body: str | None = None,
    caucus_party: str | None = None,
    round_id: object = None,
    participants: Iterable[str] | None = None,
) -> Session:
    """Schedule a meeting of the body coded ``body``, or a caucus with the party coded
    ``caucus_party`` (exactly one), optionally in the round ``round_id``.

    ``starts_at``/``ends_at``: aware datetimes, or naive wall-clock times at the venue
    (read in ``venue_timezone``). ``participants`` (usernames) default to the body's
    members, or, for a caucus, the party's head of delegation; the acting facilitator
    always attends a caucus. Every participant must be able to see the session's scope.
    Items queued for the body move onto the new session's agenda.
    """
    delegation = policy.delegation_of(actor)
    if delegation is None or not access.may_schedule(actor):
        raise SESSION_NOT_ALLOWED()
    process = delegation.process
    the_body, party = _target(process.pk, body, caucus_party)
    the_round = access.round_access(actor, round_id) if round_id else None
    title = title_check(title, SESSION_TITLE_REQUIRED)
    venue = title_check(venue, SESSION_VENUE_REQUIRED)
    zone = zone_check(venue_timezone, SESSION_ZONE_INVALID)
    start = clock.venue_to_utc(starts_at, zone)
    end = clock.venue_to_utc(ends_at, zone)
    if end <= start or end - start > dt.timedelta(hours=MAX_SESSION_HOURS):
        raise SESSION_ENDS_BEFORE_START()
    if not access.may_schedule(actor, the_body or party):
        raise SESSION_NOT_MEMBER()
    if the_body is not None:
        kind, scope = Session.Kind.MEETING, policy.body_scope(the_body.code)
    else:
        assert party is not None
        kind, scope = Session.Kind.CAUCUS, policy.caucus_scope(party.code)
    people = (
        [access.person_access(actor, name) for name in participants]
        if participants is not None
        else _default_participants(body=the_body, caucus_party=party)
    )
    if kind == Session.Kind.CAUCUS and actor.pk not in {p.pk for p in people}:
        people.append(actor)
    for person in people:
        if not policy.can_see(person, process_id=process.pk, scope=scope):
            raise PARTICIPANT_CANNOT_SEE(user=person.username)
    with transaction.atomic():
        if the_body is not None:
            lock_body(the_body)
        session = Session.objects.create(
            process=process,
            scope=scope,
            round=the_round,
            kind=kind,
            body=the_body,
            caucus_party=party,
            title=title,
            venue=venue,
            venue_timezone=zone,
            starts_at=start,
            ends_at=end,
            created_by=actor,
        )
        Participant.objects.bulk_create(
            Participant(session=session, user=p, process=process, scope=scope)
            for p in {p.pk: p for p in people}.values()
        )
        append(
            "SessionScheduled",
            subject=f"session:{session.pk}",
            record=session,
            actor=actor,
            payload={
                **session_payload(session),
                "round": the_round.number if the_round else None,
                "participants": sorted(p.username for p in people),
            },
        )
        if the_body is not None:
            queued_take(session=session, actor=actor)
    return session


def _session_rows(actor: User, session_id: object) -> QuerySet[Session]:
    """The session ``actor`` named, as rows for ``change_locked`` (none: not visible)."""
    return access.named(access.sessions_visible(actor), session_id)


def session_cancel(*, actor: User, session_id: object, reason: str = "") -> Session:
    """Cancel a session (facilitators). Calendars show it as cancelled; cancelling a
    cancelled session changes nothing."""
    reason = text_check(reason, required=None, too_long=SESSION_REASON_TOO_LONG, limit=2000)

    already: list[bool] = []

    now = timezone.now()

    def check(session: Session) -> None:
        if not access.may_cancel_session(actor, session, now=now):
            if access.session_started(session, now):
                raise SESSION_STARTED()
            raise SESSION_NOT_ALLOWED()
        already.append(session.status == Session.Status.CANCELLED)

    def change(session: Session) -> list[str]:
        if already[0]:
            return []
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        return ["status", "sequence", "updated_at"]

    def events(session: Session) -> list[NewEvent]:
        if already[0]:
            return []
        return [
            new_event(
                "SessionCancelled",
                subject=f"session:{session.pk}",
                record=session,
                actor=actor,
                payload={"title": session.title, "reason": reason},
            )
        ]

    with transaction.atomic():
        return change_locked(
            _session_rows(actor, session_id),
            missing=access.SESSION_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )


def participant_add(*, actor: User, session_id: object, username: str) -> Participant:
    """Invite the user ``username`` to a session (facilitators); they must be able to
    see it. Inviting someone who attends already changes nothing."""
    invited: list[User] = []
    existing: list[Participant] = []
    added: list[Participant] = []

    def check(session: Session) -> None:
        user = access.person_access(actor, username)
        if not access.may_manage_participants(actor, session):
            raise PARTICIPANT_NOT_ALLOWED()
        if not policy.can_see(user, process_id=session.process_id, scope=session.scope):
            raise PARTICIPANT_CANNOT_SEE(user=user.username)
        invited.append(user)
        existing.extend(Participant.objects.filter(session=session, user=user)[:1])

    def change(session: Session) -> list[str]:
        if existing:
            return []
        added.append(
            Participant.objects.create(
                session=session, user=invited[0], process=session.process, scope=session.scope
            )
        )
        session.sequence += 1
        return ["sequence", "updated_at"]

    def events(session: Session) -> list[NewEvent]:
        if existing:
            return []
        return [
            new_event(
                "ParticipantAdded",
                subject=f"session:{session.pk}",
                record=session,
                actor=actor,
                payload={"title": session.title, "user": invited[0].username},
            )
        ]

    with transaction.atomic():
        change_locked(
            _session_rows(actor, session_id),
            missing=access.SESSION_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    return existing[0] if existing else added[0]


def participant_remove(*, actor: User, session_id: object, username: str) -> None:
    """Take the user ``username`` off a session's participants (facilitators)."""

    def check(session: Session) -> None:
        if not access.may_manage_participants(actor, session):
            raise PARTICIPANT_NOT_ALLOWED()

    def change(session: Session) -> list[str]:
        deleted, _counts = Participant.objects.filter(
            session=session, user__username=username
        ).delete()
        if not deleted:
            raise PARTICIPANT_NOT_FOUND(user=username)
        session.sequence += 1
        return ["sequence", "updated_at"]

    with transaction.atomic():
        change_locked(
            _session_rows(actor, session_id),
            missing=access.SESSION_NOT_FOUND,
            check=check,
            change=change,
            events=lambda session: [
                new_event(
                    "ParticipantRemoved",
                    subject=f"session:{session.pk}",
                    record=session,
                    actor=actor,
                    payload={"title": session.title, "user": username},
                )
            ],
        )
