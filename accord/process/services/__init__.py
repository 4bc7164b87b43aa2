"""Writes of the process: loading a charter, and the roadmap's milestones.

One module per aggregate; import from here (``accord.process.services``), which is the
public surface other apps, commands and the sweeper use.
"""

from accord.process.services.charter_loading import (
    CHARTER_LOAD_NOT_ALLOWED,
    CHARTER_REMOVAL_REFUSED,
    REMOVAL_REFUSED,
    CharterLoadResult,
    CharterRemovalRefused,
    EntityChanges,
    charter_load,
)
from accord.process.services.milestones import (
    MILESTONE_ALREADY_MET,
    MILESTONE_EXTEND_MET,
    MILESTONE_EXTEND_NO_REASON,
    MILESTONE_EXTEND_NOT_LATER,
    MILESTONE_EXTEND_NOT_YOURS,
    MILESTONE_EXTEND_REASON_TOO_LONG,
    MILESTONE_EXTEND_REF_TOO_LONG,
    MILESTONE_EXTEND_TOO_FAR,
    MILESTONE_GONE,
    MILESTONE_NOT_YOURS,
    OPEN_STATUSES,
    milestone_extend,
    milestone_mark_met,
    milestones_flag_overdue,
)

__all__ = [
    "CHARTER_LOAD_NOT_ALLOWED",
    "CHARTER_REMOVAL_REFUSED",
    "MILESTONE_ALREADY_MET",
    "MILESTONE_EXTEND_MET",
    "MILESTONE_EXTEND_NOT_LATER",
    "MILESTONE_EXTEND_NOT_YOURS",
    "MILESTONE_EXTEND_NO_REASON",
    "MILESTONE_EXTEND_REASON_TOO_LONG",
    "MILESTONE_EXTEND_REF_TOO_LONG",
    "MILESTONE_EXTEND_TOO_FAR",
    "MILESTONE_GONE",
    "MILESTONE_NOT_YOURS",
    "OPEN_STATUSES",
    "REMOVAL_REFUSED",
    "CharterLoadResult",
    "CharterRemovalRefused",
    "EntityChanges",
    "charter_load",
    "milestone_extend",
    "milestone_mark_met",
    "milestones_flag_overdue",
]
