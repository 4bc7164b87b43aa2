"""Dispute resolution through the charter's stages, each with a deadline the sweeper
enforces exactly once; extensions are decisions with reasons (the original deadline
stays on the record); the joint body convenes within its days of the complaint."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.compliance import access
from accord.compliance.access import DISPUTE_NOT_FOUND, PublicId
from accord.compliance.models import Dispute, DisputeExtension, DisputeStage
from accord.compliance.services.common import (
    BAD_DAYS,
    FACILITATORS_ONLY,
    NOT_NOW,
    PARTY_ONLY,
    UNKNOWN_PARTY,
    text,
    title,
)
from accord.compliance.terms import Terms
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append, events_append
from accord.locking import lock_rows
from accord.process.models import Delegation, Process
from accord.process.selectors import process_for

logger = logging.getLogger(__name__)


def _payload(row: Dispute, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "code": row.code,
        "title": row.title,
        "stage": row.stage_code,
        "status": row.status,
        **extra,
    }


def _enter(row: Dispute, terms: Terms, code: str, now: dt.datetime) -> DisputeStage:
    """Start stage ``code`` (set on ``row``, not saved). The unique (dispute, code)
    constraint makes a second entry into the same stage impossible."""
    stage = terms.stage(code)
    assert stage is not None
    deadline = now + dt.timedelta(days=stage.days)
    entered = DisputeStage.objects.create(
        process=row.process,
        scope=row.scope,
        dispute=row,
        code=stage.code,
        name=stage.name,
        started_at=now,
        original_deadline=deadline,
        deadline=deadline,
    )
    row.stage_code = stage.code
    row.stage_deadline = deadline
    return entered


def dispute_file(
    *,
    actor: User,
    title_text: str,
    description: str = "",
    respondent_code: str | None = None,
    commitment_id: PublicId | None = None,
    urgent: bool = False,
    now: dt.datetime | None = None,
) -> Dispute:
    """A party complains of non-performance: the first stage starts, and the joint body
    must convene within the charter's days (fewer when urgent)."""
    process = process_for(actor)
    if not access.may_file_dispute(actor, process):
        raise PARTY_ONLY()
    complainant = policy.delegation_of(actor)
    assert complainant is not None
    commitment = access.commitment_access(actor, commitment_id) if commitment_id else None
    code = respondent_code or (commitment.party.code if commitment else "")
    respondent = (
        Delegation.objects.filter(process=process, code=code, kind=Delegation.Kind.PARTY)
        .exclude(pk=complainant.pk)
        .first()
    )
    if respondent is None:
        raise UNKNOWN_PARTY(code=code or "—")
    terms = access.terms(process)
    now = now or timezone.now()
    with transaction.atomic():
        # Numbered under the process row's lock, so two at once never take one number.
        lock_rows(Process.objects.filter(pk=process.pk)).get()
        number = (Dispute.objects.filter(process=process).aggregate(n=Max("number"))["n"] or 0) + 1
        days = terms.convene_urgent_days if urgent else terms.convene_days
        row = Dispute.objects.create(
            number=number,
            process=process,
            scope=policy.SHARED,
            complainant=complainant,
            respondent=respondent,
            commitment=commitment,
            title=title(title_text),
            description=text(description, required=False),
            urgent=urgent,
            convene_by=now + dt.timedelta(days=days),
            filed_by=actor,
            filed_at=now,
        )
        _enter(row, terms, terms.stages[0].code, now)
        row.save(update_fields=["stage_code", "stage_deadline"])
        event_append(
            kind="DisputeFiled",
            subject=row.subject,
            scope=row.scope,
            payload=_payload(row, deadline=row.stage_deadline, convene_by=row.convene_by),
            actor=actor,
            process=process,
            occurred_at=now,
        )
    return row


def _step(
    row: Dispute, *, actor: User | None, now: dt.datetime, expired: bool
) -> tuple[list[str], NewEvent]:
    """End the current stage and start the next, or mark the stages exhausted."""
    terms = access.terms(row.process)
    current = row.stages.filter(code=row.stage_code, ended_at__isnull=True).first()
    if current is not None:
        current.ended_at = now
        current.expired = expired
        current.save(update_fields=["ended_at", "expired"])
    origin = row.stage_code
    following = terms.after(row.stage_code)
    if following is None:
        row.status = Dispute.Status.EXHAUSTED
        row.stage_deadline = None
    else:
        _enter(row, terms, following.code, now)
    kind = "DisputeStageExpired" if expired else "DisputeAdvanced"
    event = NewEvent(
        kind,
        row.subject,
        row.scope,
        _payload(row, from_stage=origin, deadline=row.stage_deadline),
        actor,
        row.process,
    )
    return ["status", "stage_code", "stage_deadline"], event


