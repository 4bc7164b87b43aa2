"""Violation reports: reported by either party or the facilitators, reviewed by the chairs.

received -> under review -> determined (violation / no violation / inconclusive) ->
remedy sought -> closed (a determination may also close without a remedy). A report and
its evidence are the reporting side's and the chairs' (``caucus:<party>``, or
``facilitators`` for the chairs' own); publishing puts the determination, in the chairs'
words, before every participant (``shared``) and never the evidence (decision 0118).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.channels.services.attachments import AttachmentUpload, attachment_check
from accord.deconfliction import access
from accord.deconfliction.access import REPORT_NOT_FOUND, PublicId
from accord.deconfliction.models import Determination, Evidence, ViolationReport
from accord.deconfliction.services.common import (
    NOT_ALLOWED,
    SITE_SHAPES,
    WRONG_STATE,
    geometry_read,
    text_checked,
)
from accord.errors import Conflict, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append

EVIDENCE_MAX_BYTES = 10_000_000
FINDING_INVALID = ValidationFailed.case(
    "deconfliction.finding_invalid",
    _("A determination is a violation, no violation, or inconclusive."),
)
ALREADY_PUBLISHED = Conflict.case(
    "deconfliction.already_published", _("This determination is published already.")
)

S = ViolationReport.Status
# Each review step: from which states, to which state.
STEPS = {
    "review": ((S.RECEIVED,), S.UNDER_REVIEW, "ViolationReviewStarted"),
    "determine": ((S.UNDER_REVIEW,), S.DETERMINED, "ViolationDetermined"),
    "remedy": ((S.DETERMINED,), S.REMEDY_SOUGHT, "ViolationRemedySought"),
    "close": ((S.DETERMINED, S.REMEDY_SOUGHT), S.CLOSED, "ViolationReportClosed"),
}


def _payload(row: ViolationReport, **extra: Any) -> dict[str, Any]:
    return {
        "report": str(row.public_id),
        "party": row.delegation.code,
        "status": row.status,
        **extra,
    }


def violation_report(
    *,
    actor: User,
    occurred_at: dt.datetime,
    location: Any,
    description: str,
    place: str = "",
    evidence: list[AttachmentUpload] | None = None,
) -> ViolationReport:
    """Report an alleged violation for ``actor``'s side, with evidence files (each kept
    with its SHA-256). Only the reporting side and the chairs see the report."""
    delegation = accounts_access.delegation_of(actor)
    process_id = delegation.process_id if delegation else None
    if delegation is None or not access.may_report_violation(actor, process_id):
        raise NOT_ALLOWED(action=gettext("report violations"))
    mechanism = access.mechanism_of(process_id)
    stored, _shape = geometry_read(
        location, mechanism=mechanism, accepted=SITE_SHAPES, field=_("location")
    )
    description = text_checked(description, field=_("description"), limit=20_000)
    place = text_checked(place, field=_("place"), limit=200, required=False)
    checked = [attachment_check(u, limit=EVIDENCE_MAX_BYTES) for u in evidence or []]
    scope = (
        accounts_access.caucus_scope(delegation.code)
        if delegation.is_party
        else accounts_access.FACILITATORS
    )
    now = timezone.now()
    with transaction.atomic():
        row = ViolationReport.objects.create(
            process_id=delegation.process_id,
            scope=scope,
            delegation=delegation,
            reported_by=actor,
            reported_at=now,
            occurred_at=occurred_at,
            location=stored,
            place=place,
            description=description,
        )
        for item in checked:
            Evidence.objects.create(
                report=row,
                process_id=delegation.process_id,
                scope=scope,
                filename=item.filename,
                content_type=item.content_type,
                size=len(item.content),
                sha256=item.sha256,
                data=item.content,
                added_by=actor,
                added_at=now,
            )
        event_append(
            kind="ViolationReported",
            subject=row.subject,
            scope=scope,
            payload=_payload(row, evidence=[i.sha256 for i in checked]),
            actor=actor,
            process=delegation.process,
        )
    return row


def evidence_add(*, actor: User, report_id: PublicId, upload: AttachmentUpload) -> Evidence:
    """Add an evidence file to a report (the reporting side or the chairs)."""
    report = access.report_access(actor, report_id)
    if not access.may_add_evidence(actor, report):
        raise NOT_ALLOWED(action=gettext("add evidence"))
    item = attachment_check(upload, limit=EVIDENCE_MAX_BYTES)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            report=report,
            process_id=report.process_id,
            scope=report.scope,
            filename=item.filename,
            content_type=item.content_type,
            size=len(item.content),
            sha256=item.sha256,
            data=item.content,
            added_by=actor,
            added_at=timezone.now(),
        )
        event_append(
            kind="ViolationEvidenceAdded",
            subject=report.subject,
            scope=report.scope,
            payload=_payload(report, sha256=item.sha256, filename=item.filename),
            actor=actor,
            process=report.process,
        )
    return evidence


def violation_step(
    *,
    actor: User,
    report_id: PublicId,
    step: str,
    finding: str = "",
    text: str = "",
) -> ViolationReport:
    """Move a report one step through its review (the chairs): ``review``, ``determine``
    (with ``finding`` and its reasons in ``text``), ``remedy`` (the remedy sought, in
    ``text``) or ``close``."""
    report = access.report_access(actor, report_id)
    if not access.may_review(actor, report):
        if not accounts_access.is_facilitator(actor, process_id=report.process_id):
            raise NOT_ALLOWED(action=gettext("review violation reports"))
        raise WRONG_STATE(status=report.get_status_display())
    if step not in STEPS:
        raise WRONG_STATE(status=report.get_status_display())
    sources, target, kind = STEPS[step]
    if step == "determine" and finding not in ViolationReport.Finding.values:
        raise FINDING_INVALID()
    text = text_checked(text, field=_("text"), limit=20_000, required=step == "remedy")

    def check(row: ViolationReport) -> None:
        if row.status not in sources:
            raise WRONG_STATE(status=row.get_status_display())

    def change(row: ViolationReport) -> list[str]:
        row.status = target
        if step == "determine":
            row.finding, row.finding_text, row.determined_at = finding, text, timezone.now()
            return ["status", "finding", "finding_text", "determined_at"]
        if step == "remedy":
            row.remedy = text
            return ["status", "remedy"]
        if step == "close":
            row.closed_at = timezone.now()
            return ["status", "closed_at"]
        return ["status"]

    with transaction.atomic():
        return change_locked(
            access.report_rows(actor).filter(pk=report.pk),
            missing=REPORT_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(
                    kind,
                    row.subject,
                    row.scope,
                    _payload(row, finding=row.finding),
                    actor,
                    row.process,
                )
            ],
        )


def determination_publish(*, actor: User, report_id: PublicId, summary: str) -> Determination:
    """Publish a report's determination to every participant, in the chairs' ``summary``:
    the finding, when and where; the report's text and evidence stay restricted."""
    report = access.report_access(actor, report_id)
    if not accounts_access.is_facilitator(actor, process_id=report.process_id):
        raise NOT_ALLOWED(action=gettext("publish determinations"))
    if not access.may_publish(actor, report):
        if report.finding:
            raise ALREADY_PUBLISHED()
        raise WRONG_STATE(status=report.get_status_display())
    summary = text_checked(summary, field=_("summary"), limit=5000)
    with transaction.atomic():
        published = Determination.objects.create(
            process_id=report.process_id,
            scope=accounts_access.SHARED,
            report=report,
            finding=report.finding,
            summary=summary,
            occurred_at=report.occurred_at,
            location=report.location,
            published_at=timezone.now(),
        )
        event_append(
            kind="DeterminationPublished",
            subject=f"determination:{published.public_id}",
            scope=accounts_access.SHARED,
            payload={"determination": str(published.public_id), "finding": report.finding},
            actor=actor,
            process=report.process,
        )
    return published
