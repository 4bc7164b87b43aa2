"""API for the process structure and the roadmap.

The roadmap overview's forecasts count drafting's brackets and the divergences, so that
endpoint reads ``reports.selectors.roadmap_overview`` (an API reading a selector of a
composing app; ``reports`` imports no API and no view, so no circle).
"""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field

from accord import pagination
from accord.accounts.selectors import appointment_list
from accord.dates import Day
from accord.process import access, selectors, services
from accord.process.models import Body, Milestone
from accord.reports.selectors import roadmap_overview as full_roadmap_overview

router = Router(tags=["process"])


class DelegationOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    language: str
    timezone: str


class ProcessOut(Schema):
    code: str
    name: str
    short_name: str
    description: str
    signed_on: dt.date | None
    starts_on: dt.date
    timezone: str
    delegations: list[DelegationOut]


class MemberOut(Schema):
    username: str
    name: str
    delegation: str | None
    role: str


class BodyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    mandate: str
    reports_to: str | None
    chair_arrangement: str
    chairs: list[str]
    member_roles: list[str]


class BodyDetailOut(BodyOut):
    members: list[MemberOut]


class MechanismOut(Schema):
    code: str
    name: str
    kind: str
    purpose: str
    area: str
    delegations: list[str]
    facilitators_informed: bool
    member_roles: list[str]


class MilestoneOut(Schema):
    code: str
    body: str
    title: str
    due_day: int
    due_on: dt.date
    original_due_on: dt.date | None
    depends_on: list[str]
    status: str


class ExtensionOut(Schema):
    previous_due_on: dt.date
    new_due_on: dt.date
    reason: str
    decision_ref: str
    decided_at: dt.datetime


class MilestoneHealthOut(MilestoneOut):
    health: str
    reasons: list[str]
    slack_days: int
    critical: bool
    extensions: list[ExtensionOut]


class ForecastOut(Schema):
    body: str
    open_now: int
    brackets_now: int
    divergences_now: int
    rate_per_day: float
    clean_on: dt.date | None
    status: str
    milestone: str | None
    due_on: dt.date | None
    slip_days: int | None


class OverviewOut(Schema):
    title: str
    today: dt.date
    day: int
    length_days: int
    label: str
    counts: dict[str, int]
    critical_path: list[str]
    next_milestones: list[str]
    milestones: list[MilestoneHealthOut]
    forecasts: list[ForecastOut]


class ExtendIn(Schema):
    new_due_on: Day
    reason: str = Field(min_length=1, max_length=5000)
    decision_ref: str = Field(default="", max_length=200)


class RoadmapOut(Schema):
    title: str
    starts_on: dt.date
    ends_on: dt.date
    length_days: int
    today: dt.date
    day: int
    label: str
    milestones: list[MilestoneOut]


def _body_out(body: Body) -> dict:
    return {
        "code": body.code,
        "name": body.name,
        "short_name": body.short_name,
        "kind": body.kind,
        "mandate": body.mandate,
        "reports_to": body.reports_to.code if body.reports_to else None,
        "chair_arrangement": body.chair_arrangement,
        "chairs": [d.code for d in body.chairs.all()],
        "member_roles": body.member_roles,
    }


def _milestone_out(milestone: Milestone) -> dict:
    return {
        "code": milestone.code,
        "body": milestone.body.code,
        "title": milestone.title,
        "due_day": milestone.due_day,
        "due_on": milestone.due_on,
        "original_due_on": milestone.original_due_on,
        "depends_on": [d.code for d in milestone.depends_on.all()],
        "status": milestone.status,
    }


@router.get("/process", response=ProcessOut, summary=_("The process the caller takes part in"))
def process_detail(request: HttpRequest):
    process = selectors.process_for(request.user)
    return {
        "code": process.code,
        "name": process.name,
        "short_name": process.short_name,
        "description": process.description,
        "signed_on": process.signed_on,
        "starts_on": process.starts_on,
        "timezone": process.timezone,
        "delegations": list(selectors.delegation_list(actor=request.user)),
    }


