"""API of the compliance app: commitments, sequences, verification reports, access
requests, disputes, tranches and the implementation report (``/api/compliance/``)."""

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
from accord.compliance import access, selectors, services
from accord.compliance.models import (
    Assessment,
    Commitment,
    ConveningRequest,
    Dispute,
    Tranche,
    VerificationReport,
)
from accord.compliance.sequencing import STEP, sequence_plan
from accord.dates import Day

router = Router(tags=["compliance"])


class CommitmentIn(Schema):
    party: str = Field(description="Code of the party that owes it")
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=services.MAX_TEXT)
    due_on: Day | None = None
    trigger: str = Field(default="", max_length=300)
    verifying_body: str | None = None
    evidence_required: str = Field(default="", max_length=services.MAX_TEXT)
    provision: str | None = Field(default=None, description="Id of the agreed provision")
    body: str | None = None
    weight: int = Field(default=1, ge=1, le=1000)


class CommitmentOut(Schema):
    id: uuid.UUID
    code: str
    party: str
    title: str
    description: str
    due_on: dt.date | None
    trigger: str
    verifying_body: str | None
    evidence_required: str
    provision: str | None = Field(description="'provision:<id>' it comes from")
    article: str
    body: str | None
    weight: int
    status: str = Field(description="From published findings only")
    sequence: uuid.UUID | None
    depends_on: list[str]
    duration_days: int


class StepIn(Schema):
    sequence: uuid.UUID
    depends_on: list[str] = Field(default_factory=list)
    duration_days: int = Field(default=0, ge=0, le=3650)


class SequenceIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=services.MAX_TEXT)


class MilestoneIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1, max_length=300)
    depends_on: list[str] = Field(default_factory=list)


class MilestoneOut(Schema):
    code: str
    title: str
    depends_on: list[str]
    reached_at: dt.datetime | None


class SequenceOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    steps: list[str]
    milestones: list[MilestoneOut]
    critical_path: list[str]
    length_days: int
    unlocked: dict[str, list[str]] = Field(description="Party code -> steps unlocked now")


class ReportIn(Schema):
    commitment: uuid.UUID
    finding: str = Field(description="verified, not_verified or unable_to_verify")
    observed_on: Day
    method: str = Field(min_length=1, max_length=300)
    evidence: str = Field(default="", max_length=services.MAX_TEXT)


class ReportOut(Schema):
    id: uuid.UUID
    commitment: str
    finding: str
    observed_on: dt.date
    method: str
    evidence: str
    published_at: dt.datetime | None


class AccessRequestIn(Schema):
    commitment: uuid.UUID
    location: str = Field(min_length=1, max_length=300)


class AccessRequestOut(Schema):
    id: uuid.UUID
    commitment: str
    location: str
    stage: str
    stage_deadline: dt.datetime | None
    requested_at: dt.datetime


class DecisionIn(Schema):
    grant: bool


class DisputeIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=services.MAX_TEXT)
    respondent: str | None = None
    commitment: uuid.UUID | None = None
    urgent: bool = False


class StageOut(Schema):
    code: str
    name: str
    started_at: dt.datetime
    original_deadline: dt.datetime
    deadline: dt.datetime
    ended_at: dt.datetime | None
    expired: bool
    opened_as: str = Field(description="in_turn, parallel (beside another) or instead")


class OpenableOut(Schema):
    stage: str
    instead: bool = Field(description="Instead of the stage it runs alongside (else in parallel)")


class DisputeActionsOut(Schema):
    """What the reader may do now (the forms the dispute page offers)."""

    extend: bool
    advance: bool
    open_stage: list[OpenableOut]
    convene: bool
    resolve: bool
    notify: bool


class DisputeOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    complainant: str
    respondent: str
    status: str
    stage: str
    stage_deadline: dt.datetime | None
    convene_by: dt.datetime
    convened_at: dt.datetime | None
    stages: list[StageOut]
    open_stages: list[str] = Field(description="Codes of the stages running now")
    may: DisputeActionsOut


class OpenStageIn(Schema):
    stage: str = Field(min_length=1, max_length=32)
    instead: bool = False
    reason: str = Field(default="", max_length=services.MAX_TEXT)


class AdvanceIn(Schema):
    text: str = Field(default="", max_length=services.MAX_TEXT)
    stage: str | None = Field(default=None, description="The open stage to end (else the current)")


class ConveningIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    urgent: bool = Field(default=False, description="Convene within the urgent days (3)")
    dispute: uuid.UUID | None = None


class ConveningActionsOut(Schema):
    record: bool


