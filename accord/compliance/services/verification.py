"""Verification: the verifier's reports (confidential until published) and access
requests with their own clock (agree, the joint body decides, implement), moved on by
the sweeper exactly once per stage."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.compliance import access
from accord.compliance.access import ACCESS_REQUEST_NOT_FOUND, REPORT_NOT_FOUND, PublicId
from accord.compliance.models import (
    AccessRequest,
    AccessRequestStep,
    Commitment,
    VerificationReport,
)
from accord.compliance.services.commitments import milestones_reach
from accord.compliance.services.common import (
    BAD_FINDING,
    FACILITATORS_ONLY,
    NOT_NOW,
    PARTY_ONLY,
    VERIFIER_ONLY,
    text,
)
from accord.compliance.services.tranches import tranches_fall_due
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append, events_append
from accord.locking import lock_rows

logger = logging.getLogger(__name__)
Stage = AccessRequest.Stage


def _report_payload(row: VerificationReport) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "commitment": row.commitment.code,
        "finding": row.finding,
        "observed_on": row.observed_on,
    }


def report_file(
    *,
    actor: User,
    commitment_id: PublicId,
    finding: str,
    observed_on: dt.date,
    method: str,
    evidence: str = "",
) -> VerificationReport:
    """File the verifier's finding on a commitment, confidential to the facilitators,
    the verifier and the party concerned until published."""
    commitment = access.commitment_access(actor, commitment_id)
    if not access.may_report(actor, commitment):
        raise VERIFIER_ONLY()
    if finding not in VerificationReport.Finding.values:
        raise BAD_FINDING()
    with transaction.atomic():
        row = VerificationReport.objects.create(
            process=commitment.process,
            scope=access.confidential_scope(commitment),
            commitment=commitment,
            finding=finding,
            observed_on=observed_on,
            method=text(method)[:300],
            evidence=text(evidence, required=False),
            author=actor,
            created_at=timezone.now(),
        )
        event_append(
            kind="VerificationReportFiled",
            subject=row.subject,
            scope=row.scope,
            payload=_report_payload(row),
            actor=actor,
            process=commitment.process,
        )
    return row


def report_publish(*, actor: User, report_id: PublicId) -> VerificationReport:
    """Publish the report to every participant: the commitment takes its finding, a
    milestone whose steps are now all verified is reached, a tranche whose conditions
    are all verified falls due."""
    now = timezone.now()

    def check(row: VerificationReport) -> None:
        if not access.may_publish(actor, row):
            raise VERIFIER_ONLY()

    def change(row: VerificationReport) -> list[str]:
        row.published_at = now
        row.scope = policy.SHARED
        return ["published_at", "scope"]

    with transaction.atomic():
        row = change_locked(
            access.report_rows(actor, report_id),
            missing=REPORT_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(
                    "VerificationReportPublished",
                    row.subject,
                    policy.SHARED,
                    _report_payload(row),
                    actor,
                    row.process,
                )
            ],
        )
        commitment = lock_rows(Commitment.objects.filter(pk=row.commitment_id)).get()
        commitment.status = row.finding
        commitment.save(update_fields=["status"])
        if commitment.sequence is not None:
            milestones_reach(sequence=commitment.sequence, now=now)
        tranches_fall_due(commitment=commitment, now=now)
    return row


# --- Access requests -----------------------------------------------------------------------


def access_request_open(
    *, actor: User, commitment_id: PublicId, location: str, now: dt.datetime | None = None
) -> AccessRequest:
    """Ask the party for access to ``location``; its days to agree start now (``now``:
    when it was asked, for a record made afterwards)."""
    commitment = access.commitment_access(actor, commitment_id)
    if not access.may_request_access(actor, commitment):
        raise VERIFIER_ONLY()
    terms = access.terms(commitment.process)
    now = now or timezone.now()
    with transaction.atomic():
        row = AccessRequest.objects.create(
            process=commitment.process,
            scope=access.confidential_scope(commitment),
            commitment=commitment,
            location=text(location)[:300],
            stage=Stage.AGREE,
            stage_deadline=now + dt.timedelta(days=terms.agree_days),
            requested_by=actor,
            requested_at=now,
        )
        event_append(
            kind="AccessRequested",
            subject=row.subject,
            scope=row.scope,
            payload={
                "id": str(row.public_id),
                "commitment": commitment.code,
                "stage": row.stage,
                "deadline": row.stage_deadline,
            },
            actor=actor,
            process=commitment.process,
            occurred_at=now,
        )
    return row


def _move(
    row: AccessRequest, to: str, *, actor: User | None, now: dt.datetime
) -> tuple[list[str], NewEvent]:
    """Move ``row`` to stage ``to`` (fields set, the step recorded): once per stage."""
    terms = access.terms(row.process)
    AccessRequestStep.objects.create(
        process=row.process,
        scope=row.scope,
        request=row,
        from_stage=row.stage,
        to_stage=to,
        automatic=actor is None,
        by=actor,
        at=now,
    )
    clocks: dict[str, int] = {
        Stage.DECIDE: terms.decide_days,
        Stage.IMPLEMENT: terms.implement_days,
    }
    days = clocks.get(to)
    origin = row.stage
    row.stage = to
    row.stage_deadline = now + dt.timedelta(days=days) if days else None
    kind = "AccessRequestLapsed" if to == Stage.LAPSED else "AccessRequestMoved"
    event = NewEvent(
        kind,
        row.subject,
        row.scope,
        {
            "id": str(row.public_id),
            "commitment": row.commitment.code,
            "from": origin,
            "to": to,
            "access_stage": to,
            "deadline": row.stage_deadline,
        },
        actor,
        row.process,
    )
    return ["stage", "stage_deadline"], event


def _act(actor: User, request_id: PublicId, may: Any, refusal: Any, to: str) -> AccessRequest:
    moved: list[NewEvent] = []

    def check(row: AccessRequest) -> None:
        if not may(actor, row):
            if row.is_open:
                raise refusal()
            raise NOT_NOW(stage=row.get_stage_display())

    def change(row: AccessRequest) -> list[str]:
        fields, event = _move(row, to, actor=actor, now=timezone.now())
        moved.append(event)
        return fields

    with transaction.atomic():
        return change_locked(
            access.access_request_rows(actor, request_id),
            missing=ACCESS_REQUEST_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: moved,
        )


def access_request_agree(*, actor: User, request_id: PublicId) -> AccessRequest:
    """The party concerned agrees: its days to implement start."""
    return _act(actor, request_id, access.may_agree_access, PARTY_ONLY, Stage.IMPLEMENT)


def access_request_decide(*, actor: User, request_id: PublicId, grant: bool) -> AccessRequest:
    """The joint body decides a referred request: access to be given, or refused."""
    to = Stage.IMPLEMENT if grant else Stage.REFUSED
    return _act(actor, request_id, access.may_decide_access, FACILITATORS_ONLY, to)


def access_request_record(*, actor: User, request_id: PublicId) -> AccessRequest:
    """The verifier records that access was given."""
    return _act(actor, request_id, access.may_record_access, VERIFIER_ONLY, Stage.GRANTED)


# What each stage's clock running out leads to.
EXPIRY = {Stage.AGREE: Stage.DECIDE, Stage.DECIDE: Stage.LAPSED, Stage.IMPLEMENT: Stage.LAPSED}


def access_requests_advance_overdue(*, now: dt.datetime) -> int:
    """Move on every access request whose stage's clock has run out; return how many.

    Each in its own transaction under its row lock, re-checked (same stage, still past
    its deadline) and recorded once per stage (``access_step_once``): exactly once
    however often or concurrently this runs.
    """
    candidates = list(
        AccessRequest.objects.filter(stage__in=list(EXPIRY), stage_deadline__lte=now)
        .order_by("stage_deadline", "pk")
        .values_list("pk", "stage")
    )
    moved = 0
    for pk, stage in candidates:
        try:
            with transaction.atomic():
                rows = AccessRequest.objects.filter(pk=pk, stage=stage, stage_deadline__lte=now)
                row = lock_rows(rows, skip_locked=True).select_related("process").first()
                if row is None:
                    continue
                fields, event = _move(row, EXPIRY[Stage(stage)], actor=None, now=now)
                row.save(update_fields=fields)
                events_append([event])
                moved += 1
        except IntegrityError:
            logger.info("access request %s was moved on concurrently", pk)
    return moved
