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
    STAGE_NOT_ALONGSIDE,
    STAGE_NOT_OPEN,
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


def _enter(
    row: Dispute,
    terms: Terms,
    code: str,
    now: dt.datetime,
    opened_as: str = DisputeStage.OpenedAs.IN_TURN,
) -> DisputeStage:
    """Start stage ``code`` with its own clock (not saving ``row``). The unique
    (dispute, code) constraint makes a second entry into the same stage impossible."""
    stage = terms.stage(code)
    assert stage is not None
    deadline = now + dt.timedelta(days=stage.days)
    return DisputeStage.objects.create(
        process=row.process,
        scope=row.scope,
        dispute=row,
        code=stage.code,
        name=stage.name,
        started_at=now,
        original_deadline=deadline,
        deadline=deadline,
        opened_as=opened_as,
    )


def _summarise(row: Dispute) -> list[str]:
    """Set the dispute's current stage to its open stage due first (the one the lists
    show; every open stage keeps its own clock), or none."""
    first = row.stages.filter(ended_at__isnull=True).order_by("deadline", "id").first()
    row.stage_code = first.code if first else ""
    row.stage_deadline = first.deadline if first else None
    return ["status", "stage_code", "stage_deadline"]


def _end(
    row: Dispute, stage: DisputeStage, *, actor: User | None, now: dt.datetime, expired: bool
) -> tuple[list[str], NewEvent]:
    """End ``stage``; when no other stage is open, start the next one not yet entered
    (or mark the stages exhausted)."""
    stage.ended_at = now
    stage.expired = expired
    stage.save(update_fields=["ended_at", "expired"])
    if not row.stages.filter(ended_at__isnull=True).exists():
        terms = access.terms(row.process)
        entered = set(row.stages.values_list("code", flat=True))
        following = terms.next_not_entered(stage.code, entered)
        if following is None:
            row.status = Dispute.Status.EXHAUSTED
        else:
            _enter(row, terms, following.code, now)
    fields = _summarise(row)
    kind = "DisputeStageExpired" if expired else "DisputeAdvanced"
    event = NewEvent(
        kind,
        row.subject,
        row.scope,
        _payload(row, from_stage=stage.code, ended=stage.name, deadline=row.stage_deadline),
        actor,
        row.process,
    )
    return fields, event


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
        row.save(update_fields=_summarise(row))
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


def _open_stage(row: Dispute, code: str | None) -> DisputeStage | None:
    """The open stage ``code`` of ``row`` (none named: its current stage)."""
    return row.stages.filter(code=code or row.stage_code, ended_at__isnull=True).first()


def dispute_advance(
    *, actor: User, dispute_id: PublicId, reason: str = "", stage_code: str | None = None
) -> Dispute:
    """End an open stage before its deadline (``stage_code``, else the current one): the
    next opens when no other stage is still open."""
    events: list[NewEvent] = []

    def check(row: Dispute) -> None:
        if not access.may_advance(actor, row):
            raise FACILITATORS_ONLY()
        if _open_stage(row, stage_code) is None:
            raise STAGE_NOT_OPEN(code=stage_code or "—")

    def change(row: Dispute) -> list[str]:
        stage = _open_stage(row, stage_code)
        assert stage is not None
        fields, event = _end(row, stage, actor=actor, now=timezone.now(), expired=False)
        event.payload["reason"] = text(reason, required=False)  # type: ignore[index]
        events.append(event)
        return fields

    with transaction.atomic():
        return change_locked(
            access.dispute_rows(actor, dispute_id),
            missing=DISPUTE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: events,
        )


def dispute_open_stage(
    *, actor: User, dispute_id: PublicId, stage_code: str, instead: bool = False, reason: str = ""
) -> Dispute:
    """Open a stage the charter lets run beside another (``alongside``) with its own
    clock: in parallel, while that stage runs; or ``instead`` of it, ending the stage
    before it (the advisory board instead of the ministers, JCPOA ¶36)."""
    note = text(reason, required=False)
    events: list[NewEvent] = []

    def check(row: Dispute) -> None:
        if not access.may_advance(actor, row):
            raise FACILITATORS_ONLY()
        if not access.may_open_stage(actor, row, stage_code, instead=instead):
            raise STAGE_NOT_ALONGSIDE(code=stage_code)

    def change(row: Dispute) -> list[str]:
        terms = access.terms(row.process)
        now = timezone.now()
        stage = terms.stage(stage_code)
        assert stage is not None and stage.alongside is not None
        if instead:
            before = terms.before(stage.alongside)
            current = _open_stage(row, before.code if before else None)
            if current is not None:
                current.ended_at = now
                current.save(update_fields=["ended_at"])
        opened_as = DisputeStage.OpenedAs.INSTEAD if instead else DisputeStage.OpenedAs.PARALLEL
        entered = _enter(row, terms, stage.code, now, opened_as)
        fields = _summarise(row)
        events.append(
            NewEvent(
                "DisputeStageOpenedInstead" if instead else "DisputeStageOpenedInParallel",
                row.subject,
                row.scope,
                _payload(
                    row,
                    opened=stage.code,
                    opened_name=stage.name,
                    alongside=stage.alongside,
                    alongside_name=getattr(terms.stage(stage.alongside), "name", ""),
                    opened_as=str(opened_as),
                    deadline=entered.deadline,
                    reason=note,
                ),
                actor,
                row.process,
            )
        )
        return fields

    with transaction.atomic():
        return change_locked(
            access.dispute_rows(actor, dispute_id),
            missing=DISPUTE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: events,
        )


def dispute_extend(
    *, actor: User, dispute_id: PublicId, days: int, reason: str, stage_code: str | None = None
) -> Dispute:
    """Extend an open extendable stage by ``days``: a decision with its reason."""
    reason = text(reason)
    if not 1 <= days <= 90:
        raise BAD_DAYS()

    def change(row: Dispute) -> list[str]:
        stage = access.extendable_stage(row, stage_code)
        if stage is None:
            raise STAGE_NOT_OPEN(code=stage_code or "—")
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
        return _summarise(row)

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
    """End every open stage of an open dispute whose own deadline has passed (and start
    the next when none is left open, or mark the stages exhausted); return how many.
    Exactly once per stage: under the dispute's lock the stage is re-read still open
    and past its deadline, and each stage is entered once (``dispute_stage_once``)."""
    candidates = list(
        DisputeStage.objects.filter(
            ended_at__isnull=True, deadline__lte=now, dispute__status=Dispute.Status.OPEN
        )
        .order_by("deadline", "pk")
        .values_list("dispute_id", "pk")
    )
    moved = 0
    for dispute_pk, stage_pk in candidates:
        try:
            with transaction.atomic():
                rows = Dispute.objects.filter(pk=dispute_pk, status=Dispute.Status.OPEN)
                row = lock_rows(rows, skip_locked=True).select_related("process").first()
                if row is None:
                    continue
                stage = row.stages.filter(
                    pk=stage_pk, ended_at__isnull=True, deadline__lte=now
                ).first()
                if stage is None:
                    continue
                fields, event = _end(row, stage, actor=None, now=now, expired=True)
                row.save(update_fields=fields)
                events_append([event])
                moved += 1
        except IntegrityError:
            logger.info("dispute %s was moved on concurrently", dispute_pk)
    return moved
