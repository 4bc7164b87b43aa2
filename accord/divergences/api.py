"""API for the divergence register, positions, bridging proposals and the ladder."""

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord import pagination
from accord.divergences import access, selectors, services
from accord.divergences.models import BridgingProposal, Divergence, Position, Referral

router = Router(tags=["divergences"])


class DivergenceIn(Schema):
    body: str = Field(description="Code of the working group (or body) whose register holds it")
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=services.MAX_TEXT)
    provisions: list[str] = Field(default_factory=list, description="['provision:<id>', ...]")


class PositionIn(Schema):
    text: str = Field(min_length=1, max_length=services.MAX_TEXT)
    shared: bool = Field(
        default=False, description="false: internal to your delegation; true: shared with all"
    )


class TextIn(Schema):
    text: str = Field(default="", max_length=services.MAX_TEXT)


class PositionOut(Schema):
    id: uuid.UUID
    party: str
    shared: bool
    text: str
    updated_at: dt.datetime
    shared_at: dt.datetime | None


class BridgingOut(Schema):
    id: uuid.UUID
    text: str
    author: str | None
    created_at: dt.datetime


class ReferralOut(Schema):
    id: uuid.UUID
    from_rung: str
    to_rung: str
    automatic: bool
    note: str
    at: dt.datetime
    deadline: dt.datetime | None


class DivergenceOut(Schema):
    id: uuid.UUID
    code: str = Field(description="How people name it: D-<number>, counted per process")
    title: str
    description: str
    body: str
    provisions: list[str]
    status: str
    rung: str
    rung_since: dt.datetime
    rung_deadline: dt.datetime | None
    created_at: dt.datetime
    closed_at: dt.datetime | None
    resolution: str
    positions: list[PositionOut]


class ActionsOut(Schema):
    """What the reader may do now (the same answers the pages show forms for)."""

    state_position: bool
    share_position: bool
    propose_bridge: bool
    refer: bool
    resolve: bool
    park: bool
    reopen: bool


class DivergenceDetailOut(DivergenceOut):
    bridging_proposals: list[BridgingOut]
    referrals: list[ReferralOut]
    may: ActionsOut


class CardOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    body: str
    status: str
    age_days: int
    days_at_rung: int
    days_left: int | None


class ColumnOut(Schema):
    rung: str
    label: str
    cards: list[CardOut]


def _position_out(position: Position) -> dict[str, Any]:
    return {
        "id": position.public_id,
        "party": position.delegation.code,
        "shared": position.is_shared,
        "text": position.text,
        "updated_at": position.updated_at,
        "shared_at": position.shared_at,
    }


def _bridging_out(proposal: BridgingProposal) -> dict[str, Any]:
    return {
        "id": proposal.public_id,
        "text": proposal.text,
        "author": str(proposal.author) if proposal.author else None,
        "created_at": proposal.created_at,
    }


def _referral_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.public_id,
        "from_rung": referral.from_rung,
        "to_rung": referral.to_rung,
        "automatic": referral.automatic,
        "note": referral.note,
        "at": referral.at,
        "deadline": referral.deadline,
    }


def _out(row: Divergence, positions: Iterable[Position] | None = None) -> dict[str, Any]:
    visible = positions if positions is not None else getattr(row, "visible_positions", [])
    return {
        "id": row.public_id,
        "code": row.code,
        "title": row.title,
        "description": row.description,
        "body": row.body.code,
        "provisions": row.provisions,
        "status": row.status,
        "rung": row.rung,
        "rung_since": row.rung_since,
        "rung_deadline": row.rung_deadline,
        "created_at": row.created_at,
        "closed_at": row.closed_at,
        "resolution": row.resolution,
        "positions": [_position_out(p) for p in visible],
    }


def _detail(request: HttpRequest, divergence_id: Any) -> dict[str, Any]:
    actor = request.user
    row = access.divergence_access(actor, divergence_id)
    return {
        **_out(row, selectors.position_list(actor=actor, divergence=row)),
        "bridging_proposals": [
            _bridging_out(b) for b in selectors.bridging_list(actor=actor, divergence=row)
        ],
        "referrals": [
            _referral_out(r) for r in selectors.referral_list(actor=actor, divergence=row)
        ],
        "may": selectors.divergence_actions(actor=actor, divergence=row),
    }


