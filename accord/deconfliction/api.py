"""API of the de-confliction mechanism: organisations, notifications and their receipts,
a party's planned activities and conflict checks, violation reports and published
determinations. Every read through ``selectors``/``access``; every write a service."""

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
from accord.channels.services.attachments import attachment_upload_from_base64
from accord.dates import Moment
from accord.deconfliction import access, selectors, services
from accord.deconfliction.models import (
    ConflictCheck,
    Determination,
    Notification,
    PlannedActivity,
    ViolationReport,
)

router = Router(tags=["deconfliction"])


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    contact: str = Field(default="", max_length=200)


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    contact: str


class NotificationIn(Schema):
    organisation: uuid.UUID
    kind: str = Field(description="'site' or 'movement'")
    title: str = Field(min_length=1, max_length=200)
    geometry: dict[str, Any] = Field(description="A GeoJSON geometry (longitude, latitude)")
    buffer_m: float = Field(
        default=0, ge=0, le=50_000, description="Site buffer or corridor width, metres"
    )
    site_type: str = ""
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    vehicles: str = Field(default="", max_length=500)
    people: int | None = Field(default=None, ge=0, le=100_000)
    contact: str = Field(default="", max_length=200)
    emergency: bool = False
    supersedes: uuid.UUID | None = None


class ReceiptOut(Schema):
    party: str
    due_at: dt.datetime
    acknowledged_at: dt.datetime | None
    escalated_to: list[str]


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    site_type: str
    title: str
    organisation: str
    status: str
    geometry: dict[str, Any]
    buffer_m: float
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    emergency: bool
    receipts: list[ReceiptOut]
    note: str = Field(description="Receipt is not approval.")


class WithdrawIn(Schema):
    reason: str = Field(default="", max_length=500)


class ActivityIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    geometry: dict[str, Any]
    buffer_m: float = Field(default=0, ge=0, le=50_000)
    starts_at: Moment
    ends_at: Moment


class ActivityOut(Schema):
    id: uuid.UUID
    title: str
    geometry: dict[str, Any]
    buffer_m: float
    starts_at: dt.datetime
    ends_at: dt.datetime


class CheckIn(Schema):
    activity: uuid.UUID | None = None
    geometry: dict[str, Any] | None = None
    buffer_m: float = Field(default=0, ge=0, le=50_000)
    planned_from: Moment | None = None
    planned_until: Moment | None = None


class ConflictOut(Schema):
    notification: str
    kind: str
    title: str
    distance_m: float
    overlap_from: dt.datetime
    overlap_until: dt.datetime


class CheckOut(Schema):
    id: uuid.UUID
    checked_at: dt.datetime
    planned_from: dt.datetime
    planned_until: dt.datetime
    buffer_m: float
    geometry: dict[str, Any]
    conflicts: list[ConflictOut]


class CheckDayOut(Schema):
    day: dt.date
    checks: int


class EvidenceIn(Schema):
    filename: str = Field(min_length=1, max_length=200)
    content_base64: str = Field(max_length=14_000_000)


class EvidenceOut(Schema):
    id: uuid.UUID
    filename: str
    size: int
    sha256: str


class ReportIn(Schema):
    occurred_at: Moment
    location: dict[str, Any]
    place: str = Field(default="", max_length=200)
    description: str = Field(min_length=1, max_length=20_000)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=5)


class ReportOut(Schema):
    id: uuid.UUID
    side: str
    status: str
    occurred_at: dt.datetime
    location: dict[str, Any]
    place: str
    description: str
    finding: str
    finding_text: str
    remedy: str
    evidence: list[EvidenceOut]


class StepIn(Schema):
    step: str = Field(description="review, determine, remedy or close")
    finding: str = ""
    text: str = Field(default="", max_length=20_000)


class PublishIn(Schema):
    summary: str = Field(min_length=1, max_length=5000)


class DeterminationOut(Schema):
    id: uuid.UUID
    finding: str
    summary: str
    occurred_at: dt.datetime
    location: dict[str, Any]
    published_at: dt.datetime


def _notification_out(request: HttpRequest, row: Notification) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "kind": row.kind,
        "site_type": row.site_type,
        "title": row.title,
        "organisation": row.organisation.name,
        "status": row.status,
        "geometry": row.geometry,
        "buffer_m": row.buffer_m,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "emergency": row.emergency,
        "receipts": [
            {
                "party": r.delegation.code,
                "due_at": r.due_at,
                "acknowledged_at": r.acknowledged_at,
                "escalated_to": [e.to for e in r.escalations.all()],
            }
            for r in selectors.receipts_of(actor=request.user, notification=row)
        ],
        "note": str(_("Receipt is acknowledged, not approved.")),
    }


