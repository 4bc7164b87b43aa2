"""Reading the de-confliction mechanism: only ever through ``accounts.access.restrict``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.deconfliction import access
from accord.deconfliction.exports import ExportRow
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


def organisation_list(*, actor: User | None) -> QuerySet[Organisation]:
    return accounts_access.restrict(Organisation.objects.all(), actor)


def notification_list(
    *, actor: User | None, status: str | None = None, kind: str | None = None
) -> QuerySet[Notification]:
    rows = access.notification_rows(actor)
    if status == "in_force":
        rows = rows.filter(status__in=Notification.IN_FORCE)
    elif status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def export_rows(*, actor: User | None) -> list[ExportRow]:
    """What ``actor`` may see of every notification, for the exports."""
    return [
        ExportRow(
            id=str(n.public_id),
            kind=n.kind,
            site_type=n.site_type,
            title=n.title,
            organisation=n.organisation.name,
            status=n.status,
            buffer_m=n.buffer_m,
            starts_at=n.starts_at.isoformat() if n.starts_at else "",
            ends_at=n.ends_at.isoformat() if n.ends_at else "",
            emergency=n.emergency,
            geometry=n.geometry,
        )
        for n in notification_list(actor=actor)
    ]


def receipts_of(*, actor: User | None, notification: Notification) -> QuerySet[Receipt]:
    """The receipts of ``notification`` ``actor`` may see: the facilitators every party's,
    a party its own."""
    return (
        access.receipt_rows(actor)
        .filter(notification=notification)
        .select_related("acknowledged_by")
        .prefetch_related("escalations")
    )


def receipts_pending(*, actor: User | None) -> QuerySet[Receipt]:
    """Unacknowledged receipts of notifications in force that ``actor`` may see."""
    return (
        access.receipt_rows(actor)
        .filter(acknowledged_at__isnull=True, notification__status__in=Notification.IN_FORCE)
        .select_related("notification__mechanism", "notification__organisation")
        .prefetch_related("escalations")
        .order_by("due_at")
    )


def activity_list(*, actor: User | None) -> QuerySet[PlannedActivity]:
    return accounts_access.restrict(PlannedActivity.objects.all(), actor)


def check_list(*, actor: User | None) -> QuerySet[ConflictCheck]:
    return accounts_access.restrict(ConflictCheck.objects.select_related("activity"), actor)


@dataclass(frozen=True)
class CheckDay:
    day: dt.date
    checks: int


def check_statistics(*, actor: User | None) -> list[CheckDay]:
    """How many conflict checks the parties ran, by day, for the facilitators only (no
    party, area or result: decision 0116). Anyone else gets nothing."""
    delegation = accounts_access.delegation_of(actor)
    process_id = delegation.process_id if delegation else None
    if process_id is None or not access.may_see_check_statistics(actor, process_id):
        return []
    rows = (
        ConflictCheck.objects.filter(process_id=process_id)
        .annotate(day=TruncDate("checked_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("-day")
    )
    return [CheckDay(day=row["day"], checks=row["n"]) for row in rows]


def report_list(*, actor: User | None, open_only: bool = False) -> QuerySet[ViolationReport]:
    rows = access.report_rows(actor)
    if open_only:
        rows = rows.exclude(status=ViolationReport.Status.CLOSED)
    return rows


def evidence_of(*, actor: User | None, report: ViolationReport) -> QuerySet[Evidence]:
    return accounts_access.restrict(Evidence.objects.filter(report=report), actor).defer("data")


def determination_list(*, actor: User | None) -> QuerySet[Determination]:
    return accounts_access.restrict(Determination.objects.all(), actor)
