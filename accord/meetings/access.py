"""The way into meetings: fetching what a user named, and who may act on it.

``<entity>_access(actor, public_id, *, lock=False)`` returns the thing ``actor`` asked
for, through the one need-to-know policy (``accounts.access.visible_get``): a missing
and a forbidden thing raise the same ``NotFound`` case, so existence never leaks.

``may_<verb>(actor, thing)`` holds each "who may act" rule, once. Services raise when a
predicate says no; pages show a button and the API documents an action only where it
says yes. The predicates answer *who*, not *when*: a state that forbids the change (an
adopted agenda, minutes no longer a draft) is the service's ``Conflict`` to raise, and
the template's condition beside the predicate. One exception, the session's time
(decision 0081): a session that has begun is not cancelled, one that is over is shown
as held and its agenda no longer adopted or changed; those predicates say no and the
services refuse with a ``Conflict`` naming the time.

Who may do what:

- facilitators (users of a facilitator delegation of the process) open rounds, schedule
  and cancel sessions and caucuses, invite and remove participants, adopt agendas and
  withdraw items from them; a meeting of a body only by a facilitator appointed to it;
- anyone who can see a session may propose an item for its draft agenda;
- the rapporteur (``Role.RAPPORTEUR`` in the session's body; for a caucus, a
  facilitator) drafts the minutes, records decisions and action items, circulates;
- each party concerned approves circulated minutes (any of its users who can see the
  session): every party of the process for a meeting, the party in the room for a
  caucus; a party concerned or the rapporteur may return them to draft;
- an action item is closed by its owner or by a facilitator;
- a caucus's notes are kept by the facilitators and the party in the room;
- every member of a delegation has a private calendar feed.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import Appointment, Role, User
from accord.errors import NotFound
from accord.meetings.models import (
    ActionItem,
    AgendaItem,
    CaucusNote,
    Decision,
    Minutes,
    MinutesApproval,
    Round,
    Session,
)
from accord.process.models import Body, Delegation
from accord.public_ids import parse_public_id

M = TypeVar("M", bound=Model)

ROUND_NOT_FOUND = NotFound.case("round.not_found", _("There is no such round."))
SESSION_NOT_FOUND = NotFound.case("session.not_found", _("There is no such session."))
AGENDA_ITEM_NOT_FOUND = NotFound.case("agenda_item.not_found", _("There is no such agenda item."))
MINUTES_NOT_FOUND = NotFound.case(
    "minutes.not_found", _("No minutes have been drafted for this session yet.")
)
DECISION_NOT_FOUND = NotFound.case("decision.not_found", _("There is no such decision."))
ACTION_ITEM_NOT_FOUND = NotFound.case("action_item.not_found", _("There is no such action item."))
CAUCUS_NOTE_NOT_FOUND = NotFound.case("caucus_note.not_found", _("There is no such caucus note."))
PERSON_NOT_FOUND = NotFound.case(
    "meetings_person.not_found", _("There is no user {username!r} in this process.")
)


# -- fetching -------------------------------------------------------------------------


def named(rows: QuerySet[M], public_id: object, *, field: str = "pk") -> QuerySet[M]:
    """The rows of ``rows`` whose ``field`` is ``public_id`` (none when it cannot be a
    public id): what ``change_locked`` locks, from a queryset already restricted."""
    pk = parse_public_id(public_id)
    if pk is None:
        return rows.none()
    return rows.filter(**{field: pk})


def round_access(actor: User | None, public_id: object, *, lock: bool = False) -> Round:
    """The round ``actor`` named, if they may see it."""
    return access.visible_get(
        Round.objects.all(),
        actor,
        missing=ROUND_NOT_FOUND,
        lock=lock,
        pk=parse_public_id(public_id),
    )


def sessions_visible(actor: User | None) -> QuerySet[Session]:
    """Every session ``actor`` may see, with what its pages show loaded."""
    return access.restrict(Session.objects.all(), actor).select_related(
        "body", "caucus_party", "round", "process"
    )


def session_access(actor: User | None, public_id: object, *, lock: bool = False) -> Session:
    """The session ``actor`` named, if they may see it (locked until commit: ``lock``)."""
    return access.visible_get(
        Session.objects.select_related("body", "caucus_party", "round", "process"),
        actor,
        missing=SESSION_NOT_FOUND,
        lock=lock,
        pk=parse_public_id(public_id),
    )


def agenda_item_access(actor: User | None, public_id: object, *, lock: bool = False) -> AgendaItem:
    """The agenda item ``actor`` named (listed or queued; a withdrawn one is gone)."""
    return access.visible_get(
        AgendaItem.objects.exclude(status=AgendaItem.Status.WITHDRAWN).select_related(
            "session", "process", "body"
        ),
        actor,
        missing=AGENDA_ITEM_NOT_FOUND,
        lock=lock,
        pk=parse_public_id(public_id),
    )


def minutes_access(actor: User | None, session_id: object, *, lock: bool = False) -> Minutes:
    """The minutes of the session ``actor`` named (minutes are known by their session)."""
    return access.visible_get(
        Minutes.objects.select_related("session", "session__body", "session__caucus_party"),
        actor,
        missing=MINUTES_NOT_FOUND,
        lock=lock,
        session_id=parse_public_id(session_id),
    )


def decision_access(actor: User | None, public_id: object, *, lock: bool = False) -> Decision:
    return access.visible_get(
        Decision.objects.select_related("minutes__session"),
        actor,
        missing=DECISION_NOT_FOUND,
        lock=lock,
        pk=parse_public_id(public_id),
    )


def action_item_access(actor: User | None, public_id: object, *, lock: bool = False) -> ActionItem:
    return access.visible_get(
        ActionItem.objects.select_related("process", "owner", "owner__delegation", "minutes"),
        actor,
        missing=ACTION_ITEM_NOT_FOUND,
        lock=lock,
        pk=parse_public_id(public_id),
    )


def caucus_note_access(actor: User | None, public_id: object, *, lock: bool = False) -> CaucusNote:
    return access.visible_get(
        CaucusNote.objects.select_related("author", "session"),
        actor,
        missing=CAUCUS_NOTE_NOT_FOUND,
        lock=lock,
        pk=parse_public_id(public_id),
    )


def known_people(actor: User | None) -> QuerySet[User]:
    """Active users of ``actor``'s process whose part in it ``actor`` knows of: those
    appointed to a body or mechanism (appointments are ``shared``) and ``actor``'s own
    delegation."""
    granted = access.clearance(actor)
    if granted.process_id is None:
        return User.objects.none()
    known = Q(appointments__body__isnull=False) | Q(appointments__mechanism__isnull=False)
    own = access.delegation_of(actor)
    if own is not None:
        known |= Q(delegation_id=own.pk)
    ids = User.objects.filter(
        known, is_active=True, delegation__process_id=granted.process_id
    ).values("pk")
    return User.objects.filter(pk__in=ids)


def person_access(actor: User | None, username: str) -> User:
    """A user ``actor`` may name (to invite, or to own an action item). Anyone else
    answers like a missing user, so a username never confirms that an unappointed member
    of another delegation exists."""
    user = known_people(actor).filter(username=username).select_related("delegation").first()
    if user is None:
        raise PERSON_NOT_FOUND(username=username)
    return user


# -- who may act ----------------------------------------------------------------------


def _facilitates(actor: User | None, process_id: int | None) -> bool:
    return process_id is not None and access.is_facilitator(actor, process_id=process_id)


def _sees(actor: User | None, thing: Session | AgendaItem | ActionItem) -> bool:
    return access.can_see(actor, process_id=thing.process_id, scope=thing.scope)


def _facilitates_seen(actor: User | None, thing: Session | AgendaItem | ActionItem) -> bool:
    """A facilitator of the thing's process who may see it (a meeting of a body is seen
    only by the facilitators appointed to it)."""
    return _facilitates(actor, thing.process_id) and _sees(actor, thing)


def may_open_round(actor: User | None) -> bool:
    """Rounds are opened by the facilitators (of the actor's own process)."""
    return access.is_facilitator(actor)


def may_schedule(actor: User | None, target: Body | Delegation | None = None) -> bool:
    """May ``actor`` schedule a meeting of ``target`` (a body), or a caucus with it (a
    party)? Without a target: may they schedule anything (the button)? A meeting of a
    body needs a facilitator appointed to it; a caucus, any facilitator."""
    delegation = access.delegation_of(actor)
    if delegation is None or not access.is_facilitator(actor):
        return False
    if target is None:
        return True
    if target.process_id != delegation.process_id:
        return False
    if isinstance(target, Body):
        scope = access.body_scope(target.code)
    else:
        scope = access.caucus_scope(target.code)
    return access.can_publish(actor, process_id=delegation.process_id, scope=scope)


# -- when: a session's time (decision 0081) ---------------------------------------------


def session_started(session: Session, now: dt.datetime | None = None) -> bool:
    """Has ``session`` begun by ``now`` (aware; the present when None)?"""
    return session.starts_at <= (now or timezone.now())


def session_held(session: Session, now: dt.datetime | None = None) -> bool:
    """Has ``session`` taken place: not cancelled, and over by ``now`` (the present when
    None)? A held session is shown as held and is no longer cancelled or re-agendaed."""
    return session.status != Session.Status.CANCELLED and session.ends_at <= (now or timezone.now())


def may_cancel_session(
    actor: User | None, session: Session, *, now: dt.datetime | None = None
) -> bool:
    """Facilitators cancel a session that has not begun: one under way or over is the
    record's (a meeting cut short is minuted, not cancelled)."""
    return _facilitates_seen(actor, session) and not session_started(session, now)


def may_manage_participants(actor: User | None, session: Session) -> bool:
    """Invite someone to a session, or take them off it (facilitators)."""
    return _facilitates_seen(actor, session)


def may_add_agenda_item(actor: User | None, session: Session) -> bool:
    """Anyone who can see a session may propose an item for its agenda."""
    return _sees(actor, session)


def may_edit_agenda(
    actor: User | None, session: Session, *, now: dt.datetime | None = None
) -> bool:
    """Adopt a session's agenda, or withdraw items from it (facilitators), until the
    session is over: a held session's agenda is what it was."""
    return _facilitates_seen(actor, session) and not session_held(session, now)


def may_withdraw_agenda_item(
    actor: User | None, item: AgendaItem, *, now: dt.datetime | None = None
) -> bool:
    """Take an item off a draft agenda (until its session is over) or out of a body's
    queue (facilitators)."""
    if item.session is not None and session_held(item.session, now):
        return False
    return _facilitates_seen(actor, item)


def may_keep_minutes(actor: User | None, session: Session) -> bool:
    """Is ``actor`` the rapporteur of ``session`` (a facilitator, for a caucus)? The
    rapporteur drafts and circulates the minutes and records decisions and actions."""
    if access.delegation_of(actor) is None or not access.can_see(
        actor, process_id=session.process_id, scope=session.scope
    ):
        return False
    if session.body_id is None:
        return _facilitates_seen(actor, session)
    return Appointment.objects.filter(
        user=actor, body_id=session.body_id, role=Role.RAPPORTEUR
    ).exists()


def may_draft_minutes(actor: User | None, session: Session) -> bool:
    return may_keep_minutes(actor, session)


def may_circulate_minutes(actor: User | None, session: Session) -> bool:
    return may_keep_minutes(actor, session)


def may_record_decision(actor: User | None, session: Session) -> bool:
    return may_keep_minutes(actor, session)


def may_record_action_item(actor: User | None, session: Session) -> bool:
    return may_keep_minutes(actor, session)


def approving_parties(session: Session) -> list[Delegation]:
    """The parties whose approval the minutes of ``session`` need: the party in the room
    for a caucus, every party of the process for a meeting."""
    if session.caucus_party_id is not None:
        return [session.caucus_party] if session.caucus_party else []
    return list(
        Delegation.objects.filter(process_id=session.process_id, kind=Delegation.Kind.PARTY)
    )


def party_concerned(actor: User | None, session: Session) -> Delegation | None:
    """The party ``actor`` approves ``session``'s minutes for, or None."""
    delegation = access.delegation_of(actor)
    if delegation is None or not access.is_party(actor, process_id=session.process_id):
        return None
    if not access.can_see(actor, process_id=session.process_id, scope=session.scope):
        return None
    if delegation.pk not in {d.pk for d in approving_parties(session)}:
        return None
    return delegation


def may_approve_minutes(actor: User | None, session: Session) -> bool:
    """Each party concerned approves circulated minutes, once per revision."""
    return party_concerned(actor, session) is not None


def has_approved(delegation: Delegation, minutes: Minutes) -> bool:
    return MinutesApproval.objects.filter(
        minutes=minutes, delegation=delegation, revision=minutes.revision
    ).exists()


def may_return_minutes(actor: User | None, session: Session) -> bool:
    """A party concerned, or the rapporteur, sends circulated minutes back to draft."""
    return may_approve_minutes(actor, session) or may_keep_minutes(actor, session)


def may_complete_action_item(actor: User | None, item: ActionItem) -> bool:
    """An action item is closed by its owner or by a facilitator who can see it."""
    if actor is None or access.delegation_of(actor) is None:
        return False
    if not access.can_see(actor, process_id=item.process_id, scope=item.scope):
        return False
    return item.owner_id == actor.pk or _facilitates(actor, item.process_id)


def may_write_caucus_note(actor: User | None, session: Session) -> bool:
    """A caucus's notes are kept by whoever is in its room: the facilitators and the
    party (both, and only they, see its scope)."""
    return access.delegation_of(actor) is not None and access.can_see(
        actor, process_id=session.process_id, scope=session.scope
    )


def may_have_calendar_feed(actor: User | None) -> bool:
    """Members of a delegation have a calendar (and so a private feed of it)."""
    return access.delegation_of(actor) is not None