class ConveningOut(Schema):
    id: uuid.UUID
    title: str
    requested_by: str
    dispute: str | None
    urgent: bool
    requested_at: dt.datetime
    convene_by: dt.datetime
    convened_at: dt.datetime | None
    overdue: bool
    may: ConveningActionsOut


class AssessmentIn(Schema):
    text: str = Field(min_length=1, max_length=services.MAX_TEXT)


class AssessmentOut(Schema):
    id: uuid.UUID
    commitment: str
    party: str
    text: str
    updated_at: dt.datetime


class ExtendIn(Schema):
    days: int = Field(ge=1, le=90)
    reason: str = Field(min_length=1, max_length=services.MAX_TEXT)


class TextIn(Schema):
    text: str = Field(default="", max_length=services.MAX_TEXT)


class TrancheIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owed_by: str
    owed_to: str
    conditions: list[uuid.UUID] = Field(min_length=1)
    description: str = Field(default="", max_length=services.MAX_TEXT)
    grace_days: int = Field(default=7, ge=0, le=365)


class TrancheOut(Schema):
    id: uuid.UUID
    title: str
    owed_by: str
    owed_to: str
    conditions: list[str]
    status: str
    due_at: dt.datetime | None
    released_at: dt.datetime | None
    delayed: bool
    waiting: str


def _commitment_out(c: Commitment) -> dict[str, Any]:
    return {
        "id": c.public_id,
        "code": c.code,
        "party": c.party.code,
        "title": c.title,
        "description": c.description,
        "due_on": c.due_on,
        "trigger": c.trigger,
        "verifying_body": c.verifying_body.code if c.verifying_body else None,
        "evidence_required": c.evidence_required,
        "provision": f"provision:{c.provision_wid}" if c.provision_wid else None,
        "article": c.article,
        "body": c.body.code if c.body else None,
        "weight": c.weight,
        "status": c.status,
        "sequence": c.sequence.public_id if c.sequence else None,
        "depends_on": c.depends_on,
        "duration_days": c.duration_days,
    }


def _report_out(r: VerificationReport) -> dict[str, Any]:
    return {
        "id": r.public_id,
        "commitment": r.commitment.code,
        "finding": r.finding,
        "observed_on": r.observed_on,
        "method": r.method,
        "evidence": r.evidence,
        "published_at": r.published_at,
    }


def _request_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.public_id,
        "commitment": r.commitment.code,
        "location": r.location,
        "stage": r.stage,
        "stage_deadline": r.stage_deadline,
        "requested_at": r.requested_at,
    }


def _dispute_out(request: HttpRequest, d: Dispute) -> dict[str, Any]:
    stages = selectors.dispute_stages(actor=request.user, dispute=d)
    user = request.user
    return {
        "id": d.public_id,
        "code": d.code,
        "title": d.title,
        "complainant": d.complainant.code,
        "respondent": d.respondent.code,
        "status": d.status,
        "stage": d.stage_code,
        "stage_deadline": d.stage_deadline,
        "convene_by": d.convene_by,
        "convened_at": d.convened_at,
        "stages": [
            {
                "code": s.code,
                "name": s.name,
                "started_at": s.started_at,
                "original_deadline": s.original_deadline,
                "deadline": s.deadline,
                "ended_at": s.ended_at,
                "expired": s.expired,
                "opened_as": s.opened_as,
            }
            for s in stages
        ],
        "open_stages": [s.code for s in stages if s.ended_at is None],
        "may": {
            "extend": access.may_extend_stage(user, d),
            "advance": access.may_advance(user, d),
            "open_stage": [
                {"stage": stage.code, "instead": instead}
                for stage, instead in (
                    access.stages_to_open(d) if access.may_advance(user, d) else []
                )
            ],
            "convene": access.may_convene(user, d),
            "resolve": access.may_resolve(user, d),
            "notify": access.may_notify(user, d),
        },
    }


def _convening_out(request: HttpRequest, r: ConveningRequest) -> dict[str, Any]:
    return {
        "id": r.public_id,
        "title": r.title,
        "requested_by": r.requested_by.code,
        "dispute": r.dispute.code if r.dispute else None,
        "urgent": r.urgent,
        "requested_at": r.requested_at,
        "convene_by": r.convene_by,
        "convened_at": r.convened_at,
        "overdue": selectors.convening_overdue(r),
        "may": {"record": access.may_record_convening(request.user, r)},
    }


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.public_id,
        "commitment": a.commitment.code,
        "party": a.delegation.code,
        "text": a.text,
        "updated_at": a.updated_at,
    }


