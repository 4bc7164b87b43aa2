"""What can be wrong with a charter: the problem type, the refusal, and every sentence.

Sentences are module constants (tests reuse them) and stay English: a charter is written
and checked by the people who set a process up, at the command line and in CI, and
``FILE:LINE: PATH: message`` is what their editors annotate.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accord.errors import ValidationFailed

FILE_NOT_FOUND = "The charter file does not exist."
FILE_UNREADABLE = "The charter file cannot be read: {reason}."
FILE_NOT_UTF8 = "The charter file is not UTF-8 text (undecodable byte at offset {offset})."
FILE_EMPTY = "The charter file is empty; a charter starts with 'charter_version: 1'."
YAML_SYNTAX = "The file is not valid YAML: {problem}."
DUPLICATE_KEY = (
    "The key {key!r} appears twice in this mapping (first on line {first_line}); "
    "the second would silently replace the first."
)
UNSUPPORTED_VERSION = (
    "charter_version {version!r} is not supported; this version of Accord reads "
    "charter_version 1 only."
)
NO_PARTY = "A charter needs at least one party, and 'parties' is empty."
DUPLICATE_CODE = "{what} code {code!r} is declared more than once (first at {first_path})."
UNKNOWN_REPORTS_TO = "Body {body!r} reports to {target!r}, which is not a body of this charter."
REPORTS_TO_CYCLE = (
    "Bodies report to each other in a cycle: {cycle}. "
    "The reporting line must end at a body that reports to no one."
)
UNKNOWN_MILESTONE_BODY = (
    "Milestone {milestone!r} belongs to body {body!r}, which is not a body of this charter."
)
UNKNOWN_DEPENDENCY = (
    "Milestone {milestone!r} depends on {target!r}, which is not a milestone of this roadmap."
)
MILESTONE_CYCLE = (
    "Milestones depend on each other in a cycle ('→' reads 'depends on'): {cycle}. "
    "None of them could ever be met first."
)
DUE_BEFORE_DEPENDENCY = (
    "Milestone {milestone!r} is due on day {due_day}, before {target!r} (day {target_day}), "
    "which it depends on."
)
DUE_AFTER_ROADMAP = (
    "Milestone {milestone!r} is due on day {due_day}, after the roadmap's last day ({length_days})."
)
UNKNOWN_CHAIR = "Body {body!r} is chaired by {code!r}, which is not a party or facilitator."
UNKNOWN_MECHANISM_DELEGATION = (
    "Mechanism {mechanism!r} includes {code!r}, which is not a party or facilitator."
)
CHAIR_COUNT = "A body with arrangement 'chair' names exactly one chair; {body!r} names {count}."
CO_CHAIR_COUNT = (
    "A body with arrangement 'co_chairs' names at least two co-chairs; {body!r} names {count}."
)
ENDS_BEFORE_STARTS = "The framework ends on {ends_on}, before it starts ({starts_on})."
ROADMAP_BEFORE_FRAMEWORK = (
    "The roadmap starts on {roadmap_starts_on}, before the framework starts ({starts_on})."
)
ROADMAP_AFTER_FRAMEWORK = (
    "The roadmap's last day is {last_day}, after the framework ends ({ends_on})."
)
ESCALATION_UNKNOWN_FROM = (
    "Escalation rung {index} starts from {value!r}, which is neither a body of this charter "
    "nor a body kind ({kinds})."
)
ESCALATION_UNKNOWN_TO = (
    "Escalation rung {index} leads to {value!r}, which is neither a body of this charter "
    "nor {principals!r} (the top of the ladder)."
)
ESCALATION_TO_ITSELF = "Escalation rung {index} leads from {value!r} to itself."
ESCALATION_DUPLICATE_FROM = (
    "Two escalation rungs start from {value!r} (first at {first_path}); a body has one next rung."
)
ESCALATION_CYCLE = (
    "The escalation ladder goes round in a cycle: {cycle}. It must end at {principals!r}."
)
# Compliance (issue 17).
COMPLIANCE_UNKNOWN_BODY = "The {what} is {value!r}, which is not a body of this charter."
COMPLIANCE_VERIFIER_ROLE = (
    "The verifier's role {role!r} is not one of {body!r}'s member roles ({roles}); "
    "no one could be appointed to verify."
)
COMPLIANCE_DUPLICATE_STAGE = "Dispute stage code {code!r} is declared more than once."
COMPLIANCE_UNKNOWN_STAGE = (
    "A dispute stage may run alongside another stage of the list; {value!r} is not one."
)
INCIDENT_REFER_TO_UNKNOWN = (
    "Mechanism {mechanism!r} refers overdue incidents to {target!r}, which is not a body "
    "of this charter."
)
DID_YOU_MEAN = " Did you mean {suggestion!r}?"

DOCUMENT_PATH = "(document)"

# The one refusal: every problem found, one per line. Its frame is translated; the problems
# it lists stay English (decision 0060). A lazy translation needs no settings at import.
CHARTER_INVALID = ValidationFailed.case(
    "charter.invalid", _("The charter is not valid (problems found: {count}).\n{lines}")
)


@dataclass(frozen=True)
class CharterProblem:
    """One thing wrong with a charter file: where it is and what it is, as a sentence."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


class CharterInvalid(ValidationFailed):
    """The charter cannot be used; ``problems`` lists everything found, in file order."""

    def __init__(self, problems: Sequence[CharterProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(CHARTER_INVALID, count=len(self.problems), lines=lines)


def format_path(loc: Sequence[str | int]) -> str:
    """``("bodies", 2, "reports_to")`` -> ``"bodies[2].reports_to"``."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text or DOCUMENT_PATH


def suggest(value: object, known: Iterable[str]) -> str:
    """`` Did you mean 'HLC'?`` for the closest known code, or ``""`` if none is close."""
    if not isinstance(value, str):
        return ""
    matches = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return DID_YOU_MEAN.format(suggestion=matches[0]) if matches else ""


def describe(value: object) -> str:
    """How a problem names a value the author wrote: ``nothing``, ``a list``, ``'HLX'``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)