@router.get("/", response=list[DivergenceOut], summary=_("The divergence register"))
def divergence_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    status: str | None = None,
    body: str | None = None,
    rung: str | None = None,
):
    rows = selectors.divergence_list(actor=request.user, status=status, body_code=body, rung=rung)
    return [
        _out(row)
        for row in pagination.api_page(
            request, response, rows, page=page, list_name="divergences", order=("created_at", "id")
        )
    ]


@router.post("/", response={201: DivergenceDetailOut}, summary=_("Record a point of divergence"))
def divergence_create(request: HttpRequest, data: DivergenceIn):
    row = services.divergence_open(
        actor=request.user,
        body_code=data.body,
        title=data.title,
        description=data.description,
        provisions=data.provisions,
    )
    return Status(201, _detail(request, row.public_id))


@router.get("/board", response=list[ColumnOut], summary=_("Unresolved divergences by rung and age"))
def divergence_board(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]
):
    columns = selectors.divergence_board(actor=request.user)
    return [
        {
            "rung": column.rung,
            "label": column.label,
            "cards": [
                {
                    "id": card.divergence.public_id,
                    "code": card.divergence.code,
                    "title": card.divergence.title,
                    "body": card.divergence.body.code,
                    "status": card.divergence.status,
                    "age_days": card.age_days,
                    "days_at_rung": card.days_at_rung,
                    "days_left": card.days_left,
                }
                for card in column.cards
            ],
        }
        for column in pagination.api_list(request, response, columns, page=page, list_name="board")
    ]


@router.get("/{divergence_id}", response=DivergenceDetailOut, summary=_("One divergence"))
def divergence_detail(request: HttpRequest, divergence_id: str):
    return _detail(request, divergence_id)


@router.put(
    "/{divergence_id}/position",
    response=PositionOut,
    summary=_("State your party's position (internal by default)"),
)
def position_set(request: HttpRequest, divergence_id: str, data: PositionIn):
    position = services.position_set(
        actor=request.user, divergence_id=divergence_id, text=data.text, shared=data.shared
    )
    return _position_out(position)


@router.post(
    "/{divergence_id}/position/share",
    response=PositionOut,
    summary=_("Share your party's internal position with everyone"),
)
def position_share(request: HttpRequest, divergence_id: str):
    return _position_out(services.position_share(actor=request.user, divergence_id=divergence_id))


@router.post(
    "/{divergence_id}/bridging",
    response={201: BridgingOut},
    summary=_("Table a bridging proposal (facilitators)"),
)
def bridging_propose(request: HttpRequest, divergence_id: str, data: TextIn):
    proposal = services.bridging_propose(
        actor=request.user, divergence_id=divergence_id, text=data.text
    )
    return Status(201, _bridging_out(proposal))


@router.post(
    "/{divergence_id}/refer",
    response=DivergenceDetailOut,
    summary=_("Refer to the next rung of the ladder (facilitators, chairs of the current rung)"),
)
def divergence_refer(request: HttpRequest, divergence_id: str, data: TextIn):
    row = services.divergence_refer(actor=request.user, divergence_id=divergence_id, note=data.text)
    return _detail(request, row.public_id)


@router.post("/{divergence_id}/resolve", response=DivergenceDetailOut, summary=_("Resolve"))
def divergence_resolve(request: HttpRequest, divergence_id: str, data: TextIn):
    row = services.divergence_resolve(
        actor=request.user, divergence_id=divergence_id, resolution=data.text
    )
    return _detail(request, row.public_id)


@router.post("/{divergence_id}/park", response=DivergenceDetailOut, summary=_("Park"))
def divergence_park(request: HttpRequest, divergence_id: str, data: TextIn):
    row = services.divergence_park(actor=request.user, divergence_id=divergence_id, note=data.text)
    return _detail(request, row.public_id)


@router.post("/{divergence_id}/reopen", response=DivergenceDetailOut, summary=_("Reopen"))
def divergence_reopen(request: HttpRequest, divergence_id: str, data: TextIn):
    row = services.divergence_reopen(
        actor=request.user, divergence_id=divergence_id, note=data.text
    )
    return _detail(request, row.public_id)