def _change(
    actor: User, dispute_id: PublicId, may: Any, change: Any, kind: str, **extra: Any
) -> Dispute:
    def check(row: Dispute) -> None:
        if not may(actor, row):
            if row.status != Dispute.Status.OPEN and may is not access.may_notify:
                raise NOT_NOW(stage=row.get_status_display())
            raise PARTY_ONLY() if may is access.may_notify else FACILITATORS_ONLY()

    with transaction.atomic():
        return change_locked(
            access.dispute_rows(actor, dispute_id),
            missing=DISPUTE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(kind, row.subject, row.scope, _payload(row, **extra), actor, row.process)
            ],
        )


def dispute_advance(*, actor: User, dispute_id: PublicId, reason: str = "") -> Dispute:
    """Move to the next stage before the deadline (e.g. to the advisory board instead)."""
    events: list[NewEvent] = []

    def change(row: Dispute) -> list[str]:
        fields, event = _step(row, actor=actor, now=timezone.now(), expired=False)
        event.payload["reason"] = text(reason, required=False)  # type: ignore[index]
        events.append(event)
        return fields

    def check(row: Dispute) -> None:
        if not access.may_advance(actor, row):
            raise FACILITATORS_ONLY()

    with transaction.atomic():
        return change_locked(
            access.dispute_rows(actor, dispute_id),
            missing=DISPUTE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: events,
        )


def dispute_extend(*, actor: User, dispute_id: PublicId, days: int, reason: str) -> Dispute:
    """Extend the current (extendable) stage by ``days``: a decision with its reason."""
    reason = text(reason)
    if not 1 <= days <= 90:
        raise BAD_DAYS()

    def change(row: Dispute) -> list[str]:
        stage = row.stages.get(code=row.stage_code, ended_at__isnull=True)
        new = stage.deadline + dt.timedelta(days=days)
        DisputeExtension.objects.create(
            process=row.process,
            scope=row.scope,
            stage=stage,
            from_deadline=stage.deadline,
            to_deadline=new,
            reason=reason,
            by=actor,
            at=timezone.now(),
        )
        stage.deadline = new
        stage.save(update_fields=["deadline"])
        row.stage_deadline = new
        return ["stage_deadline"]

    return _change(
        actor,
        dispute_id,
        access.may_extend_stage,
        change,
        "DisputeStageExtended",
        days=days,
        reason=reason,
    )


def dispute_convene(*, actor: User, dispute_id: PublicId) -> Dispute:
    """Record that the joint body convened on the dispute."""

    def change(row: Dispute) -> list[str]:
        row.convened_at = timezone.now()
        return ["convened_at"]

    return _change(actor, dispute_id, access.may_convene, change, "DisputeConvened")


def dispute_resolve(*, actor: User, dispute_id: PublicId, resolution: str) -> Dispute:
    resolution = text(resolution)

    def change(row: Dispute) -> list[str]:
        now = timezone.now()
        row.stages.filter(ended_at__isnull=True).update(ended_at=now)
        row.status = Dispute.Status.RESOLVED
        row.resolution = resolution
        row.stage_deadline = None
        row.closed_at = now
        return ["status", "resolution", "stage_deadline", "closed_at"]

    return _change(actor, dispute_id, access.may_resolve, change, "DisputeResolved")


def dispute_notify(*, actor: User, dispute_id: PublicId, text_value: str = "") -> Dispute:
    """The complaining side notifies non-performance once every stage is exhausted."""
    note = text(text_value, required=False)

    def change(row: Dispute) -> list[str]:
        row.status = Dispute.Status.NOTIFIED
        row.resolution = note
        row.closed_at = timezone.now()
        return ["status", "resolution", "closed_at"]

    return _change(actor, dispute_id, access.may_notify, change, "NonPerformanceNotified")


def disputes_advance_overdue(*, now: dt.datetime) -> int:
    """Move every open dispute whose stage deadline has passed to its next stage (or
    mark its stages exhausted); return how many. Exactly once per stage: under the row
    lock, re-checked, and each stage entered once (``dispute_stage_once``)."""
    candidates = list(
        Dispute.objects.filter(status=Dispute.Status.OPEN, stage_deadline__lte=now)
        .order_by("stage_deadline", "pk")
        .values_list("pk", "stage_code")
    )
    moved = 0
    for pk, code in candidates:
        try:
            with transaction.atomic():
                rows = Dispute.objects.filter(
                    pk=pk, stage_code=code, status=Dispute.Status.OPEN, stage_deadline__lte=now
                )
                row = lock_rows(rows, skip_locked=True).select_related("process").first()
                if row is None:
                    continue
                fields, event = _step(row, actor=None, now=now, expired=True)
                row.save(update_fields=fields)
                events_append([event])
                moved += 1
        except IntegrityError:
            logger.info("dispute %s was moved on concurrently", pk)
    return moved