def _activity_out(row: PlannedActivity) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "title": row.title,
        "geometry": row.geometry,
        "buffer_m": row.buffer_m,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
    }


def _check_out(row: ConflictCheck) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "checked_at": row.checked_at,
        "planned_from": row.planned_from,
        "planned_until": row.planned_until,
        "buffer_m": row.buffer_m,
        "geometry": row.geometry,
        "conflicts": row.conflicts,
    }


def _report_out(request: HttpRequest, row: ViolationReport) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "side": row.delegation.code,
        "status": row.status,
        "occurred_at": row.occurred_at,
        "location": row.location,
        "place": row.place,
        "description": row.description,
        "finding": row.finding,
        "finding_text": row.finding_text,
        "remedy": row.remedy,
        "evidence": [
            {"id": e.public_id, "filename": e.filename, "size": e.size, "sha256": e.sha256}
            for e in selectors.evidence_of(actor=request.user, report=row)
        ],
    }


def _determination_out(row: Determination) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "finding": row.finding,
        "summary": row.summary,
        "occurred_at": row.occurred_at,
        "location": row.location,
        "published_at": row.published_at,
    }


@router.get("/organisations", response=list[OrganisationOut], summary=_("Registered organisations"))
def organisation_list(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]
):
    rows = selectors.organisation_list(actor=request.user)
    return [
        {"id": o.public_id, "name": o.name, "contact": o.contact}
        for o in pagination.api_page(
            request, response, rows, page=page, list_name="organisations", order=("name", "id")
        )
    ]


@router.post(
    "/organisations", response={201: OrganisationOut}, summary=_("Register an organisation")
)
def organisation_register(request: HttpRequest, data: OrganisationIn):
    row = services.organisation_register(actor=request.user, name=data.name, contact=data.contact)
    return Status(201, {"id": row.public_id, "name": row.name, "contact": row.contact})


@router.get(
    "/notifications", response=list[NotificationOut], summary=_("Notified sites and movements")
)
def notification_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    status: str | None = None,
    kind: str | None = None,
):
    rows = selectors.notification_list(
        actor=request.user, status=status, kind=kind, with_receipts=True
    )
    return [
        _notification_out(request, row)
        for row in pagination.api_page(
            request,
            response,
            rows,
            page=page,
            list_name=f"notifications:{status or ''}:{kind or ''}",
            order=selectors.NOTIFICATION_ORDER,
        )
    ]


@router.post("/notifications", response={201: NotificationOut}, summary=_("Submit a notification"))
def notification_submit(request: HttpRequest, data: NotificationIn):
    row = services.notification_submit(
        actor=request.user,
        organisation_id=data.organisation,
        kind=data.kind,
        title=data.title,
        geometry=data.geometry,
        buffer_m=data.buffer_m,
        site_type=data.site_type,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        vehicles=data.vehicles,
        people=data.people,
        contact=data.contact,
        emergency=data.emergency,
        supersedes_id=data.supersedes,
    )
    return Status(201, _notification_out(request, row))


@router.get(
    "/notifications/{notification_id}", response=NotificationOut, summary=_("One notification")
)
def notification_detail(request: HttpRequest, notification_id: uuid.UUID):
    return _notification_out(request, access.notification_access(request.user, notification_id))


@router.post(
    "/notifications/{notification_id}/transmit",
    response=NotificationOut,
    summary=_("Transmit a notification to the parties"),
)
def notification_transmit(request: HttpRequest, notification_id: uuid.UUID):
    row = services.notification_transmit(actor=request.user, notification_id=notification_id)
    return _notification_out(request, row)


@router.post(
    "/notifications/{notification_id}/acknowledge",
    response=NotificationOut,
    summary=_("Acknowledge receipt (not approval) for your party"),
)
def notification_acknowledge(request: HttpRequest, notification_id: uuid.UUID):
    receipt = services.notification_acknowledge(actor=request.user, notification_id=notification_id)
    return _notification_out(request, receipt.notification)


@router.post(
    "/notifications/{notification_id}/withdraw",
    response=NotificationOut,
    summary=_("Withdraw a notification"),
)
def notification_withdraw(request: HttpRequest, notification_id: uuid.UUID, data: WithdrawIn):
    row = services.notification_withdraw(
        actor=request.user, notification_id=notification_id, reason=data.reason
    )
    return _notification_out(request, row)


