"""Writing meetings: rounds, sessions, agendas, minutes, decisions, action items, caucus
notes, calendar feeds. Every write checks permission, runs in one transaction and
appends its event with the scope of the record it changes.

Who may do what:

- facilitators (users of a facilitator delegation) create rounds, schedule and cancel
  sessions and caucuses, adopt agendas and withdraw items from them;
- anyone who can see a session may propose an item for its draft agenda;
- the rapporteur (``Role.RAPPORTEUR`` in the session's body; for a caucus, a
  facilitator) drafts the minutes, records decisions and action items, circulates;
- each party approves circulated minutes (any of its users who can see the session);
  the minutes are approved when every party concerned has approved that revision:
  every party of the process for a meeting, the party in the room for a caucus.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils import timezone

from accord.accounts import access
from accord.accounts.models import Appointment, Role, User
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.services import event_append
from accord.locking import lock_rows
from accord.meetings import clock
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
from accord.process.models import Body, Delegation, Process
from accord.public_ids import parse_public_id

M = TypeVar("M", bound=Model)

NEEDS_FACILITATOR = "Only the facilitators can do this."
NEEDS_MEMBER = "Only facilitators appointed to this body can schedule its sessions."
NEEDS_RAPPORTEUR = "Only the rapporteur of this body can keep its minutes."
NEEDS_PARTY = "Only a party's delegation can approve minutes."
SESSION_NOT_FOUND = "There is no such session."
ROUND_NOT_FOUND = "There is no such round."
ITEM_NOT_FOUND = "There is no such agenda item."
ACTION_NOT_FOUND = "There is no such action item."
FEED_NOT_FOUND = "There is no such calendar feed."
TITLE_REQUIRED = "A title is required (at most 200 characters)."
VENUE_REQUIRED = "A venue is required (at most 200 characters)."
ZONE_INVALID = "The venue's time zone must be an IANA name such as 'Europe/Zurich'."
ENDS_BEFORE_START = "A session must end after it starts, within 24 hours."
ROUND_DATES_INVALID = "A round must end on or after the day it starts, within 60 days."
BODY_OR_CAUCUS = "A meeting belongs to a body; a caucus is held with one party."
CAUCUS_PARTY_INVALID = "A caucus is held with one party of this process."
PARTICIPANT_CANNOT_SEE = "{user} cannot attend: the session is outside what they may see."
SUBJECT_INVALID = (
    "An agenda item may point at 'document:<id>', 'provision:<id>' or 'divergence:<id>'."
)
AGENDA_ADOPTED = "The agenda is adopted; it can no longer change."
SESSION_CANCELLED = "The session is cancelled."
MINUTES_NOT_DRAFT = "The minutes are no longer a draft: return them to draft first."
MINUTES_NOT_CIRCULATED = "Only circulated minutes can be approved or returned."
MINUTES_EMPTY = "Minutes need some text before they are circulated."
MINUTES_ALREADY_APPROVED = "Your delegation has already approved this revision."
MINUTES_MISSING = "No minutes have been drafted for this session yet."
MINUTES_ON_CAUCUS_PARTY = "Only the party in the caucus approves its minutes."
TEXT_REQUIRED = "Some text is required."
TEXT_TOO_LONG = "The text is too long (at most {n} characters)."
OWNER_CANNOT_SEE = "The owner must be someone who can see this session."
ACTION_DONE = "This action item is already done."
NOT_A_CAUCUS = "Caucus notes belong to caucus sessions."
DUE_DATE_INVALID = "The due date must be a date."

MAX_TEXT = 50_000
MAX_TITLE = 200
MAX_SESSION_HOURS = 24
SUBJECT_KINDS = ("document", "provision", "divergence")


# -- small checks ---------------------------------------------------------------------


def _delegation(actor: Any) -> Delegation | None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    return getattr(actor, "delegation", None)


def _require_facilitator(actor: Any, process: Process) -> Delegation:
    delegation = _delegation(actor)
    if (
        delegation is None
        or delegation.process_id != process.pk
        or delegation.kind != Delegation.Kind.FACILITATOR
    ):
        raise PermissionDenied(NEEDS_FACILITATOR)
    return delegation


def _title(value: str, message: str = TITLE_REQUIRED, limit: int = MAX_TITLE) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise ValidationFailed(message)
    return value


def _text(value: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(TEXT_REQUIRED)
    if len(value) > limit:
        raise ValidationFailed(TEXT_TOO_LONG.format(n=f"{limit:,}"))
    return value


def _zone(name: str) -> str:
    name = (name or "").strip()
    if not clock.zone_valid(name):
        raise ValidationFailed(ZONE_INVALID)
    return name


def subject_check(subject: str) -> str:
    """Validate an agenda item's subject: empty, or ``document|provision|divergence:<id>``."""
    subject = (subject or "").strip()
    if not subject:
        return ""
    kind, sep, ident = subject.partition(":")
    if (
        not sep
        or kind not in SUBJECT_KINDS
        or not ident
        or len(subject) > 200
        or any(c.isspace() for c in ident)
    ):
        raise ValidationFailed(SUBJECT_INVALID)
    return subject


