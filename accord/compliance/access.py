"""The compliance app's way in: fetch what a user named, and who may act on it.

``<entity>_access(actor, public_id, *, lock=False)`` fetches through
``accounts.access.visible_get`` (missing and invisible answer alike: a confidential
verification report is as missing as one never written). ``may_<verb>`` holds each
"who may act" rule. The verifier is whoever holds the charter's verifier role in its
verifier body (``compliance.verifier``) and sits with the facilitators (decision 0121).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import User
from accord.compliance.models import (
    AccessRequest,
    Commitment,
    ConveningRequest,
    Dispute,
    DisputeStage,
    Sequence,
    Tranche,
    VerificationReport,
)
from accord.compliance.terms import Stage, Terms, terms_of
from accord.errors import NotFound
from accord.process.models import Body, Process
from accord.public_ids import parse_public_id

PublicId = uuid.UUID | str

COMMITMENT_NOT_FOUND = NotFound.case("commitment.not_found", _("There is no such commitment."))
SEQUENCE_NOT_FOUND = NotFound.case("sequence.not_found", _("There is no such sequence."))
REPORT_NOT_FOUND = NotFound.case(
    "verification_report.not_found", _("There is no such verification report.")
)
ACCESS_REQUEST_NOT_FOUND = NotFound.case(
    "access_request.not_found", _("There is no such access request.")
)
DISPUTE_NOT_FOUND = NotFound.case("dispute.not_found", _("There is no such dispute."))
CONVENING_NOT_FOUND = NotFound.case(
    "convening_request.not_found", _("There is no such request to convene.")
)
TRANCHE_NOT_FOUND = NotFound.case("tranche.not_found", _("There is no such relief tranche."))


def terms(process: Process) -> Terms:
    """The charter's compliance terms of ``process``."""
    return terms_of(process.compliance)


def confidential_scope(commitment: Commitment) -> str:
    """Where a report or access request on ``commitment`` lives until published: the
    facilitators (the verifier among them) and the party concerned."""
    return access.caucus_scope(commitment.party.code)


def _rows(queryset: QuerySet[Any], actor: User | None, public_id: Any) -> QuerySet[Any]:
    parsed = parse_public_id(public_id)
    rows = access.restrict(queryset, actor)
    return rows.filter(public_id=parsed) if parsed is not None else rows.none()


def _get(queryset: QuerySet[Any], actor: User | None, public_id: Any, missing: Any, lock: bool):
    return access.visible_get(
        queryset, actor, missing=missing, lock=lock, public_id=parse_public_id(public_id)
    )


COMMITMENTS = Commitment.objects.select_related(
    "party", "process", "verifying_body", "body", "sequence"
)
REPORTS = VerificationReport.objects.select_related("commitment__party", "process", "author")
REQUESTS = AccessRequest.objects.select_related("commitment__party", "process")
DISPUTES = Dispute.objects.select_related("complainant", "respondent", "commitment", "process")
CONVENINGS = ConveningRequest.objects.select_related("requested_by", "dispute", "process")
TRANCHES = Tranche.objects.select_related("owed_by", "owed_to", "process")


def commitment_rows(actor: User | None, public_id: Any) -> QuerySet[Commitment]:
    return _rows(COMMITMENTS, actor, public_id)


def commitment_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Commitment:
    return _get(COMMITMENTS, actor, public_id, COMMITMENT_NOT_FOUND, lock)


def sequence_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Sequence:
    return _get(
        Sequence.objects.select_related("process"), actor, public_id, SEQUENCE_NOT_FOUND, lock
    )


def report_rows(actor: User | None, public_id: Any) -> QuerySet[VerificationReport]:
    return _rows(REPORTS, actor, public_id)


def report_access(actor: User | None, public_id: Any, *, lock: bool = False) -> VerificationReport:
    return _get(REPORTS, actor, public_id, REPORT_NOT_FOUND, lock)


def access_request_rows(actor: User | None, public_id: Any) -> QuerySet[AccessRequest]:
    return _rows(REQUESTS, actor, public_id)