def _tranche_out(t: Tranche) -> dict[str, Any]:
    state = selectors.tranche_state(t)
    return {
        "id": t.public_id,
        "title": t.title,
        "owed_by": t.owed_by.code,
        "owed_to": t.owed_to.code,
        "conditions": [c.code for c in t.conditions.all()],
        "status": t.status,
        "due_at": t.due_at,
        "released_at": t.released_at,
        "delayed": state.delayed,
        "waiting": state.waiting,
    }


def _sequence_out(request: HttpRequest, s: Any) -> dict[str, Any]:
    nodes = selectors.sequence_nodes(s)
    plan = sequence_plan(nodes)
    return {
        "id": s.public_id,
        "title": s.title,
        "description": s.description,
        "steps": [n.code for n in nodes if n.kind == STEP],
        "milestones": [
            {
                "code": m.code,
                "title": m.title,
                "depends_on": m.depends_on,
                "reached_at": m.reached_at,
            }
            for m in s.milestones.all()
        ],
        "critical_path": plan.critical_path,
        "length_days": plan.length,
        "unlocked": plan.unlocked,
    }


Page = Query[pagination.PageQuery]


# --- Commitments ---------------------------------------------------------------------------


@router.get("/commitments", response=list[CommitmentOut], summary=_("Every commitment"))
def commitment_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.commitment_list(actor=request.user)
    return [
        _commitment_out(c)
        for c in pagination.api_page(
            request, response, rows, page=page, list_name="commitments", order=("number", "id")
        )
    ]


@router.post("/commitments", response={201: CommitmentOut}, summary=_("Record a commitment"))
def commitment_create(request: HttpRequest, data: CommitmentIn):
    row = services.commitment_create(
        actor=request.user,
        party_code=data.party,
        title_text=data.title,
        description=data.description,
        due_on=data.due_on,
        trigger=data.trigger,
        verifying_body_code=data.verifying_body,
        evidence_required=data.evidence_required,
        provision_id=data.provision,
        body_code=data.body,
        weight=data.weight,
    )
    return Status(201, _commitment_out(row))


@router.get("/commitments/{commitment_id}", response=CommitmentOut, summary=_("One commitment"))
def commitment_detail(request: HttpRequest, commitment_id: str):
    return _commitment_out(access.commitment_access(request.user, commitment_id))


@router.put(
    "/commitments/{commitment_id}/step", response=CommitmentOut, summary=_("Place it in a sequence")
)
def step_place(request: HttpRequest, commitment_id: str, data: StepIn):
    row = services.step_place(
        actor=request.user,
        commitment_id=commitment_id,
        sequence_id=data.sequence,
        depends_on=data.depends_on,
        duration_days=data.duration_days,
    )
    return _commitment_out(row)


# --- Sequences -----------------------------------------------------------------------------


@router.get("/sequences", response=list[SequenceOut], summary=_("Step-for-step sequences"))
def sequence_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.sequence_list(actor=request.user, detailed=True)
    return [
        _sequence_out(request, s)
        for s in pagination.api_page(
            request, response, rows, page=page, list_name="sequences", order=("created_at", "id")
        )
    ]


@router.post("/sequences", response={201: SequenceOut}, summary=_("Create a sequence"))
def sequence_create(request: HttpRequest, data: SequenceIn):
    row = services.sequence_create(
        actor=request.user, title_text=data.title, description=data.description
    )
    return Status(201, _sequence_out(request, row))


@router.get("/sequences/{sequence_id}", response=SequenceOut, summary=_("One sequence"))
def sequence_detail(request: HttpRequest, sequence_id: str):
    return _sequence_out(request, access.sequence_access(request.user, sequence_id))


@router.post(
    "/sequences/{sequence_id}/milestones",
    response={201: SequenceOut},
    summary=_("Add a milestone"),
)
def milestone_add(request: HttpRequest, sequence_id: str, data: MilestoneIn):
    services.milestone_add(
        actor=request.user,
        sequence_id=sequence_id,
        code=data.code,
        title_text=data.title,
        depends_on=data.depends_on,
    )
    return Status(201, _sequence_out(request, access.sequence_access(request.user, sequence_id)))


# --- Verification --------------------------------------------------------------------------


@router.get(
    "/verification-reports",
    response=list[ReportOut],
    summary=_("Verification reports (confidential ones only where you may read them)"),
)
def report_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.report_list(actor=request.user)
    return [
        _report_out(r)
        for r in pagination.api_page(
            request,
            response,
            rows,
            page=page,
            list_name="verification-reports",
            order=("-created_at", "-id"),
        )
    ]


