"""The de-confliction mechanism's way in: fetch what a user named, and who may do what.

Fetching goes through ``accounts.access.visible_get``: a party's planned activity or
conflict check, or a report of the other party, answers exactly like a missing one.
Who acts (decision 0115): the facilitators register organisations and notify, transmit,
withdraw and amend on their behalf, and chair the review of violation reports; each
party's duty officers on the mechanism (or its head of delegation) acknowledge receipt
for it; any member of a party plans and checks for that party; either party or the
facilitators report an alleged violation.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import Role, User
from accord.deconfliction.models import (
    ConflictCheck,
    Determination,
    Evidence,
    Notification,
    Organisation,
    PlannedActivity,
    Receipt,
    ViolationReport,
)
from accord.errors import NotFound
from accord.process.models import Delegation, Mechanism
from accord.public_ids import parse_public_id

PublicId = Any

NOTIFICATION_NOT_FOUND = NotFound.case(
    "deconfliction.notification_not_found", _("There is no such notification.")
)
ORGANISATION_NOT_FOUND = NotFound.case(
    "deconfliction.organisation_not_found", _("There is no such organisation.")
)
RECEIPT_NOT_FOUND = NotFound.case(
    "deconfliction.receipt_not_found", _("There is no such receipt to acknowledge.")
)
ACTIVITY_NOT_FOUND = NotFound.case(
    "deconfliction.activity_not_found", _("There is no such planned activity.")
)
CHECK_NOT_FOUND = NotFound.case("deconfliction.check_not_found", _("There is no such check."))
REPORT_NOT_FOUND = NotFound.case(
    "deconfliction.report_not_found", _("There is no such violation report.")
)
EVIDENCE_NOT_FOUND = NotFound.case(
    "deconfliction.evidence_not_found", _("There is no such evidence file.")
)
MECHANISM_MISSING = NotFound.case(
    "deconfliction.no_mechanism", _("This process has no de-confliction mechanism.")
)


def mechanism_of(process_id: int | None) -> Mechanism:
    """The process's de-confliction mechanism (the charter's ``kind: deconfliction``)."""
    mechanism = (
        Mechanism.objects.filter(process_id=process_id, kind=Mechanism.Kind.DECONFLICTION)
        .prefetch_related("delegations")
        .first()
        if process_id is not None
        else None
    )
    if mechanism is None:
        raise MECHANISM_MISSING()
    return mechanism


def notification_rows(actor: User | None) -> QuerySet[Notification]:
    return access.restrict(
        Notification.objects.select_related("organisation", "mechanism", "process"), actor
    )


def notification_access(
    actor: User | None, public_id: PublicId, *, lock: bool = False
) -> Notification:
    return access.visible_get(
        Notification.objects.select_related("organisation", "mechanism", "process"),
        actor,
        missing=NOTIFICATION_NOT_FOUND,
        lock=lock,
        public_id=parse_public_id(public_id),
    )


def organisation_access(actor: User | None, public_id: PublicId) -> Organisation:
    return access.visible_get(
        Organisation.objects.all(),
        actor,
        missing=ORGANISATION_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


def receipt_rows(actor: User | None) -> QuerySet[Receipt]:
    return access.restrict(
        Receipt.objects.select_related("notification", "delegation", "process"), actor
    )


def activity_access(actor: User | None, public_id: PublicId) -> PlannedActivity:
    return access.visible_get(
        PlannedActivity.objects.select_related("delegation", "process"),
        actor,
        missing=ACTIVITY_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


def check_access(actor: User | None, public_id: PublicId) -> ConflictCheck:
    return access.visible_get(
        ConflictCheck.objects.select_related("delegation", "activity"),
        actor,
        missing=CHECK_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


def report_rows(actor: User | None) -> QuerySet[ViolationReport]:
    return access.restrict(
        ViolationReport.objects.select_related("delegation", "reported_by", "process"), actor
    )


def report_access(
    actor: User | None, public_id: PublicId, *, lock: bool = False
) -> ViolationReport:
    return access.visible_get(
        ViolationReport.objects.select_related("delegation", "reported_by", "process"),
        actor,
        missing=REPORT_NOT_FOUND,
        lock=lock,
        public_id=parse_public_id(public_id),
    )


def evidence_access(actor: User | None, public_id: PublicId) -> Evidence:
    return access.visible_get(
        Evidence.objects.select_related("report"),
        actor,
        missing=EVIDENCE_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


# --- Who may -------------------------------------------------------------------------------


def _facilitator(actor: User | None, process_id: int | None) -> bool:
    return access.is_facilitator(actor, process_id=process_id)


def may_register_organisation(actor: User | None, process_id: int | None) -> bool:
    """Register an organisation: the facilitators."""
    return _facilitator(actor, process_id)


def may_notify(actor: User | None, process_id: int | None) -> bool:
    """Submit a notification on an organisation's behalf: the facilitators."""
    return _facilitator(actor, process_id)


def may_transmit(actor: User | None, notification: Notification) -> bool:
    return (
        _facilitator(actor, notification.process_id)
        and notification.status == Notification.Status.SUBMITTED
    )


def may_withdraw(actor: User | None, notification: Notification) -> bool:
    return (
        _facilitator(actor, notification.process_id)
        and notification.status not in Notification.FINAL
    )


def may_amend(actor: User | None, notification: Notification) -> bool:
    return (
        may_withdraw(actor, notification)
        and not notification.amendments.exclude(status__in=Notification.FINAL).exists()
    )


def may_acknowledge_for(actor: User | None, mechanism: Mechanism, side: Delegation) -> bool:
    """Acknowledge receipt for ``side``: one of its duty officers on the mechanism, or its
    head of delegation."""
    own = access.delegation_of(actor)
    if own is None or own.pk != side.pk or not side.is_party:
        return False
    return access.holds_role(actor, Role.DUTY_OFFICER, mechanism=mechanism) or access.is_head_of(
        actor, side
    )


def may_acknowledge(actor: User | None, receipt: Receipt) -> bool:
    return receipt.acknowledged_at is None and may_acknowledge_for(
        actor, receipt.notification.mechanism, receipt.delegation
    )


def may_plan(actor: User | None, process_id: int | None) -> bool:
    """Record a planned activity or run a conflict check: a member of a party."""
    return access.is_party(actor, process_id=process_id)


def may_report_violation(actor: User | None, process_id: int | None) -> bool:
    """Either party or the facilitators."""
    return access.is_party(actor, process_id=process_id) or _facilitator(actor, process_id)


def may_review(actor: User | None, report: ViolationReport) -> bool:
    """Move a report through its review: the chairs (the facilitators)."""
    return _facilitator(actor, report.process_id) and report.status != ViolationReport.Status.CLOSED


def may_add_evidence(actor: User | None, report: ViolationReport) -> bool:
    """The reporting side or the chairs, until the report is closed."""
    own = access.delegation_of(actor)
    return (
        own is not None
        and report.status != ViolationReport.Status.CLOSED
        and (own.pk == report.delegation_id or _facilitator(actor, report.process_id))
    )


def may_publish(actor: User | None, report: ViolationReport) -> bool:
    return (
        _facilitator(actor, report.process_id)
        and bool(report.finding)
        and not Determination.objects.filter(report=report).exists()
    )


def may_see_check_statistics(actor: User | None, process_id: int | None) -> bool:
    """How many checks were run, and when (never an area or a result): the facilitators."""
    return _facilitator(actor, process_id)
