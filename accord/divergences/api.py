"""API for the divergence register, positions, bridging proposals and the ladder."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord.divergences import selectors, services
from accord.divergences.models import Divergence
from accord.process.selectors import body_get

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
    party: str
    shared: bool
    text: str
    updated_at: dt.datetime
    shared_at: dt.datetime | None


class BridgingOut(Schema):
    id: int
    text: str
    author: str | None
    created_at: dt.datetime


class ReferralOut(Schema):
    from_rung: str
    to_rung: str
    automatic: bool
    note: str
    at: dt.datetime
    deadline: dt.datetime | None


class DivergenceOut(Schema):
    id: int
    code: str
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


class DivergenceDetailOut(DivergenceOut):
    bridging_proposals: list[BridgingOut]
    referrals: list[ReferralOut]


class CardOut(Schema):
    id: int
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


def _position_out(position) -> dict:
    return {
        "party": position.delegation.code,
        "shared": position.is_shared,
        "text": position.text,
        "updated_at": position.updated_at,
        "shared_at": position.shared_at,
    }


def _out(row: Divergence, positions=None) -> dict:
    visible = positions if positions is not None else getattr(row, "visible_positions", [])
    return {
        "id": row.pk,
        "code": f"D-{row.pk}",
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


def _detail(request: HttpRequest, divergence_id: int) -> dict:
    row = selectors.divergence_get(actor=request.user, divergence_id=divergence_id)
    actor = request.user
    return {
        **_out(row, selectors.position_list(actor=actor, divergence=row)),
        "bridging_proposals": [
            {
                "id": b.pk,
                "text": b.text,
                "author": str(b.author) if b.author else None,
                "created_at": b.created_at,
            }
            for b in selectors.bridging_list(actor=actor, divergence=row)
        ],
        "referrals": list(
            selectors.referral_list(actor=actor, divergence=row).values(
                "from_rung", "to_rung", "automatic", "note", "at", "deadline"
            )
        ),
    }


@router.get("/", response=list[DivergenceOut], summary="The divergence register")
def divergence_list(
    request: HttpRequest,
    status: str | None = None,
    body: str | None = None,
    rung: str | None = None,
):
    rows = selectors.divergence_list(actor=request.user, status=status, body_code=body, rung=rung)
    return [_out(row) for row in rows]


@router.post("/", response={201: DivergenceDetailOut}, summary="Record a point of divergence")
def divergence_create(request: HttpRequest, data: DivergenceIn):
    body = body_get(actor=request.user, code=data.body)
    row = services.divergence_open(
        actor=request.user,
        body=body,
        title=data.title,
        description=data.description,
        provisions=data.provisions,
    )
    return Status(201, _detail(request, row.pk))


@router.get("/board", response=list[ColumnOut], summary="Unresolved divergences by rung and age")
def divergence_board(request: HttpRequest):
    return [
        {
            "rung": column.rung,
            "label": column.label,
            "cards": [
                {
                    "id": card.divergence.pk,
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
        for column in selectors.divergence_board(actor=request.user)
    ]


@router.get("/{divergence_id}", response=DivergenceDetailOut, summary="One divergence")
def divergence_detail(request: HttpRequest, divergence_id: str):
    return _detail(request, divergence_id)


@router.put(
    "/{divergence_id}/position",
    response=PositionOut,
    summary="State your party's position (internal by default)",
)
def position_set(request: HttpRequest, divergence_id: str, data: PositionIn):
    row = selectors.divergence_get(actor=request.user, divergence_id=divergence_id)
    position = services.position_set(
        actor=request.user, divergence=row, text=data.text, shared=data.shared
    )
    return _position_out(position)


@router.post(
    "/{divergence_id}/position/share",
    response=PositionOut,
    summary="Share your party's internal position with everyone",
)
def position_share(request: HttpRequest, divergence_id: str):
    row = selectors.divergence_get(actor=request.user, divergence_id=divergence_id)
    return _position_out(services.position_share(actor=request.user, divergence=row))


@router.post(
    "/{divergence_id}/bridging",
    response={201: BridgingOut},
    summary="Table a bridging proposal (facilitators)",
)
def bridging_propose(request: HttpRequest, divergence_id: str, data: TextIn):
    row = selectors.divergence_get(actor=request.user, divergence_id=divergence_id)
    proposal = services.bridging_propose(actor=request.user, divergence=row, text=data.text)
    return Status(
        201,
        {
            "id": proposal.pk,
            "text": proposal.text,
            "author": str(proposal.author),
            "created_at": proposal.created_at,
        },
    )


def _transition(request: HttpRequest, divergence_id: str, action, **kwargs) -> dict:
    row = selectors.divergence_get(actor=request.user, divergence_id=divergence_id)
    action(actor=request.user, divergence=row, **kwargs)
    return _detail(request, row.pk)


@router.post(
    "/{divergence_id}/refer",
    response=DivergenceDetailOut,
    summary="Refer to the next rung of the ladder (facilitators, chairs of the current rung)",
)
def divergence_refer(request: HttpRequest, divergence_id: str, data: TextIn):
    return _transition(request, divergence_id, services.divergence_refer, note=data.text)


@router.post("/{divergence_id}/resolve", response=DivergenceDetailOut, summary="Resolve")
def divergence_resolve(request: HttpRequest, divergence_id: str, data: TextIn):
    return _transition(request, divergence_id, services.divergence_resolve, resolution=data.text)


@router.post("/{divergence_id}/park", response=DivergenceDetailOut, summary="Park")
def divergence_park(request: HttpRequest, divergence_id: str, data: TextIn):
    return _transition(request, divergence_id, services.divergence_park, note=data.text)


@router.post("/{divergence_id}/reopen", response=DivergenceDetailOut, summary="Reopen")
def divergence_reopen(request: HttpRequest, divergence_id: str, data: TextIn):
    return _transition(request, divergence_id, services.divergence_reopen, note=data.text)
