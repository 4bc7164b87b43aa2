"""API for meetings: rounds, sessions, agendas, minutes, decisions, action items,
caucus notes and the calendar feed. Reads through ``selectors`` (the access policy),
writes through ``services`` (each an event)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord import pagination
from accord.accounts.models import User
from accord.dates import Day, Moment
from accord.meetings import access, selectors, services
from accord.meetings.clock import LocalSpan, span_in
from accord.meetings.models import ActionItem, AgendaItem, CaucusNote, Minutes, Round, Session

router = Router(tags=["meetings"])


# -- schemas --------------------------------------------------------------------------


class RoundIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    venue: str = Field(min_length=1, max_length=200)
    venue_timezone: str = Field(max_length=64, examples=["Europe/Zurich"])
    starts_on: Day
    ends_on: Day


class RoundOut(Schema):
    id: uuid.UUID
    number: int
    title: str
    venue: str
    venue_timezone: str
    starts_on: dt.date
    ends_on: dt.date


class SessionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    body: str | None = Field(default=None, description="Code of the body that meets")
    caucus_party: str | None = Field(
        default=None, description="Code of the party the facilitators meet alone (a caucus)"
    )
    round: uuid.UUID | None = None
    venue: str = Field(min_length=1, max_length=200)
    venue_timezone: str = Field(max_length=64, examples=["Europe/Zurich"])
    starts_at: Moment = Field(
        description="ISO 8601; without an offset it is read as wall-clock time at the venue"
    )
    ends_at: Moment
    participants: list[str] | None = Field(
        default=None, description="Usernames; default: the body's members (caucus: its head)"
    )


class ZoneTimeOut(Schema):
    zone: str
    starts: dt.datetime
    ends: dt.datetime
    label: str


class SessionOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    body: str | None
    caucus_party: str | None
    round: int | None
    venue: str
    venue_timezone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    agenda_status: str
    held: bool = Field(description="Over and not cancelled: it took place")
    at_venue: ZoneTimeOut
    for_you: ZoneTimeOut
    ics_url: str


class AgendaItemIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    subject: str = Field(default="", max_length=200, examples=["divergence:12"])
    note: str = Field(default="", max_length=5000)


class AgendaItemOut(Schema):
    id: uuid.UUID
    position: int
    title: str
    subject: str
    note: str
    status: str
    body: str | None
    added_by: str | None


class ApprovalOut(Schema):
    party: str
    revision: int
    approved_by: str
    approved_at: dt.datetime


class DecisionOut(Schema):
    id: uuid.UUID
    number: int
    text: str


class ActionItemOut(Schema):
    id: uuid.UUID
    session: uuid.UUID
    number: int
    text: str
    owner: str
    due_on: dt.date
    status: str
    completed_at: dt.datetime | None


class MinutesOut(Schema):
    status: str
    revision: int
    text: str
    drafted_by: str | None
    circulated_at: dt.datetime | None
    approved_at: dt.datetime | None
    awaiting: list[str]
    approvals: list[ApprovalOut]
    decisions: list[DecisionOut]
    action_items: list[ActionItemOut]


class SessionDetailOut(SessionOut):
    participants: list[str]
    agenda: list[AgendaItemOut]


class MinutesIn(Schema):
    text: str = Field(max_length=services.MAX_TEXT)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


class CancelIn(Schema):
    reason: str = Field(default="", max_length=2000)


class DecisionIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)


class ActionItemIn(Schema):
    text: str = Field(min_length=1, max_length=5000)
    owner: str = Field(description="Username of who does it")
    due_on: Day


class CaucusNoteIn(Schema):
    text: str = Field(min_length=1, max_length=services.MAX_TEXT)
    title: str = Field(default="", max_length=200)
    kind: str = Field(default="note", pattern="^(note|document)$")


class CaucusNoteOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    text: str
    author: str
    created_at: dt.datetime


class FeedOut(Schema):
    active: bool
    prefix: str | None
    created_at: dt.datetime | None
    url: str | None = Field(default=None, description="Only in the answer that creates it")


# -- conversions ----------------------------------------------------------------------


def _round_out(row: Round) -> dict[str, Any]:
    return {
        "id": row.pk,
        "number": row.number,
        "title": row.title,
        "venue": row.venue,
        "venue_timezone": row.venue_timezone,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
    }


def _zone_out(span: LocalSpan) -> dict[str, Any]:
    return {"zone": span.zone, "starts": span.starts, "ends": span.ends, "label": span.label}


def _session_out(session: Session, viewer: User) -> dict[str, Any]:
    return {
        "id": session.pk,
        "kind": session.kind,
        "title": session.title,
        "body": session.body.code if session.body else None,
        "caucus_party": session.caucus_party.code if session.caucus_party else None,
        "round": session.round.number if session.round else None,
        "venue": session.venue,
        "venue_timezone": session.venue_timezone,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "status": session.status,
        "agenda_status": session.agenda_status,
        "held": access.session_held(session),
        "at_venue": _zone_out(span_in(session.starts_at, session.ends_at, session.venue_timezone)),
        "for_you": _zone_out(
            span_in(session.starts_at, session.ends_at, getattr(viewer, "timezone", "UTC"))
        ),
        "ics_url": reverse("meetings:session-ics", args=[session.pk]),
    }


def _item_out(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "position": item.position,
        "title": item.title,
        "subject": item.subject,
        "note": item.note,
        "status": item.status,
        "body": item.body.code if item.body else None,
        "added_by": item.added_by.username if item.added_by else None,
    }


def _action_out(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "session": item.minutes.session_id,
        "number": item.number,
        "text": item.text,
        "owner": item.owner.username,
        "due_on": item.due_on,
        "status": item.status,
        "completed_at": item.completed_at,
    }


def _minutes_out(minutes: Minutes, session: Session, viewer: User) -> dict[str, Any]:
    approvals = list(minutes.approvals.all())
    current = {a.delegation_id for a in approvals if a.revision == minutes.revision}
    return {
        "status": minutes.status,
        "revision": minutes.revision,
        "text": minutes.text,
        "drafted_by": minutes.drafted_by.username if minutes.drafted_by else None,
        "circulated_at": minutes.circulated_at,
        "approved_at": minutes.approved_at,
        "awaiting": [d.code for d in access.approving_parties(session) if d.pk not in current]
        if minutes.status == Minutes.Status.CIRCULATED
        else [],
        "approvals": [
            {
                "party": a.delegation.code,
                "revision": a.revision,
                "approved_by": a.approved_by.username,
                "approved_at": a.approved_at,
            }
            for a in approvals
        ],
        "decisions": [
            {"id": d.pk, "number": d.number, "text": d.text}
            for d in selectors.decision_list(actor=viewer, session=session)
        ],
        "action_items": [
            _action_out(a) for a in selectors.action_item_list(actor=viewer, session=session)
        ],
    }


# -- rounds ---------------------------------------------------------------------------


@router.get("/rounds", response=list[RoundOut], summary=_("Rounds of talks"))
def round_list(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    rounds = selectors.round_list(actor=request.user)
    return [
        _round_out(r)
        for r in pagination.api_page(
            request, response, rounds, page=page, list_name="rounds", order=("number", "id")
        )
    ]


@router.post("/rounds", response={201: RoundOut}, summary=_("Open a round of talks (facilitators)"))
def round_create(request: HttpRequest, data: RoundIn):
    row = services.round_create(actor=request.user, **data.dict())
    return Status(201, _round_out(row))


@router.get("/rounds/{round_id}", response=RoundOut, summary=_("One round"))
def round_detail(request: HttpRequest, round_id: str):
    return _round_out(access.round_access(request.user, round_id))


# -- sessions -------------------------------------------------------------------------


@router.get("/sessions", response=list[SessionOut], summary=_("Sessions you may see"))
def session_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    body: str | None = None,
    kind: str | None = None,
    round: str | None = None,
    after: Moment | None = None,
    before: Moment | None = None,
    mine: bool = False,
):
    the_round = access.round_access(request.user, round) if round else None
    sessions = selectors.session_list(
        actor=request.user,
        round=the_round,
        body_code=body,
        kind=kind,
        starts_after=after,
        starts_before=before,
        attended_by=request.user if mine else None,
    )
    return [
        _session_out(s, request.user)
        for s in pagination.api_page(
            request,
            response,
            sessions,
            page=page,
            list_name="sessions",
            order=("starts_at", "title", "id"),
        )
    ]


@router.post("/sessions", response={201: SessionDetailOut}, summary=_("Schedule a session"))
def session_create(request: HttpRequest, data: SessionIn):
    session = services.session_schedule(
        actor=request.user,
        title=data.title,
        venue=data.venue,
        venue_timezone=data.venue_timezone,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        body=data.body,
        caucus_party=data.caucus_party,
        round_id=data.round,
        participants=data.participants,
    )
    return Status(201, _session_detail(request, session.pk))


def _session_detail(request: HttpRequest, session_id: object) -> dict[str, Any]:
    session = access.session_access(request.user, session_id)
    return {
        **_session_out(session, request.user),
        "participants": [
            p.user.username for p in selectors.participant_list(actor=request.user, session=session)
        ],
        "agenda": [_item_out(i) for i in selectors.agenda(actor=request.user, session=session)],
    }


@router.get("/sessions/{session_id}", response=SessionDetailOut, summary=_("One session"))
def session_detail(request: HttpRequest, session_id: str):
    return _session_detail(request, session_id)


@router.post("/sessions/{session_id}/cancel", response=SessionOut, summary=_("Cancel a session"))
def session_cancel(request: HttpRequest, session_id: str, data: CancelIn):
    session = services.session_cancel(actor=request.user, session_id=session_id, reason=data.reason)
    return _session_out(access.session_access(request.user, session.pk), request.user)


class ParticipantIn(Schema):
    username: str = Field(min_length=1, max_length=150)


@router.post(
    "/sessions/{session_id}/participants",
    response={201: SessionDetailOut},
    summary=_("Invite someone to a session (facilitators)"),
)
def participant_add(request: HttpRequest, session_id: str, data: ParticipantIn):
    services.participant_add(actor=request.user, session_id=session_id, username=data.username)
    return Status(201, _session_detail(request, session_id))


@router.delete(
    "/sessions/{session_id}/participants/{username}",
    response={204: None},
    summary=_("Take someone off a session (facilitators)"),
)
def participant_remove(request: HttpRequest, session_id: str, username: str):
    services.participant_remove(actor=request.user, session_id=session_id, username=username)
    return Status(204, None)


# -- agendas --------------------------------------------------------------------------


@router.get("/sessions/{session_id}/agenda", response=list[AgendaItemOut], summary=_("Agenda"))
def agenda(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery], session_id: str
):
    session = access.session_access(request.user, session_id)
    items = list(selectors.agenda(actor=request.user, session=session))
    return [
        _item_out(i)
        for i in pagination.api_list(request, response, items, page=page, list_name="agenda")
    ]


@router.post(
    "/sessions/{session_id}/agenda",
    response={201: AgendaItemOut},
    summary=_("Put an item on a draft agenda"),
)
def agenda_item_add(request: HttpRequest, session_id: str, data: AgendaItemIn):
    item = services.agenda_item_add(actor=request.user, session_id=session_id, **data.dict())
    return Status(201, _item_out(item))


@router.delete(
    "/agenda-items/{item_id}", response={204: None}, summary=_("Withdraw an agenda item")
)
def agenda_item_withdraw(request: HttpRequest, item_id: str):
    services.agenda_item_withdraw(actor=request.user, item_id=item_id)
    return Status(204, None)


@router.post("/sessions/{session_id}/agenda/adopt", response=SessionOut, summary=_("Adopt agenda"))
def agenda_adopt(request: HttpRequest, session_id: str):
    services.agenda_adopt(actor=request.user, session_id=session_id)
    session = access.session_access(request.user, session_id)
    return _session_out(session, request.user)


@router.get("/queued", response=list[AgendaItemOut], summary=_("Items queued for a body"))
def queued(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    body: str | None = None,
):
    items = list(selectors.queued_items(actor=request.user, body_code=body))
    return [
        _item_out(i)
        for i in pagination.api_list(request, response, items, page=page, list_name="queued")
    ]


# -- minutes --------------------------------------------------------------------------


def _minutes_answer(request: HttpRequest, session_id: object) -> dict[str, Any]:
    session = access.session_access(request.user, session_id)
    minutes = selectors.minutes_for(actor=request.user, session=session)
    if minutes is None:
        raise access.MINUTES_NOT_FOUND()
    return _minutes_out(minutes, session, request.user)


@router.get("/sessions/{session_id}/minutes", response=MinutesOut, summary=_("Minutes"))
def minutes_detail(request: HttpRequest, session_id: str):
    return _minutes_answer(request, session_id)


@router.put("/sessions/{session_id}/minutes", response=MinutesOut, summary=_("Draft minutes"))
def minutes_draft(request: HttpRequest, session_id: str, data: MinutesIn):
    services.minutes_draft(actor=request.user, session_id=session_id, text=data.text)
    return _minutes_answer(request, session_id)


@router.post(
    "/sessions/{session_id}/minutes/circulate", response=MinutesOut, summary=_("Circulate minutes")
)
def minutes_circulate(request: HttpRequest, session_id: str):
    services.minutes_circulate(actor=request.user, session_id=session_id)
    return _minutes_answer(request, session_id)


@router.post(
    "/sessions/{session_id}/minutes/approve",
    response=MinutesOut,
    summary=_("Approve minutes for your party"),
)
def minutes_approve(request: HttpRequest, session_id: str):
    services.minutes_approve(actor=request.user, session_id=session_id)
    return _minutes_answer(request, session_id)


@router.post(
    "/sessions/{session_id}/minutes/return", response=MinutesOut, summary=_("Return to draft")
)
def minutes_return(request: HttpRequest, session_id: str, data: ReasonIn):
    services.minutes_return(actor=request.user, session_id=session_id, reason=data.reason)
    return _minutes_answer(request, session_id)


@router.post(
    "/sessions/{session_id}/minutes/decisions",
    response={201: DecisionOut},
    summary=_("Record a decision in the draft minutes"),
)
def decision_record(request: HttpRequest, session_id: str, data: DecisionIn):
    decision = services.decision_record(actor=request.user, session_id=session_id, text=data.text)
    return Status(201, {"id": decision.pk, "number": decision.number, "text": decision.text})


@router.post(
    "/sessions/{session_id}/minutes/action-items",
    response={201: ActionItemOut},
    summary=_("Record an action item in the draft minutes"),
)
def action_item_record(request: HttpRequest, session_id: str, data: ActionItemIn):
    item = services.action_item_record(
        actor=request.user,
        session_id=session_id,
        text=data.text,
        owner=data.owner,
        due_on=data.due_on,
    )
    return Status(201, _action_out(access.action_item_access(request.user, item.pk)))


@router.get("/action-items", response=list[ActionItemOut], summary=_("Action items you may see"))
def action_item_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    status: str | None = None,
    mine: bool = False,
):
    items = selectors.action_item_list(
        actor=request.user, status=status, owner=request.user if mine else None
    )
    return [
        _action_out(i)
        for i in pagination.api_page(
            request,
            response,
            items,
            page=page,
            list_name="action-items",
            order=("due_on", "number", "id"),
        )
    ]


@router.post(
    "/action-items/{action_id}/complete", response=ActionItemOut, summary=_("Mark an action done")
)
def action_item_complete(request: HttpRequest, action_id: str):
    services.action_item_complete(actor=request.user, action_id=action_id)
    return _action_out(access.action_item_access(request.user, action_id))


# -- caucus notes ---------------------------------------------------------------------


@router.get("/sessions/{session_id}/notes", response=list[CaucusNoteOut], summary=_("Caucus notes"))
def caucus_notes(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery], session_id: str
):
    session = access.session_access(request.user, session_id)
    notes = selectors.caucus_note_list(actor=request.user, session=session)
    return [
        _note_out(n)
        for n in pagination.api_page(
            request,
            response,
            notes,
            page=page,
            list_name=f"caucus-notes:{session_id}",
            order=("created_at", "id"),
        )
    ]


def _note_out(note: CaucusNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "kind": note.kind,
        "title": note.title,
        "text": note.text,
        "author": note.author.username,
        "created_at": note.created_at,
    }


@router.post(
    "/sessions/{session_id}/notes", response={201: CaucusNoteOut}, summary=_("Write a caucus note")
)
def caucus_note_write(request: HttpRequest, session_id: str, data: CaucusNoteIn):
    note = services.caucus_note_write(actor=request.user, session_id=session_id, **data.dict())
    return Status(201, _note_out(note))


# -- calendar feed --------------------------------------------------------------------


def _feed_out(request: HttpRequest, secret: str | None = None) -> dict[str, Any]:
    feed = selectors.calendar_feed_active(actor=request.user)
    return {
        "active": feed is not None,
        "prefix": feed.prefix if feed else None,
        "created_at": feed.created_at if feed else None,
        "url": request.build_absolute_uri(reverse("meetings:calendar-feed", args=[secret]))
        if secret
        else None,
    }


@router.get("/calendar-feed", response=FeedOut, summary=_("Your private calendar feed"))
def feed_detail(request: HttpRequest):
    return _feed_out(request)


@router.post(
    "/calendar-feed",
    response={201: FeedOut},
    summary=_("Create a new feed URL (shown once; the previous URL stops working)"),
)
def feed_create(request: HttpRequest):
    _feed, secret = services.calendar_feed_create(actor=request.user)
    return Status(201, _feed_out(request, secret))


@router.delete("/calendar-feed", response={204: None}, summary=_("Revoke your feed URL"))
def feed_revoke(request: HttpRequest):
    services.calendar_feed_revoke(actor=request.user)
    return Status(204, None)