def access_request_access(
    actor: User | None, public_id: Any, *, lock: bool = False
) -> AccessRequest:
    return _get(REQUESTS, actor, public_id, ACCESS_REQUEST_NOT_FOUND, lock)


def dispute_rows(actor: User | None, public_id: Any) -> QuerySet[Dispute]:
    return _rows(DISPUTES, actor, public_id)


def dispute_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Dispute:
    return _get(DISPUTES, actor, public_id, DISPUTE_NOT_FOUND, lock)


def convening_rows(actor: User | None, public_id: Any) -> QuerySet[ConveningRequest]:
    return _rows(CONVENINGS, actor, public_id)


def convening_access(actor: User | None, public_id: Any, *, lock: bool = False) -> ConveningRequest:
    return _get(CONVENINGS, actor, public_id, CONVENING_NOT_FOUND, lock)


def tranche_rows(actor: User | None, public_id: Any) -> QuerySet[Tranche]:
    return _rows(TRANCHES, actor, public_id)


def tranche_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Tranche:
    return _get(TRANCHES, actor, public_id, TRANCHE_NOT_FOUND, lock)


# --- Who someone is here -------------------------------------------------------------------


def is_verifier(actor: User | None, process: Process) -> bool:
    """Appointed the charter's verifier role in its verifier body, on the facilitators' side."""
    found = terms(process)
    if found.verifier_body is None or not access.is_facilitator(actor, process_id=process.pk):
        return False
    body = Body.objects.filter(process=process, code=found.verifier_body).first()
    return body is not None and access.holds_role(actor, found.verifier_role, body=body)


def _party_of(actor: User | None, process_id: int) -> str | None:
    if not access.is_party(actor, process_id=process_id):
        return None
    delegation = access.delegation_of(actor)
    return delegation.code if delegation is not None else None


# --- Who may act ---------------------------------------------------------------------------


def may_create_commitment(actor: User | None, process: Process) -> bool:
    """Record a commitment (from an agreed provision or by hand): the facilitators."""
    return access.is_facilitator(actor, process_id=process.pk)


def may_sequence(actor: User | None, process: Process) -> bool:
    """Create sequences, place steps and milestones: the facilitators."""
    return access.is_facilitator(actor, process_id=process.pk)


def may_report(actor: User | None, commitment: Commitment) -> bool:
    """File a verification report: the verifier."""
    return is_verifier(actor, commitment.process)


def may_publish(actor: User | None, report: VerificationReport) -> bool:
    """Publish a report: the verifier, once; until then it stays confidential."""
    return not report.is_published and is_verifier(actor, report.process)


def may_request_access(actor: User | None, commitment: Commitment) -> bool:
    return is_verifier(actor, commitment.process)


def may_agree_access(actor: User | None, request: AccessRequest) -> bool:
    """Agree to give access: the party concerned, while its days run."""
    return (
        request.stage == AccessRequest.Stage.AGREE
        and _party_of(actor, request.process_id) == request.commitment.party.code
    )


def may_decide_access(actor: User | None, request: AccessRequest) -> bool:
    """Decide a referred request for the joint body: the facilitators."""
    return request.stage == AccessRequest.Stage.DECIDE and access.is_facilitator(
        actor, process_id=request.process_id
    )


def may_record_access(actor: User | None, request: AccessRequest) -> bool:
    """Record that access was given: the verifier."""
    return request.stage == AccessRequest.Stage.IMPLEMENT and is_verifier(actor, request.process)


def may_assess(actor: User | None, commitment: Commitment) -> bool:
    """Keep an internal assessment: a party's delegation (for its own eyes only)."""
    return access.is_party(actor, process_id=commitment.process_id)


def may_file_dispute(actor: User | None, process: Process) -> bool:
    """Complain of non-performance: a party's delegation."""
    return access.is_party(actor, process_id=process.pk)