@router.post("/verification-reports", response={201: ReportOut}, summary=_("File a report"))
def report_file(request: HttpRequest, data: ReportIn):
    row = services.report_file(
        actor=request.user,
        commitment_id=data.commitment,
        finding=data.finding,
        observed_on=data.observed_on,
        method=data.method,
        evidence=data.evidence,
    )
    return Status(201, _report_out(row))


@router.get("/verification-reports/{report_id}", response=ReportOut, summary=_("One report"))
def report_detail(request: HttpRequest, report_id: str):
    return _report_out(access.report_access(request.user, report_id))


@router.post(
    "/verification-reports/{report_id}/publish", response=ReportOut, summary=_("Publish a report")
)
def report_publish(request: HttpRequest, report_id: str):
    return _report_out(services.report_publish(actor=request.user, report_id=report_id))


@router.get("/access-requests", response=list[AccessRequestOut], summary=_("Access requests"))
def access_request_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.access_request_list(actor=request.user)
    return [
        _request_out(r)
        for r in pagination.api_page(
            request,
            response,
            rows,
            page=page,
            list_name="access-requests",
            order=("requested_at", "id"),
        )
    ]


@router.post("/access-requests", response={201: AccessRequestOut}, summary=_("Request access"))
def access_request_open(request: HttpRequest, data: AccessRequestIn):
    row = services.access_request_open(
        actor=request.user, commitment_id=data.commitment, location=data.location
    )
    return Status(201, _request_out(row))


@router.post(
    "/access-requests/{request_id}/agree", response=AccessRequestOut, summary=_("Agree to access")
)
def access_request_agree(request: HttpRequest, request_id: str):
    return _request_out(services.access_request_agree(actor=request.user, request_id=request_id))


@router.post(
    "/access-requests/{request_id}/decide",
    response=AccessRequestOut,
    summary=_("The joint body decides"),
)
def access_request_decide(request: HttpRequest, request_id: str, data: DecisionIn):
    row = services.access_request_decide(
        actor=request.user, request_id=request_id, grant=data.grant
    )
    return _request_out(row)


@router.post(
    "/access-requests/{request_id}/given",
    response=AccessRequestOut,
    summary=_("Record that access was given"),
)
def access_request_record(request: HttpRequest, request_id: str):
    return _request_out(services.access_request_record(actor=request.user, request_id=request_id))


# --- Disputes ------------------------------------------------------------------------------


@router.get("/disputes", response=list[DisputeOut], summary=_("Disputes"))
def dispute_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.dispute_list(actor=request.user, with_stages=True)
    return [
        _dispute_out(request, d)
        for d in pagination.api_page(
            request, response, rows, page=page, list_name="disputes", order=("number", "id")
        )
    ]


@router.post("/disputes", response={201: DisputeOut}, summary=_("Complain of non-performance"))
def dispute_file(request: HttpRequest, data: DisputeIn):
    row = services.dispute_file(
        actor=request.user,
        title_text=data.title,
        description=data.description,
        respondent_code=data.respondent,
        commitment_id=data.commitment,
        urgent=data.urgent,
    )
    return Status(201, _dispute_out(request, row))


@router.get("/disputes/{dispute_id}", response=DisputeOut, summary=_("One dispute"))
def dispute_detail(request: HttpRequest, dispute_id: str):
    return _dispute_out(request, access.dispute_access(request.user, dispute_id))


@router.post("/disputes/{dispute_id}/extend", response=DisputeOut, summary=_("Extend the stage"))
def dispute_extend(request: HttpRequest, dispute_id: str, data: ExtendIn):
    row = services.dispute_extend(
        actor=request.user, dispute_id=dispute_id, days=data.days, reason=data.reason
    )
    return _dispute_out(request, row)


@router.post("/disputes/{dispute_id}/advance", response=DisputeOut, summary=_("End a stage now"))
def dispute_advance(request: HttpRequest, dispute_id: str, data: AdvanceIn):
    row = services.dispute_advance(
        actor=request.user, dispute_id=dispute_id, reason=data.text, stage_code=data.stage
    )
    return _dispute_out(request, row)


@router.post(
    "/disputes/{dispute_id}/stages",
    response=DisputeOut,
    summary=_("Open a stage in parallel with another, or instead of it"),
)
def dispute_open_stage(request: HttpRequest, dispute_id: str, data: OpenStageIn):
    row = services.dispute_open_stage(
        actor=request.user,
        dispute_id=dispute_id,
        stage_code=data.stage,
        instead=data.instead,
        reason=data.reason,
    )
    return _dispute_out(request, row)