@router.get("/bodies", response=list[BodyOut], summary=_("The process's bodies"))
def body_list(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    bodies = list(selectors.body_list(actor=request.user))
    return [
        _body_out(b)
        for b in pagination.api_list(request, response, bodies, page=page, list_name="bodies")
    ]


@router.get("/bodies/{code}", response=BodyDetailOut, summary=_("One body, with its members"))
def body_detail(request: HttpRequest, code: str):
    body = access.body_access(request.user, code)
    members = [
        {
            "username": a.user.username,
            "name": str(a.user),
            "delegation": a.user.delegation.code if a.user.delegation else None,
            "role": a.role,
        }
        for a in appointment_list(body=body)
    ]
    return {**_body_out(body), "members": members}


@router.get("/mechanisms", response=list[MechanismOut], summary=_("Channels and mechanisms"))
def mechanism_list(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    mechanisms = list(selectors.mechanism_list(actor=request.user))
    return [
        {
            "code": m.code,
            "name": m.name,
            "kind": m.kind,
            "purpose": m.purpose,
            "area": m.area,
            "delegations": [d.code for d in m.delegations.all()],
            "facilitators_informed": m.facilitators_informed,
            "member_roles": m.member_roles,
        }
        for m in pagination.api_list(
            request, response, mechanisms, page=page, list_name="mechanisms"
        )
    ]


@router.get("/roadmap", response=RoadmapOut, summary=_("Roadmap status: day N of L, milestones"))
def roadmap(request: HttpRequest, today: Day | None = None):
    status = selectors.roadmap_status(actor=request.user, today=today or timezone.localdate())
    return {
        "title": status.title,
        "starts_on": status.starts_on,
        "ends_on": status.ends_on,
        "length_days": status.length_days,
        "today": status.today,
        "day": status.day,
        "label": status.label,
        "milestones": [_milestone_out(m) for m in selectors.milestone_list(actor=request.user)],
    }


@router.post(
    "/milestones/{code}/met",
    response=MilestoneOut,
    summary=_("Record a milestone as met (facilitators and the body's chairs)"),
)
def milestone_met(request: HttpRequest, code: str):
    services.milestone_mark_met(actor=request.user, code=code)
    return _milestone_out(access.milestone_access(request.user, code))


@router.get(
    "/roadmap/overview",
    response=OverviewOut,
    summary=_("Milestone health, critical path and the pace forecast per working group"),
)
def roadmap_overview(request: HttpRequest, today: Day | None = None):
    overview = full_roadmap_overview(actor=request.user, today=today or timezone.localdate())
    status = overview.status
    return {
        "title": status.title,
        "today": status.today,
        "day": status.day,
        "length_days": status.length_days,
        "label": status.label,
        "counts": overview.counts,
        "critical_path": overview.critical_path,
        "next_milestones": [v.code for v in overview.next_milestones],
        "milestones": [
            {
                **_milestone_out(v.milestone),
                "health": v.health,
                "reasons": v.reasons,
                "slack_days": v.slack,
                "critical": v.critical,
                "extensions": list(v.milestone.extensions.all()),
            }
            for v in overview.milestones
        ],
        "forecasts": [
            {
                "body": f.body.code,
                "open_now": f.forecast.open_now,
                "brackets_now": f.brackets_now,
                "divergences_now": f.divergences_now,
                "rate_per_day": round(f.forecast.rate_per_day, 4),
                "clean_on": f.forecast.clean_on,
                "status": f.forecast.status,
                "milestone": f.milestone.code if f.milestone else None,
                "due_on": f.milestone.due_on if f.milestone else None,
                "slip_days": f.forecast.slip_days,
            }
            for f in overview.forecasts
        ],
    }


@router.post(
    "/milestones/{code}/extend",
    response=MilestoneOut,
    summary=_("Record an HLC decision extending a milestone (HLC chairs and rapporteurs)"),
)
def milestone_extend(request: HttpRequest, code: str, data: ExtendIn):
    services.milestone_extend(
        actor=request.user,
        code=code,
        new_due_on=data.new_due_on,
        reason=data.reason,
        decision_ref=data.decision_ref,
    )
    return _milestone_out(access.milestone_access(request.user, code))
