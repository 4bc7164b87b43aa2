"""API for incidents at sea and a party's view of vessels (mounted at ``/api/incidents``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord import pagination
from accord.channels.services import attachment_upload_from_base64
from accord.dates import Moment
from accord.incidents import access, selectors, services
from accord.incidents.models import Incident, IncidentStep
from accord.incidents.protocol import Category

router = Router(tags=["incidents"])
CHANNEL = "MCC"


class AttachmentIn(Schema):
    filename: str = Field(min_length=1, max_length=200)
    content_base64: str


class IncidentIn(Schema):
    category: Category
    occurred_at: Moment = Field(description="When it happened (ISO 8601 with offset)")
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    description: str = Field(min_length=1, max_length=services.MAX_DESCRIPTION)
    vessels: list[uuid.UUID] = Field(default_factory=list, description="Vessel public ids")
    encounter: uuid.UUID | None = Field(default=None, description="The encounter it arose from")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=5)
    client_id: str | None = Field(default=None, max_length=64)


class NoteIn(Schema):
    note: str = Field(default="", max_length=services.MAX_NOTE)


class StepOut(Schema):
    step: str
    at: dt.datetime
    by_party: str | None
    note: str
    missed: str


class IncidentOut(Schema):
    id: uuid.UUID
    code: str = Field(description="INC-<number>, counted per channel")
    channel: str
    category: str
    occurred_at: dt.datetime
    latitude: float
    longitude: float
    description: str
    vessels: list[uuid.UUID]
    reported_by: str
    reported_to: str
    reported_at: dt.datetime
    message: uuid.UUID = Field(description="The report's message on the channel")
    step: str
    step_since: dt.datetime
    due_at: dt.datetime | None = Field(description="When the next step falls due")


class IncidentDetailOut(IncidentOut):
    steps: list[StepOut]


class AffiliationIn(Schema):
    affiliation: str = Field(
        description="own_navy, other_navy, coast_guard, commercial, fast_craft, unknown"
    )


class AffiliationOut(Schema):
    vessel: uuid.UUID
    affiliation: str


class AnnotationIn(Schema):
    text: str = Field(min_length=1, max_length=services.MAX_NOTE)


class AnnotationOut(Schema):
    id: uuid.UUID
    vessel: uuid.UUID
    party: str
    text: str
    written_at: dt.datetime
    shared: bool


def _out(row: Incident) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "code": row.code,
        "channel": row.mechanism.code,
        "category": row.category,
        "occurred_at": row.occurred_at,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "description": row.description,
        "vessels": [v.public_id for v in row.vessels.all()],
        "reported_by": row.reported_by.code,
        "reported_to": row.reported_to.code,
        "reported_at": row.reported_at,
        "message": row.message.public_id,
        "step": row.step,
        "step_since": row.step_since,
        "due_at": row.due_at,
    }


def _step_out(step: IncidentStep) -> dict[str, Any]:
    return {
        "step": step.step,
        "at": step.at,
        "by_party": step.by_delegation.code if step.by_delegation else None,
        "note": step.note,
        "missed": step.missed,
    }


def _detail(request: HttpRequest, row: Incident) -> dict[str, Any]:
    steps = selectors.incident_steps(actor=request.user, incident=row)
    return {**_out(row), "steps": [_step_out(step) for step in steps]}


@router.get("/", response=list[IncidentOut], summary=_("Incidents at sea on the maritime channel"))
def incident_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    open_only: bool = False,
):
    rows = selectors.incident_list(actor=request.user, open_only=open_only)
    found = pagination.api_page(
        request,
        response,
        rows.prefetch_related("vessels"),
        page=page,
        list_name="incidents",
        order=("-reported_at", "-id"),
    )
    return [_out(row) for row in found]


@router.post("/", response={201: IncidentDetailOut}, summary=_("Report an incident at sea"))
def incident_report(request: HttpRequest, data: IncidentIn):
    row = services.incident_report(
        actor=request.user,
        channel=CHANNEL,
        draft=services.ReportDraft(
            category=data.category.value,
            occurred_at=data.occurred_at,
            latitude=data.latitude,
            longitude=data.longitude,
            description=data.description,
            vessel_ids=tuple(data.vessels),
            encounter_id=data.encounter,
        ),
        attachments=[
            attachment_upload_from_base64(a.filename, a.content_base64) for a in data.attachments
        ],
        client_id=data.client_id,
    )
    return Status(201, _detail(request, row))


@router.get("/{incident_id}", response=IncidentDetailOut, summary=_("One incident and its steps"))
def incident_get(request: HttpRequest, incident_id: str):
    return _detail(request, access.incident_access(request.user, incident_id))


@router.post(
    "/{incident_id}/acknowledge",
    response=IncidentDetailOut,
    summary=_("Acknowledge an incident report (on the channel)"),
)
def incident_acknowledge(request: HttpRequest, incident_id: str, data: NoteIn):
    row = services.incident_acknowledge(
        actor=request.user, incident_id=incident_id, reply=data.note
    )
    return _detail(request, row)


@router.post(
    "/{incident_id}/advance",
    response=IncidentDetailOut,
    summary=_("Record the next step of the protocol"),
)
def incident_advance(request: HttpRequest, incident_id: str, data: NoteIn):
    row = services.incident_advance(actor=request.user, incident_id=incident_id, note=data.note)
    return _detail(request, row)


@router.get(
    "/vessels/{vessel_id}/affiliation",
    response=AffiliationOut,
    summary=_("A vessel's affiliation as your party sees it"),
)
def affiliation_get(request: HttpRequest, vessel_id: str):
    vessel = access.vessel_access(request.user, vessel_id)
    return {
        "vessel": vessel.public_id,
        "affiliation": selectors.affiliation_of(actor=request.user, vessel=vessel),
    }


@router.put(
    "/vessels/{vessel_id}/affiliation",
    response=AffiliationOut,
    summary=_("Set the affiliation your party gives a vessel"),
)
def affiliation_set(request: HttpRequest, vessel_id: str, data: AffiliationIn):
    vessel = access.vessel_access(request.user, vessel_id)
    row = services.vessel_affiliation_set(
        actor=request.user, vessel_id=vessel.public_id, affiliation=data.affiliation
    )
    return {"vessel": vessel.public_id, "affiliation": row.affiliation}


def _annotation_out(row: Any, vessel: Any = None) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "vessel": vessel.public_id if vessel is not None else row.vessel.public_id,
        "party": row.delegation.code,
        "text": row.text,
        "written_at": row.written_at,
        "shared": row.shared_at is not None,
    }


@router.get(
    "/vessels/{vessel_id}/annotations",
    response=list[AnnotationOut],
    summary=_("Your party's annotations of a vessel, and those shared on the channel"),
)
def annotation_list(
    request: HttpRequest, response: HttpResponse, vessel_id: str, page: Query[pagination.PageQuery]
):
    vessel = access.vessel_access(request.user, vessel_id)
    found = pagination.api_page(
        request,
        response,
        selectors.annotation_list(actor=request.user, vessel=vessel),
        page=page,
        list_name=f"annotations:{vessel.public_id}",
        order=("-written_at", "-id"),
    )
    return [_annotation_out(a, vessel) for a in found]


@router.post(
    "/vessels/{vessel_id}/annotations",
    response={201: AnnotationOut},
    summary=_("Annotate a vessel (internal to your party)"),
)
def annotation_write(request: HttpRequest, vessel_id: str, data: AnnotationIn):
    vessel = access.vessel_access(request.user, vessel_id)
    row = services.vessel_annotation_write(
        actor=request.user, vessel_id=vessel.public_id, text=data.text
    )
    return Status(201, _annotation_out(row))


@router.post(
    "/annotations/{annotation_id}/share",
    response=AnnotationOut,
    summary=_("Share your party's annotation on the channel"),
)
def annotation_share(request: HttpRequest, annotation_id: str):
    row = services.vessel_annotation_share(
        actor=request.user, annotation_id=annotation_id, channel=CHANNEL
    )
    return _annotation_out(row)