def _lock_body(body: Body) -> None:
    """Serialise queueing and scheduling for one body until commit, so an item queued
    while its body's next session is being scheduled lands on it exactly once."""
    lock_rows(Body.objects.filter(pk=body.pk)).first()


def _visible(queryset: QuerySet[M], actor: Any) -> QuerySet[M]:
    return access.restrict(queryset, actor)


def _session_locked(*, actor: Any, session_id: Any) -> Session:
    """The session ``actor`` may see, locked for the rest of the transaction."""
    pk = parse_public_id(session_id)
    if pk is None:
        raise NotFound(SESSION_NOT_FOUND)
    session = (
        lock_rows(_visible(Session.objects.all(), actor))
        .filter(pk=pk)
        .select_related("body", "caucus_party", "process")
        .first()
    )
    if session is None:
        raise NotFound(SESSION_NOT_FOUND)
    return session


def _session_payload(session: Session) -> dict[str, Any]:
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


def _event(kind: str, *, subject: str, record: Any, actor: Any, payload: dict[str, Any]) -> None:
    event_append(
        kind=kind,
        subject=subject,
        scope=record.scope,
        payload=payload,
        actor=actor,
        process=record.process,
    )


# -- rounds ---------------------------------------------------------------------------


def round_create(
    *,
    actor: Any,
    title: str,
    venue: str,
    venue_timezone: str,
    starts_on: dt.date,
    ends_on: dt.date,
    number: int | None = None,
    process: Process | None = None,
) -> Round:
    """Open a round of talks (facilitators). Rounds are ``shared``: every participant
    knows where and when the talks are."""
    delegation = _delegation(actor)
    if process is None:
        if delegation is None:
            raise PermissionDenied(NEEDS_FACILITATOR)
        process = delegation.process
    _require_facilitator(actor, process)
    title = _title(title)
    venue = _title(venue, VENUE_REQUIRED)
    zone = _zone(venue_timezone)
    if ends_on < starts_on or (ends_on - starts_on).days > 60:
        raise ValidationFailed(ROUND_DATES_INVALID)
    with transaction.atomic():
        if number is None:
            top = Round.objects.filter(process=process).aggregate(n=Max("number"))["n"]
            number = (top or 0) + 1
        elif Round.objects.filter(process=process, number=number).exists():
            raise Conflict(f"Round {number} already exists.")
        row = Round.objects.create(
            process=process,
            scope=access.SHARED,
            number=number,
            title=title,
            venue=venue,
            venue_timezone=zone,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        _event(
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


def _default_participants(*, body: Body | None, caucus_party: Delegation | None) -> list[User]:
    if body is not None:
        user_ids = Appointment.objects.filter(body=body, user__is_active=True).values_list(
            "user_id", flat=True
        )
        return list(User.objects.filter(pk__in=user_ids))
    assert caucus_party is not None
    heads = Appointment.objects.filter(
        user__delegation=caucus_party,
        user__is_active=True,
        role=Role.HEAD_OF_DELEGATION,
        body__isnull=True,
        mechanism__isnull=True,
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=heads))


def session_schedule(
    *,
    actor: Any,
    title: str,
    venue: str,
    venue_timezone: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    body: Body | None = None,
    caucus_party: Delegation | None = None,
    round: Round | None = None,
    participants: Iterable[User] | None = None,
) -> Session:
    """Schedule a meeting of ``body``, or a caucus with ``caucus_party`` (exactly one).

    ``starts_at``/``ends_at``: aware datetimes, or naive wall-clock times at the venue
    (read in ``venue_timezone``). Participants default to the body's members, or, for a
    caucus, the acting facilitator and the party's head of delegation; the acting
    facilitator always attends a caucus. Every participant must be able to see the
    session's scope. Items queued for ``body`` move onto the new session's agenda.
    """
    delegation = _delegation(actor)
    if delegation is None:
        raise PermissionDenied(NEEDS_FACILITATOR)
    process = delegation.process
    _require_facilitator(actor, process)
    if (body is None) == (caucus_party is None):
        raise ValidationFailed(BODY_OR_CAUCUS)
    if body is not None and body.process_id != process.pk:
        raise NotFound(f"There is no body {body.code!r} in this process.")
    if caucus_party is not None and (
        caucus_party.process_id != process.pk or not caucus_party.is_party
    ):
        raise ValidationFailed(CAUCUS_PARTY_INVALID)
    if round is not None and round.process_id != process.pk:
        raise NotFound(ROUND_NOT_FOUND)
    title = _title(title)
    venue = _title(venue, VENUE_REQUIRED)
    zone = _zone(venue_timezone)
    start = clock.venue_to_utc(starts_at, zone)
    end = clock.venue_to_utc(ends_at, zone)
    if end <= start or end - start > dt.timedelta(hours=MAX_SESSION_HOURS):
        raise ValidationFailed(ENDS_BEFORE_START)
    if body is not None:
        kind, scope = Session.Kind.MEETING, access.body_scope(body.code)
    else:
        assert caucus_party is not None
        kind, scope = Session.Kind.CAUCUS, access.caucus_scope(caucus_party.code)
    if not access.can_publish(actor, process_id=process.pk, scope=scope):
        raise PermissionDenied(NEEDS_MEMBER)
    people = (
        list(participants)
        if participants is not None
        else _default_participants(body=body, caucus_party=caucus_party)
    )
    if kind == Session.Kind.CAUCUS and actor not in people:
        people.append(actor)
    for person in people:
        if not access.can_see(person, process_id=process.pk, scope=scope):
            raise ValidationFailed(PARTICIPANT_CANNOT_SEE.format(user=person.username))
    with transaction.atomic():
        if body is not None:
            _lock_body(body)
        session = Session.objects.create(
            process=process,
            scope=scope,
            round=round,
            kind=kind,
            body=body,
            caucus_party=caucus_party,
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
        _event(
            "SessionScheduled",
            subject=f"session:{session.pk}",
            record=session,
            actor=actor,
            payload={
                **_session_payload(session),
                "round": round.number if round else None,
                "participants": sorted(p.username for p in people),
            },
        )
        if body is not None:
            _queued_take(session=session, actor=actor)
    return session


def _queued_take(*, session: Session, actor: Any) -> None:
    """Move the items queued for ``session.body`` onto its agenda. Precondition: inside
    the transaction that created ``session``."""
    queued = lock_rows(
        AgendaItem.objects.filter(
            body=session.body, session__isnull=True, status=AgendaItem.Status.QUEUED
        )
    ).order_by("queued_at", "created_at")
    position = _next_position(session)
    for item in queued:
        item.session = session
        item.status = AgendaItem.Status.LISTED
        item.position = position
        item.scope = session.scope
        item.save(update_fields=["session", "status", "position", "scope"])
        position += 1
        _event(
            "AgendaItemAdded",
            subject=f"session:{session.pk}",
            record=item,
            actor=actor,
            payload={
                "item": str(item.pk),
                "title": item.title,
                "about": item.subject,
                "from_queue": True,
            },
        )


def session_cancel(*, actor: Any, session_id: Any, reason: str = "") -> Session:
    """Cancel a session (facilitators). Calendars show it as cancelled."""
    reason = _text(reason, required=False, limit=2000)
    with transaction.atomic():
        session = _session_locked(actor=actor, session_id=session_id)
        _require_facilitator(actor, session.process)
        if session.status == Session.Status.CANCELLED:
            return session
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        _event(
            "SessionCancelled",
            subject=f"session:{session.pk}",
            record=session,
            actor=actor,
            payload={"title": session.title, "reason": reason},
        )
    return session


def participant_add(*, actor: Any, session_id: Any, user: User) -> Participant:
    """Invite ``user`` to a session (facilitators); they must be able to see it."""
    with transaction.atomic():
        session = _session_locked(actor=actor, session_id=session_id)
        _require_facilitator(actor, session.process)
        if not access.can_see(user, process_id=session.process_id, scope=session.scope):
            raise ValidationFailed(PARTICIPANT_CANNOT_SEE.format(user=user.username))
        existing = Participant.objects.filter(session=session, user=user).first()
        if existing is not None:
            return existing
        participant = Participant.objects.create(
            session=session, user=user, process=session.process, scope=session.scope
        )
        session.sequence += 1
        session.save(update_fields=["sequence", "updated_at"])
        _event(
            "ParticipantAdded",
            subject=f"session:{session.pk}",
            record=session,
            actor=actor,
            payload={"title": session.title, "user": user.username},
        )
    return participant


def participant_remove(*, actor: Any, session_id: Any, user: User) -> None:
    """Take ``user`` off a session's participants (facilitators)."""
    with transaction.atomic():
        session = _session_locked(actor=actor, session_id=session_id)
        _require_facilitator(actor, session.process)
        deleted, _ = Participant.objects.filter(session=session, user=user).delete()
        if not deleted:
            raise NotFound(f"{user} is not a participant of this session.")
        session.sequence += 1
        session.save(update_fields=["sequence", "updated_at"])
        _event(
            "ParticipantRemoved",
            subject=f"session:{session.pk}",
            record=session,
            actor=actor,
            payload={"title": session.title, "user": user.username},
        )


# -- agendas --------------------------------------------------------------------------


def _next_position(session: Session) -> int:
    top = AgendaItem.objects.filter(session=session).aggregate(p=Max("position"))["p"]
    return (top or 0) + 1


def _agenda_open(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise Conflict(SESSION_CANCELLED)
    if session.agenda_status != Session.AgendaStatus.DRAFT:
        raise Conflict(AGENDA_ADOPTED)


def agenda_item_add(
    *, actor: Any, session_id: Any, title: str, subject: str = "", note: str = ""
) -> AgendaItem:
    """Put an item on a session's draft agenda (anyone who can see the session)."""
    title = _title(title, limit=300)
    subject = subject_check(subject)
    note = _text(note, required=False, limit=5000)
    with transaction.atomic():
        session = _session_locked(actor=actor, session_id=session_id)
        _agenda_open(session)
        item = AgendaItem.objects.create(
            process=session.process,
            scope=session.scope,
            session=session,
            body=session.body,
            status=AgendaItem.Status.LISTED,
            position=_next_position(session),
            title=title,
            subject=subject,
            note=note,
            added_by=actor,
        )
        _event(
            "AgendaItemAdded",
            subject=f"session:{session.pk}",
            record=item,
            actor=actor,
            payload={"item": str(item.pk), "title": title, "about": subject},
        )
    return item


def _next_session_for(body: Body, *, now: dt.datetime) -> Session | None:
    return (
        lock_rows(
            Session.objects.filter(
                body=body,
                kind=Session.Kind.MEETING,
                status=Session.Status.SCHEDULED,
                agenda_status=Session.AgendaStatus.DRAFT,
                starts_at__gt=now,
            )
        )
        .order_by("starts_at", "created_at")
        .first()
    )


def agenda_item_queue(
    *, body: Body, title: str, subject: str, note: str = "", actor: Any = None
) -> AgendaItem:
    """Put an item on the draft agenda of ``body``'s next scheduled session.

    The next session is the earliest future, scheduled (not cancelled) meeting of
    ``body`` whose agenda is still a draft. If there is none, the item stays queued
    and the next session scheduled for ``body`` takes it automatically.

    For other apps (a divergence referred to the HLC): the caller checks its own
    permission; ``actor`` may be None for the sweeper. Queuing the same non-empty
    ``subject`` again while it is still queued or on that draft agenda returns the
    existing item, so a retried caller never lists a point twice. The item's scope is
    the body's (``body:<code>``).
    """
    title = _title(title, limit=300)
    subject = subject_check(subject)
    note = _text(note, required=False, limit=5000)
    scope = access.body_scope(body.code)
    with transaction.atomic():
        _lock_body(body)
        session = _next_session_for(body, now=timezone.now())
        if subject:
            pending = AgendaItem.objects.filter(body=body, subject=subject)
            existing = (
                pending.filter(session=session, status=AgendaItem.Status.LISTED)
                if session is not None
                else pending.filter(session__isnull=True, status=AgendaItem.Status.QUEUED)
            ).first()
            if existing is not None:
                return existing
        item = AgendaItem.objects.create(
            process=body.process,
            scope=session.scope if session else scope,
            session=session,
            body=body,
            status=AgendaItem.Status.LISTED if session else AgendaItem.Status.QUEUED,
            position=_next_position(session) if session else 0,
            title=title,
            subject=subject,
            note=note,
            added_by=actor if getattr(actor, "pk", None) else None,
            queued_at=timezone.now(),
        )
        if session is not None:
            _event(
                "AgendaItemAdded",
                subject=f"session:{session.pk}",
                record=item,
                actor=actor,
                payload={
                    "item": str(item.pk),
                    "title": title,
                    "about": subject,
                    "from_queue": True,
                },
            )
        else:
            _event(
                "AgendaItemQueued",
                subject=f"body:{body.code}",
                record=item,
                actor=actor,
                payload={"item": str(item.pk), "title": title, "about": subject, "body": body.code},
            )
    return item


def agenda_item_withdraw(*, actor: Any, item_id: Any) -> AgendaItem:
    """Take an item off a draft agenda, or out of a body's queue (facilitators)."""
    with transaction.atomic():
        item = (
            lock_rows(_visible(AgendaItem.objects.all(), actor))
            .filter(pk=parse_public_id(item_id) or uuid.UUID(int=0))
            .exclude(status=AgendaItem.Status.WITHDRAWN)
            .select_related("session", "process", "body")
            .first()
        )
        if item is None:
            raise NotFound(ITEM_NOT_FOUND)
        _require_facilitator(actor, item.process)
        if item.session is not None:
            _agenda_open(item.session)
        item.status = AgendaItem.Status.WITHDRAWN
        item.save(update_fields=["status"])
        _event(
            "AgendaItemWithdrawn",
            subject=(
                f"session:{item.session_id}"
                if item.session_id
                else f"body:{item.body.code if item.body else ''}"
            ),
            record=item,
            actor=actor,
            payload={"item": str(item.pk), "title": item.title},
        )
    return item


def agenda_adopt(*, actor: Any, session_id: Any) -> Session:
    """Adopt a session's agenda (facilitators): it stops changing."""
    with transaction.atomic():
        session = _session_locked(actor=actor, session_id=session_id)
        _require_facilitator(actor, session.process)
        _agenda_open(session)
        session.agenda_status = Session.AgendaStatus.ADOPTED
        session.sequence += 1
        session.save(update_fields=["agenda_status", "sequence", "updated_at"])
        titles = list(
            session.agenda_items.filter(status=AgendaItem.Status.LISTED).values_list(
                "title", flat=True
            )
        )
        _event(
            "AgendaAdopted",
            subject=f"session:{session.pk}",
            record=session,
            actor=actor,
            payload={"title": session.title, "items": titles},
        )
    return session


# -- minutes --------------------------------------------------------------------------


def may_keep_minutes(*, actor: Any, session: Session) -> bool:
    """Is ``actor`` the rapporteur of ``session`` (a facilitator, for a caucus)?"""
    delegation = _delegation(actor)
    if delegation is None or not access.can_see(
        actor, process_id=session.process_id, scope=session.scope
    ):
        return False
    if session.body_id is None:
        return delegation.kind == Delegation.Kind.FACILITATOR
    return Appointment.objects.filter(
        user=actor, body_id=session.body_id, role=Role.RAPPORTEUR
    ).exists()


def approving_parties(session: Session) -> list[Delegation]:
    """The parties whose approval the minutes of ``session`` need."""
    if session.caucus_party_id is not None:
        return [session.caucus_party] if session.caucus_party else []
    return list(
        Delegation.objects.filter(process_id=session.process_id, kind=Delegation.Kind.PARTY)
    )


def _minutes_locked(*, actor: Any, session_id: Any) -> tuple[Session, Minutes]:
    session = _session_locked(actor=actor, session_id=session_id)
    minutes = lock_rows(Minutes.objects.filter(session=session)).first()
    if minutes is None:
        raise NotFound(MINUTES_MISSING)
    return session, minutes


def minutes_draft(*, actor: Any, session_id: Any, text: str) -> Minutes:
    """Write (or rewrite) the draft minutes of a session (the rapporteur)."""
    text = _text(text, required=False)
    with transaction.atomic():
        session = _session_locked(actor=actor, session_id=session_id)
        if not may_keep_minutes(actor=actor, session=session):
            raise PermissionDenied(NEEDS_RAPPORTEUR)
        minutes = lock_rows(Minutes.objects.filter(session=session)).first()
        if minutes is None:
            minutes = Minutes.objects.create(
                process=session.process,
                scope=session.scope,
                session=session,
                text=text,
                drafted_by=actor,
            )
        else:
            if minutes.status != Minutes.Status.DRAFT:
                raise Conflict(MINUTES_NOT_DRAFT)
            minutes.text = text
            minutes.drafted_by = actor
            minutes.save(update_fields=["text", "drafted_by", "updated_at"])
        _event(
            "MinutesDrafted",
            subject=f"session:{session.pk}",
            record=minutes,
            actor=actor,
            payload={"title": session.title, "chars": len(text)},
        )
    return minutes


def minutes_circulate(*, actor: Any, session_id: Any) -> Minutes:
    """Circulate the draft minutes for approval (the rapporteur); a new revision."""
    with transaction.atomic():
        session, minutes = _minutes_locked(actor=actor, session_id=session_id)
        if not may_keep_minutes(actor=actor, session=session):
            raise PermissionDenied(NEEDS_RAPPORTEUR)
        if minutes.status != Minutes.Status.DRAFT:
            raise Conflict(MINUTES_NOT_DRAFT)
        if not minutes.text.strip():
            raise ValidationFailed(MINUTES_EMPTY)
        minutes.status = Minutes.Status.CIRCULATED
        minutes.revision += 1
        minutes.circulated_at = timezone.now()
        minutes.save(update_fields=["status", "revision", "circulated_at", "updated_at"])
        _event(
            "MinutesCirculated",
            subject=f"session:{session.pk}",
            record=minutes,
            actor=actor,
            payload={
                "title": session.title,
                "revision": minutes.revision,
                "awaiting": [d.code for d in approving_parties(session)],
                # The circulated text goes on the hash-chained record: what each party
                # approves is then provable from the log alone.
                "text": minutes.text,
            },
        )
    return minutes


def minutes_approve(*, actor: Any, session_id: Any) -> Minutes:
    """Approve circulated minutes on behalf of ``actor``'s party. When every party
    concerned has approved this revision, the minutes are approved."""
    with transaction.atomic():
        session, minutes = _minutes_locked(actor=actor, session_id=session_id)
        delegation = _delegation(actor)
        if delegation is None or not delegation.is_party:
            raise PermissionDenied(NEEDS_PARTY)
        required = approving_parties(session)
        if delegation.pk not in {d.pk for d in required}:
            raise PermissionDenied(MINUTES_ON_CAUCUS_PARTY)
        if minutes.status != Minutes.Status.CIRCULATED:
            raise Conflict(MINUTES_NOT_CIRCULATED)
        if minutes.approvals.filter(delegation=delegation, revision=minutes.revision).exists():
            raise Conflict(MINUTES_ALREADY_APPROVED)
        now = timezone.now()
        MinutesApproval.objects.create(
            minutes=minutes,
            delegation=delegation,
            revision=minutes.revision,
            approved_by=actor,
            approved_at=now,
            process=minutes.process,
            scope=minutes.scope,
        )
        approved = set(
            minutes.approvals.filter(revision=minutes.revision).values_list(
                "delegation_id", flat=True
            )
        )
        waiting = [d.code for d in required if d.pk not in approved]
        _event(
            "MinutesApprovedByParty",
            subject=f"session:{session.pk}",
            record=minutes,
            actor=actor,
            payload={
                "title": session.title,
                "party": delegation.code,
                "revision": minutes.revision,
                "awaiting": waiting,
            },
        )
        if not waiting:
            minutes.status = Minutes.Status.APPROVED
            minutes.approved_at = now
            minutes.save(update_fields=["status", "approved_at", "updated_at"])
            _event(
                "MinutesApproved",
                subject=f"session:{session.pk}",
                record=minutes,
                actor=actor,
                payload={"title": session.title, "revision": minutes.revision},
            )
    return minutes


def minutes_return(*, actor: Any, session_id: Any, reason: str) -> Minutes:
    """Send circulated minutes back to draft with a reason (a party concerned, or the
    rapporteur). Approvals of the returned revision stay on record but no longer count."""
    reason = _text(reason, limit=5000)
    with transaction.atomic():
        session, minutes = _minutes_locked(actor=actor, session_id=session_id)
        delegation = _delegation(actor)
        is_party = delegation is not None and delegation.pk in {
            d.pk for d in approving_parties(session)
        }
        if not is_party and not may_keep_minutes(actor=actor, session=session):
            raise PermissionDenied(NEEDS_PARTY)
        if minutes.status != Minutes.Status.CIRCULATED:
            raise Conflict(MINUTES_NOT_CIRCULATED)
        minutes.status = Minutes.Status.DRAFT
        minutes.save(update_fields=["status", "updated_at"])
        _event(
            "MinutesReturned",
            subject=f"session:{session.pk}",
            record=minutes,
            actor=actor,
            payload={"title": session.title, "revision": minutes.revision, "reason": reason},
        )
    return minutes


def _draft_minutes_for_record(*, actor: Any, session_id: Any) -> tuple[Session, Minutes]:
    session, minutes = _minutes_locked(actor=actor, session_id=session_id)
    if not may_keep_minutes(actor=actor, session=session):
        raise PermissionDenied(NEEDS_RAPPORTEUR)
    if minutes.status != Minutes.Status.DRAFT:
        raise Conflict(MINUTES_NOT_DRAFT)
    return session, minutes


def decision_record(*, actor: Any, session_id: Any, text: str) -> Decision:
    """Record a decision in the draft minutes (the rapporteur)."""
    text = _text(text, limit=10_000)
    with transaction.atomic():
        session, minutes = _draft_minutes_for_record(actor=actor, session_id=session_id)
        number = (minutes.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
        decision = Decision.objects.create(
            process=minutes.process,
            scope=minutes.scope,
            minutes=minutes,
            number=number,
            text=text,
            recorded_by=actor,
        )
        _event(
            "DecisionRecorded",
            subject=f"session:{session.pk}",
            record=decision,
            actor=actor,
            payload={"title": session.title, "number": number, "text": text},
        )
    return decision


def action_item_record(
    *, actor: Any, session_id: Any, text: str, owner: User, due_on: dt.date
) -> ActionItem:
    """Record an action item in the draft minutes (the rapporteur). ``owner`` must be
    able to see the session; ``due_on`` is the last day to do it."""
    text = _text(text, limit=5000)
    if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
        raise ValidationFailed(DUE_DATE_INVALID)
    with transaction.atomic():
        session, minutes = _draft_minutes_for_record(actor=actor, session_id=session_id)
        if not access.can_see(owner, process_id=session.process_id, scope=session.scope):
            raise ValidationFailed(OWNER_CANNOT_SEE)
        number = (minutes.action_items.aggregate(n=Max("number"))["n"] or 0) + 1
        item = ActionItem.objects.create(
            process=minutes.process,
            scope=minutes.scope,
            minutes=minutes,
            number=number,
            text=text,
            owner=owner,
            due_on=due_on,
            recorded_by=actor,
        )
        _event(
            "ActionItemRecorded",
            subject=f"action:{item.pk}",
            record=item,
            actor=actor,
            payload={
                "session": str(session.pk),
                "number": number,
                "text": text,
                "owner": owner.username,
                "due_on": due_on,
            },
        )
    return item


def action_item_complete(*, actor: Any, action_id: Any) -> ActionItem:
    """Mark an action item done (its owner, or a facilitator who can see it)."""
    with transaction.atomic():
        item = (
            lock_rows(_visible(ActionItem.objects.all(), actor))
            .filter(pk=parse_public_id(action_id) or uuid.UUID(int=0))
            .select_related("process", "owner", "minutes")
            .first()
        )
        if item is None:
            raise NotFound(ACTION_NOT_FOUND)
        delegation = _delegation(actor)
        if item.owner_id != actor.pk and (
            delegation is None or delegation.kind != Delegation.Kind.FACILITATOR
        ):
            raise PermissionDenied("Only the owner or a facilitator can close an action item.")
        if item.status == ActionItem.Status.DONE:
            raise Conflict(ACTION_DONE)
        was_overdue = item.status == ActionItem.Status.OVERDUE
        item.status = ActionItem.Status.DONE
        item.completed_at = timezone.now()
        item.save(update_fields=["status", "completed_at"])
        _event(
            "ActionItemCompleted",
            subject=f"action:{item.pk}",
            record=item,
            actor=actor,
            payload={
                "session": str(item.minutes.session_id),
                "number": item.number,
                "text": item.text,
                "late": was_overdue,
            },
        )
    return item


def action_items_flag_overdue(*, now: dt.datetime) -> int:
    """Flag every open action item due before ``now``'s UTC date as overdue; return how
    many. A sweep (``accord/sweeper.py``).

    Each item is flagged in its own transaction with its status re-checked under a row
    lock (skipping rows another sweeper holds), so each is flagged and announced
    (``ActionItemOverdue``, in the item's scope) exactly once however often, and however
    concurrently, this runs, and whatever crashed half-way before.
    """
    today = now.astimezone(dt.UTC).date()
    candidates = list(
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__lt=today)
        .order_by("due_on", "created_at")
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in candidates:
        with transaction.atomic():
            open_ = ActionItem.objects.filter(
                pk=pk, status=ActionItem.Status.OPEN, due_on__lt=today
            )
            item = (
                lock_rows(open_, skip_locked=True)
                .select_related("owner", "process", "minutes")
                .first()
            )
            if item is None:
                continue  # done, flagged or moved meanwhile, or locked by another sweeper
            item.status = ActionItem.Status.OVERDUE
            item.flagged_overdue_at = timezone.now()
            item.save(update_fields=["status", "flagged_overdue_at"])
            _event(
                "ActionItemOverdue",
                subject=f"action:{item.pk}",
                record=item,
                actor=None,
                payload={
                    "session": str(item.minutes.session_id),
                    "number": item.number,
                    "text": item.text,
                    "owner": item.owner.username,
                    "due_on": item.due_on,
                },
            )
            flagged += 1
    return flagged


# -- caucus notes ---------------------------------------------------------------------


def caucus_note_write(
    *, actor: Any, session_id: Any, text: str, title: str = "", kind: str = "note"
) -> CaucusNote:
    """Keep a note or a paper of a caucus (facilitators and the party in the room).

    Its scope is the caucus's: the other party never sees it, by any route."""
    text = _text(text)
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        raise ValidationFailed(TITLE_REQUIRED)
    if kind not in CaucusNote.Kind.values:
        raise ValidationFailed("A caucus record is a 'note' or a 'document'.")
    if kind == CaucusNote.Kind.DOCUMENT and not title:
        raise ValidationFailed(TITLE_REQUIRED)
    with transaction.atomic():
        session = _session_locked(actor=actor, session_id=session_id)
        if not session.is_caucus:
            raise ValidationFailed(NOT_A_CAUCUS)
        if _delegation(actor) is None:
            raise NotFound(SESSION_NOT_FOUND)
        note = CaucusNote.objects.create(
            process=session.process,
            scope=session.scope,
            session=session,
            kind=kind,
            title=title,
            text=text,
            author=actor,
        )
        _event(
            "CaucusNoteWritten",
            subject=f"session:{session.pk}",
            record=note,
            actor=actor,
            payload={"note": str(note.pk), "kind": kind, "title": title, "text": text},
        )
    return note


# -- calendar feeds -------------------------------------------------------------------

FEED_SECRET_PREFIX = "cal_"  # noqa: S105 - a prefix, not a secret


def _feed_scope(user: User) -> str:
    assert user.delegation is not None
    return access.party_scope(user.delegation.code)


def calendar_feed_create(*, actor: Any) -> tuple[CalendarFeed, str]:
    """Give ``actor`` a new private feed secret (revoking any previous one); return the
    feed and the secret, which is shown once and never stored."""
    delegation = _delegation(actor)
    if delegation is None:
        raise PermissionDenied("Only members of a delegation have a calendar.")
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
            subject=f"user:{actor.pk}",
            scope=_feed_scope(actor),
            payload={"prefix": feed.prefix, "replaced": revoked},
            actor=actor,
            process=delegation.process,
        )
    return feed, secret


def calendar_feed_revoke(*, actor: Any) -> int:
    """Revoke ``actor``'s calendar feed URL(s); return how many were live."""
    delegation = _delegation(actor)
    if delegation is None:
        raise NotFound(FEED_NOT_FOUND)
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            event_append(
                kind="CalendarFeedRevoked",
                subject=f"user:{actor.pk}",
                scope=_feed_scope(actor),
                payload={"revoked": revoked},
                actor=actor,
                process=delegation.process,
            )
    return revoked


def feed_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