@router.post(
    "/disputes/{dispute_id}/convened",
    response=DisputeOut,
    summary=_("Record that the joint body convened on the dispute"),
)
def dispute_convened(request: HttpRequest, dispute_id: str):
    return _dispute_out(
        request, services.dispute_convene(actor=request.user, dispute_id=dispute_id)
    )


@router.post(
    "/disputes/{dispute_id}/notify",
    response=DisputeOut,
    summary=_("Notify non-performance (the complaining side, once the stages are exhausted)"),
)
def dispute_notify(request: HttpRequest, dispute_id: str, data: TextIn):
    row = services.dispute_notify(actor=request.user, dispute_id=dispute_id, text_value=data.text)
    return _dispute_out(request, row)


@router.post("/disputes/{dispute_id}/resolve", response=DisputeOut, summary=_("Resolve"))
def dispute_resolve(request: HttpRequest, dispute_id: str, data: TextIn):
    row = services.dispute_resolve(actor=request.user, dispute_id=dispute_id, resolution=data.text)
    return _dispute_out(request, row)


# --- Convening the joint body ------------------------------------------------------------


@router.get(
    "/convening-requests",
    response=list[ConveningOut],
    summary=_("Requests that the joint body convene"),
)
def convening_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.convening_list(actor=request.user)
    return [
        _convening_out(request, r)
        for r in pagination.api_page(
            request,
            response,
            rows,
            page=page,
            list_name="convening-requests",
            order=("requested_at", "id"),
        )
    ]


@router.post(
    "/convening-requests",
    response={201: ConveningOut},
    summary=_("Ask the joint body to convene (urgent: within the urgent days)"),
)
def convening_request(request: HttpRequest, data: ConveningIn):
    row = services.convening_request(
        actor=request.user, title_text=data.title, urgent=data.urgent, dispute_id=data.dispute
    )
    return Status(201, _convening_out(request, row))


@router.get(
    "/convening-requests/{request_id}", response=ConveningOut, summary=_("One request to convene")
)
def convening_detail(request: HttpRequest, request_id: str):
    return _convening_out(request, access.convening_access(request.user, request_id))


@router.post(
    "/convening-requests/{request_id}/convened",
    response=ConveningOut,
    summary=_("Record that the joint body convened"),
)
def convening_convened(request: HttpRequest, request_id: str):
    row = services.convening_record(actor=request.user, request_id=request_id)
    return _convening_out(request, row)


# --- A party's own assessments -------------------------------------------------------------


@router.get(
    "/assessments",
    response=list[AssessmentOut],
    summary=_("Your delegation's own assessments of commitments (no other party's)"),
)
def assessment_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.assessment_list(actor=request.user)
    return [
        _assessment_out(a)
        for a in pagination.api_page(
            request,
            response,
            rows,
            page=page,
            list_name="assessments",
            order=("-updated_at", "-id"),
        )
    ]


@router.put(
    "/commitments/{commitment_id}/assessment",
    response=AssessmentOut,
    summary=_("Keep your delegation's own assessment of a commitment"),
)
def assessment_set(request: HttpRequest, commitment_id: str, data: AssessmentIn):
    row = services.assessment_set(
        actor=request.user, commitment_id=commitment_id, text_value=data.text
    )
    return _assessment_out(row)


# --- Tranches and the report ---------------------------------------------------------------


@router.get("/tranches", response=list[TrancheOut], summary=_("Relief tranches"))
def tranche_list(request: HttpRequest, response: HttpResponse, page: Page):
    rows = selectors.tranche_list(actor=request.user)
    return [
        _tranche_out(t)
        for t in pagination.api_page(
            request, response, rows, page=page, list_name="tranches", order=("created_at", "id")
        )
    ]


@router.post("/tranches", response={201: TrancheOut}, summary=_("Define a relief tranche"))
def tranche_create(request: HttpRequest, data: TrancheIn):
    row = services.tranche_create(
        actor=request.user,
        title_text=data.title,
        owed_by_code=data.owed_by,
        owed_to_code=data.owed_to,
        condition_ids=[str(c) for c in data.conditions],
        description=data.description,
        grace_days=data.grace_days,
    )
    return Status(201, _tranche_out(row))


@router.post("/tranches/{tranche_id}/release", response=TrancheOut, summary=_("Release it"))
def tranche_release(request: HttpRequest, tranche_id: str):
    return _tranche_out(services.tranche_release(actor=request.user, tranche_id=tranche_id))


@router.get("/report", response=dict[str, Any], summary=_("The implementation report"))
def implementation_report(request: HttpRequest):
    return selectors.implementation_report(actor=request.user)
