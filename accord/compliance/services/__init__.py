"""Writes of the compliance app: commitments and sequences, verification and access
requests, disputes, relief tranches.

Every function fetches what it acts on through ``compliance.access``, refuses when the
``may_`` predicate of its use case says no, validates, writes in one transaction and
appends its event there. The sweeps (``disputes_advance_overdue``,
``access_requests_advance_overdue``) move a clock on exactly once per stage.
"""

from accord.compliance.services.commitments import (
    assessment_set,
    commitment_create,
    milestone_add,
    sequence_create,
    step_place,
)
from accord.compliance.services.common import (
    BAD_CODE,
    BAD_DAYS,
    BAD_FINDING,
    CYCLE,
    FACILITATORS_ONLY,
    MAX_TEXT,
    MAX_TITLE,
    NOT_NOW,
    PARTY_ONLY,
    PROVISION_NOT_AGREED,
    UNKNOWN_PARTY,
    UNKNOWN_STEP,
    VERIFIER_ONLY,
)
from accord.compliance.services.convening import convening_record, convening_request
from accord.compliance.services.disputes import (
    dispute_advance,
    dispute_convene,
    dispute_extend,
    dispute_file,
    dispute_notify,
    dispute_open_stage,
    dispute_resolve,
    disputes_advance_overdue,
)
from accord.compliance.services.tranches import tranche_create, tranche_release
from accord.compliance.services.verification import (
    access_request_agree,
    access_request_decide,
    access_request_open,
    access_request_record,
    access_requests_advance_overdue,
    report_file,
    report_publish,
)

__all__ = [
    "BAD_CODE",
    "BAD_DAYS",
    "BAD_FINDING",
    "CYCLE",
    "FACILITATORS_ONLY",
    "MAX_TEXT",
    "MAX_TITLE",
    "NOT_NOW",
    "PARTY_ONLY",
    "PROVISION_NOT_AGREED",
    "UNKNOWN_PARTY",
    "UNKNOWN_STEP",
    "VERIFIER_ONLY",
    "access_request_agree",
    "access_request_decide",
    "access_request_open",
    "access_request_record",
    "access_requests_advance_overdue",
    "assessment_set",
    "commitment_create",
    "convening_record",
    "convening_request",
    "dispute_advance",
    "dispute_convene",
    "dispute_extend",
    "dispute_file",
    "dispute_notify",
    "dispute_open_stage",
    "dispute_resolve",
    "disputes_advance_overdue",
    "milestone_add",
    "report_file",
    "report_publish",
    "sequence_create",
    "step_place",
    "tranche_create",
    "tranche_release",
]