@router.get("/activities", response=list[ActivityOut], summary=_("Your party's planned activities"))
def activity_list(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    rows = selectors.activity_list(actor=request.user)
    return [
        _activity_out(a)
        for a in pagination.api_page(
            request,
            response,
            rows,
            page=page,
            list_name="activities",
            order=("-recorded_at", "-id"),
        )
    ]


@router.post("/activities", response={201: ActivityOut}, summary=_("Record a planned activity"))
def activity_record(request: HttpRequest, data: ActivityIn):
    row = services.activity_record(
        actor=request.user,
        title=data.title,
        geometry=data.geometry,
        buffer_m=data.buffer_m,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
    )
    return Status(201, _activity_out(row))


@router.get("/checks", response=list[CheckOut], summary=_("Your party's conflict checks"))
def check_list(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    rows = selectors.check_list(actor=request.user)
    return [
        _check_out(c)
        for c in pagination.api_page(
            request, response, rows, page=page, list_name="checks", order=("-checked_at", "-id")
        )
    ]


@router.post(
    "/checks", response={201: CheckOut}, summary=_("Check an area and window for conflicts")
)
def conflict_check(request: HttpRequest, data: CheckIn):
    row = services.conflict_check(
        actor=request.user,
        geometry=data.geometry,
        buffer_m=data.buffer_m,
        planned_from=data.planned_from,
        planned_until=data.planned_until,
        activity_id=data.activity,
    )
    return Status(201, _check_out(row))


@router.get("/checks/{check_id}", response=CheckOut, summary=_("One conflict check of your party"))
def check_detail(request: HttpRequest, check_id: uuid.UUID):
    return _check_out(access.check_access(request.user, check_id))


@router.get(
    "/check-statistics",
    response=list[CheckDayOut],
    summary=_("How many conflict checks were run, by day (facilitators)"),
)
def check_statistics(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]
):
    days = [
        {"day": d.day, "checks": d.checks} for d in selectors.check_statistics(actor=request.user)
    ]
    return pagination.api_list(request, response, days, page=page, list_name="check-statistics")


@router.get("/reports", response=list[ReportOut], summary=_("Violation reports you may see"))
def report_list(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    rows = selectors.report_list(actor=request.user, with_evidence=True)
    return [
        _report_out(request, r)
        for r in pagination.api_page(
            request, response, rows, page=page, list_name="reports", order=selectors.REPORT_ORDER
        )
    ]


@router.post("/reports", response={201: ReportOut}, summary=_("Report an alleged violation"))
def violation_report(request: HttpRequest, data: ReportIn):
    row = services.violation_report(
        actor=request.user,
        occurred_at=data.occurred_at,
        location=data.location,
        place=data.place,
        description=data.description,
        evidence=[
            attachment_upload_from_base64(e.filename, e.content_base64) for e in data.evidence
        ],
    )
    return Status(201, _report_out(request, row))


@router.get("/reports/{report_id}", response=ReportOut, summary=_("One violation report"))
def report_detail(request: HttpRequest, report_id: uuid.UUID):
    return _report_out(request, access.report_access(request.user, report_id))


@router.post(
    "/reports/{report_id}/step", response=ReportOut, summary=_("Move a report through its review")
)
def violation_step(request: HttpRequest, report_id: uuid.UUID, data: StepIn):
    row = services.violation_step(
        actor=request.user,
        report_id=report_id,
        step=data.step,
        finding=data.finding,
        text=data.text,
    )
    return _report_out(request, row)


@router.post(
    "/reports/{report_id}/publish",
    response={201: DeterminationOut},
    summary=_("Publish a report's determination to every participant"),
)
def determination_publish(request: HttpRequest, report_id: uuid.UUID, data: PublishIn):
    row = services.determination_publish(
        actor=request.user, report_id=report_id, summary=data.summary
    )
    return Status(201, _determination_out(row))


@router.get(
    "/determinations", response=list[DeterminationOut], summary=_("Published determinations")
)
def determination_list(
    request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]
):
    rows = selectors.determination_list(actor=request.user)
    return [
        _determination_out(d)
        for d in pagination.api_page(
            request,
            response,
            rows,
            page=page,
            list_name="determinations",
            order=("-published_at", "-id"),
        )
    ]
