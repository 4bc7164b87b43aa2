"""The process's words, defined once: what a charter may say and what the models store.

Each list is a ``Literal`` type (so pydantic checks a charter against it and mypy checks
code against it) and the tuple of its values, in the order the charter format documents
them. The models' ``TextChoices`` carry the same values with their labels;
``process/tests/test_vocabulary.py`` pins the two together, so a word added here and not
there (or the other way round) fails a test instead of a load. No Django here.
"""

from __future__ import annotations

from typing import Literal, get_args

DelegationKind = Literal["party", "facilitator"]
BodyKind = Literal["committee", "working_group", "commission"]
ChairArrangement = Literal["chair", "co_chairs", "rotating", "facilitated"]
MechanismKind = Literal["direct", "facilitated", "maritime", "deconfliction"]
Role = Literal[
    "head_of_delegation",
    "member",
    "expert",
    "rapporteur",
    "chair",
    "co_chair",
    "duty_officer",
    "observer",
    "verifier",
]
MilestoneStatus = Literal["pending", "met", "overdue", "extended"]

DELEGATION_KINDS: tuple[str, ...] = get_args(DelegationKind)
BODY_KINDS: tuple[str, ...] = get_args(BodyKind)
CHAIR_ARRANGEMENTS: tuple[str, ...] = get_args(ChairArrangement)
MECHANISM_KINDS: tuple[str, ...] = get_args(MechanismKind)
ROLES: tuple[str, ...] = get_args(Role)
MILESTONE_STATUSES: tuple[str, ...] = get_args(MilestoneStatus)

# The top of every escalation ladder: not a body, the parties' principals.
PRINCIPALS = "principals"
