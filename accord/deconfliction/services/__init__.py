"""Every write of the de-confliction mechanism (one module per aggregate)."""

from accord.deconfliction.services.checks import activity_record, conflict_check, index_for
from accord.deconfliction.services.imports import ImportReport, notifications_import
from accord.deconfliction.services.notifications import (
    notification_acknowledge,
    notification_submit,
    notification_transmit,
    notification_withdraw,
    notifications_sweep,
    organisation_register,
    receipts_escalate_unacknowledged,
)
from accord.deconfliction.services.violations import (
    determination_publish,
    evidence_add,
    violation_report,
    violation_step,
)

__all__ = [
    "ImportReport",
    "activity_record",
    "conflict_check",
    "determination_publish",
    "evidence_add",
    "index_for",
    "notification_acknowledge",
    "notification_submit",
    "notification_transmit",
    "notification_withdraw",
    "notifications_import",
    "notifications_sweep",
    "organisation_register",
    "receipts_escalate_unacknowledged",
    "violation_report",
    "violation_step",
]