def _open(dispute: Dispute) -> bool:
    return dispute.status == Dispute.Status.OPEN


def extendable_stage(dispute: Dispute, code: str | None = None) -> DisputeStage | None:
    """The open stage of ``dispute`` the charter makes extendable (``code``, or the
    first such open stage), or None."""
    found = terms(dispute.process)
    rows = sorted(
        (s for s in dispute.stages.all() if s.ended_at is None and code in (None, s.code)),
        key=lambda s: (s.deadline, s.pk),
    )
    for stage in rows:
        charter = found.stage(stage.code)
        if charter is not None and charter.extendable:
            return stage
    return None


def may_extend_stage(actor: User | None, dispute: Dispute) -> bool:
    """Extend an extendable stage (a decision by consensus): the facilitators record it."""
    return (
        _open(dispute)
        and access.is_facilitator(actor, process_id=dispute.process_id)
        and extendable_stage(dispute) is not None
    )


def stages_to_open(dispute: Dispute) -> list[tuple[Stage, bool]]:
    """The stages the charter lets the facilitators open now beside another: (stage,
    instead). In parallel while the stage it runs ``alongside`` is open; instead of
    that stage while the one before it is open and it has not started."""
    if not _open(dispute):
        return []
    found = terms(dispute.process)
    entered = {s.code: s.ended_at is None for s in dispute.stages.all()}
    openable = []
    for stage in found.stages:
        if stage.alongside is None or stage.code in entered:
            continue
        if entered.get(stage.alongside):
            openable.append((stage, False))
        elif stage.alongside not in entered:
            before = found.before(stage.alongside)
            if before is not None and entered.get(before.code):
                openable.append((stage, True))
    return openable


def may_open_stage(
    actor: User | None, dispute: Dispute, code: str, *, instead: bool = False
) -> bool:
    """Open stage ``code`` in parallel with (or ``instead`` of) the stage the charter
    lets it run beside: the facilitators, while the charter allows it."""
    return access.is_facilitator(actor, process_id=dispute.process_id) and any(
        stage.code == code and how == instead for stage, how in stages_to_open(dispute)
    )


def may_advance(actor: User | None, dispute: Dispute) -> bool:
    """Move a dispute to its next stage before the deadline: the facilitators."""
    return _open(dispute) and access.is_facilitator(actor, process_id=dispute.process_id)


def may_convene(actor: User | None, dispute: Dispute) -> bool:
    """Record that the joint body convened: the facilitators, once."""
    return (
        _open(dispute)
        and dispute.convened_at is None
        and access.is_facilitator(actor, process_id=dispute.process_id)
    )


def may_resolve(actor: User | None, dispute: Dispute) -> bool:
    return dispute.status in (Dispute.Status.OPEN, Dispute.Status.EXHAUSTED) and (
        access.is_facilitator(actor, process_id=dispute.process_id)
    )


def may_notify(actor: User | None, dispute: Dispute) -> bool:
    """Notify non-performance once the stages are exhausted: the complaining side."""
    return (
        dispute.status == Dispute.Status.EXHAUSTED
        and _party_of(actor, dispute.process_id) == dispute.complainant.code
    )


def may_request_convening(actor: User | None, process: Process) -> bool:
    """Ask the joint body to convene: a party's delegation or the facilitators."""
    return access.is_party(actor, process_id=process.pk) or access.is_facilitator(
        actor, process_id=process.pk
    )


def may_record_convening(actor: User | None, request: ConveningRequest) -> bool:
    """Record that the joint body convened: the facilitators, once."""
    return request.convened_at is None and access.is_facilitator(
        actor, process_id=request.process_id
    )


def may_create_tranche(actor: User | None, process: Process) -> bool:
    return access.is_facilitator(actor, process_id=process.pk)


def may_release(actor: User | None, tranche: Tranche) -> bool:
    """Release a due tranche: the party that owes it."""
    return (
        tranche.status == Tranche.Status.DUE
        and _party_of(actor, tranche.process_id) == tranche.owed_by.code
    )
