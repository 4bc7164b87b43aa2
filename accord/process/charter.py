"""The process charter: parse, validate and describe a charter file (no Django).

A charter is a YAML file that declares one negotiation process: its framework, parties,
facilitators, bodies, mechanisms and roadmap (``docs/charter-format.md`` is the reference;
``charters/islamabad-mou.yaml`` the canonical example). This module turns its text into a
validated ``Charter`` or raises ``CharterInvalid`` listing *every* problem found, each
with the file, the 1-based line of the offending YAML node, the field path and a sentence.

Validation runs in two passes over the same parsed document:

1. the pydantic models check shape and types (unknown keys are errors);
2. ``_Checker`` checks what spans several entries (duplicate codes, references,
   cycles, dates). It reads the raw mapping defensively, so both passes report in one go
   even when the first pass has already failed.

Line numbers come from the node tree PyYAML composes (as ``yaml.compose`` does): a
problem's path is walked through the tree to the node it names.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import json
import os
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
)
from pydantic_core import ErrorDetails

from accord.errors import AccordError

CHARTER_VERSION = 1

# Messages, as templates; tests reuse them.
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
DID_YOU_MEAN = " Did you mean {suggestion!r}?"

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"


class _CharterLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text and reads only true/false as booleans.

    Dates stay strings so that an impossible date (2026-02-30) becomes a located problem
    from the date validator instead of a crash inside PyYAML. YAML 1.1 also reads yes, no,
    on and off as booleans, which would turn Norway's code NO into ``False``.
    """


_CharterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP_TAG, _BOOL_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CharterLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# --- Problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CharterProblem:
    """One thing wrong with a charter file: where it is and what it is, as a sentence."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


class CharterInvalid(AccordError):
    """The charter cannot be used; ``problems`` lists everything found, in file order."""

    code = "charter_invalid"
    status = 422

    def __init__(self, problems: Sequence[CharterProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"The charter is not valid: {count} problem(s) found.\n{lines}")


DOCUMENT_PATH = "(document)"


def _format_path(loc: Sequence[str | int]) -> str:
    """``("bodies", 2, "reports_to")`` -> ``"bodies[2].reports_to"``."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text or DOCUMENT_PATH


def _suggest(value: object, known: Iterable[str]) -> str:
    """`` Did you mean 'HLC'?`` for the closest known code, or ``""`` if none is close."""
    if not isinstance(value, str):
        return ""
    matches = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return DID_YOU_MEAN.format(suggestion=matches[0]) if matches else ""


# --- Field types ---------------------------------------------------------------------------


def _date(value: Any) -> Any:
    """Accept a calendar date written YYYY-MM-DD (left as text by ``_CharterLoader``)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{value!r} is not a real date ({error}).") from None
    raise ValueError(f"{_describe(value)} is not a date; write dates as YYYY-MM-DD.")


@functools.cache
def _timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = _suggest(value, _timezone_names())
        raise ValueError(
            f"{value!r} is not a time zone name (use IANA names like 'Asia/Karachi').{hint}"
        ) from None
    return value


def _colour(value: Any) -> Any:
    if value is None:
        # An unquoted "#1f4e9c" is a YAML comment, so the key arrives with no value.
        raise ValueError(
            'The colour is missing; quote it, as in colour: "#1f4e9c" '
            "(an unquoted # starts a YAML comment)."
        )
    if not isinstance(value, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f'{_describe(value)} is not a colour; write it as "#rrggbb".')
    return value


def _code(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value):
        raise ValueError(
            f"{value!r} is not a valid code; use letters, digits, '-' and '_', "
            "starting with a letter or digit."
        )
    return value


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise ValueError(
            f"{value!r} is not a valid framework code; use lower-case letters, digits "
            "and single hyphens, as in 'islamabad-mou'."
        )
    return value


def _json_mapping(value: dict[str, Any]) -> dict[str, Any]:
    # Settings are stored in a JSON column; YAML could produce sets or binary data.
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise ValueError(
            "settings may hold only text, numbers, true/false, lists and mappings."
        ) from None
    return value


# Lengths match the database columns, so a valid charter always fits.
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ShortName = Annotated[str, StringConstraints(max_length=80)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Area = Annotated[str, StringConstraints(max_length=200)]
Language = Annotated[str, StringConstraints(min_length=1, max_length=16)]
LongText = Annotated[str, StringConstraints(min_length=1)]
Date = Annotated[dt.date, BeforeValidator(_date)]
TimezoneName = Annotated[str, StringConstraints(max_length=64), AfterValidator(_timezone)]
Colour = Annotated[str, BeforeValidator(_colour)]
DelegationCode = Annotated[str, StringConstraints(max_length=16), AfterValidator(_code)]
Code = Annotated[str, StringConstraints(max_length=32), AfterValidator(_code)]
Slug = Annotated[str, StringConstraints(max_length=64), AfterValidator(_slug)]
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
BODY_KINDS: tuple[str, ...] = get_args(BodyKind)
CHAIR_ARRANGEMENTS: tuple[str, ...] = get_args(ChairArrangement)
MECHANISM_KINDS: tuple[str, ...] = get_args(MechanismKind)
MEMBER_ROLES: tuple[str, ...] = get_args(Role)


# --- The format ----------------------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FrameworkSpec(_Section):
    """The umbrella agreement the process lives under."""

    code: Slug
    name: Name
    short_name: ShortName = ""
    description: str = ""
    signed_on: Date | None = None
    starts_on: Date
    ends_on: Date | None = None
    timezone: TimezoneName = "UTC"


class DelegationSpec(_Section):
    """A party or a facilitator (which one depends on the list it appears in)."""

    code: DelegationCode
    name: Name
    short_name: ShortName = ""
    language: Language = "en"
    timezone: TimezoneName = "UTC"
    colour: Colour = "#555555"


class ChairSpec(_Section):
    arrangement: ChairArrangement
    by: list[DelegationCode] = Field(default_factory=list)


class BodySpec(_Section):
    """A standing body: a committee, working group or commission."""

    code: Code
    name: Name
    short_name: ShortName = ""
    kind: BodyKind
    reports_to: Code | None = None
    mandate: LongText
    chair: ChairSpec
    member_roles: list[Role] = Field(default_factory=list)


class MechanismSpec(_Section):
    """A standing channel or mechanism."""

    code: Code
    name: Name
    short_name: ShortName = ""
    kind: MechanismKind
    purpose: LongText
    area: Area = ""
    delegations: list[DelegationCode] = Field(default_factory=list)
    facilitators_informed: bool = True
    member_roles: list[Role] = Field(default_factory=list)
    settings: Annotated[dict[str, Any], AfterValidator(_json_mapping)] = Field(default_factory=dict)


class MilestoneSpec(_Section):
    """A roadmap deliverable of one body, due on a day of the roadmap (day 1 = start)."""

    code: Code
    body: Code
    title: Title
    due_day: Annotated[int, Field(ge=1)]
    depends_on: list[Code] = Field(default_factory=list)
    description: str = ""


class RoadmapSpec(_Section):
    title: Name
    starts_on: Date
    length_days: Annotated[int, Field(gt=0)]
    milestones: list[MilestoneSpec] = Field(default_factory=list)

    def due_on(self, milestone: MilestoneSpec) -> dt.date:
        """The calendar date of ``milestone``: day 1 is ``starts_on``."""
        return self.starts_on + dt.timedelta(days=milestone.due_day - 1)


PRINCIPALS = "principals"
DEFAULT_REFERRAL_DAYS = 14
DEFAULT_TOP_DAYS = 21


class EscalationRungSpec(_Section):
    """One rung of the escalation ladder: after ``days`` unresolved at ``from``, go to ``to``.

    ``from`` is a body code or a body kind (``working_group`` matches every working group
    without a rung of its own); ``to`` is a body code or ``principals``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: Annotated[Code, Field(alias="from")]
    to: Code
    days: Annotated[int, Field(ge=1, le=365)]


class EscalationSpec(_Section):
    """The escalation ladder for divergences (``docs/charter-format.md``).

    Without ``rungs``, the ladder follows ``reports_to``: each body refers to the body it
    reports to after ``default_days``, and a body reporting to no one refers to the
    principals after ``top_days``.
    """

    principals: Name = "Principals"
    default_days: Annotated[int, Field(ge=1, le=365)] = DEFAULT_REFERRAL_DAYS
    top_days: Annotated[int, Field(ge=1, le=365)] = DEFAULT_TOP_DAYS
    rungs: list[EscalationRungSpec] = Field(default_factory=list)

    def ladder(self, bodies: Sequence[BodySpec]) -> dict[str, tuple[str, int]]:
        """Body code -> (next rung, days allowed at this body) for every body of ``bodies``.

        An explicit rung for the body's code wins over one for its kind, which wins over
        the ``reports_to`` default. The next rung is a body code or ``principals``.
        """
        by_from = {rung.from_: rung for rung in self.rungs}
        ladder: dict[str, tuple[str, int]] = {}
        for body in bodies:
            rung = by_from.get(body.code) or by_from.get(body.kind)
            if rung is not None:
                ladder[body.code] = (rung.to, rung.days)
            elif self.rungs:
                continue  # an explicit ladder that leaves a body out: it does not refer
            elif body.reports_to:
                ladder[body.code] = (body.reports_to, self.default_days)
            else:
                ladder[body.code] = (PRINCIPALS, self.top_days)
        return ladder


class Charter(_Section):
    """A validated charter. Build one with ``charter_parse`` or ``charter_read`` only."""

    charter_version: Literal[1]
    framework: FrameworkSpec
    parties: list[DelegationSpec]
    facilitators: list[DelegationSpec] = Field(default_factory=list)
    bodies: list[BodySpec] = Field(default_factory=list)
    mechanisms: list[MechanismSpec] = Field(default_factory=list)
    roadmap: RoadmapSpec
    escalation: EscalationSpec = Field(default_factory=EscalationSpec)

    _filename: str = PrivateAttr(default="")
    _sha256: str = PrivateAttr(default="")

    @property
    def filename(self) -> str:
        return self._filename

    @property
    def sha256(self) -> str:
        """SHA-256 (hex) of the charter's text, UTF-8 encoded: the identity of a version."""
        return self._sha256

    @property
    def code(self) -> str:
        return self.framework.code


# --- Locating nodes ------------------------------------------------------------------------


def _line_of(root: yaml.Node, loc: Sequence[str | int]) -> int:
    """The 1-based line of the node at ``loc``.

    A mapping entry is placed at its key; a missing key at the mapping that lacks it.
    """
    node: yaml.Node = root
    line = node.start_mark.line + 1
    for step in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                    line = key_node.start_mark.line + 1
                    child = value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            child = node.value[step]
            line = child.start_mark.line + 1
        if child is None:
            return node.start_mark.line + 1
        node = child
    return line


def _duplicate_key_problems(root: yaml.Node, filename: str) -> list[CharterProblem]:
    """Keys repeated within one mapping (PyYAML keeps the last one without a word)."""
    problems = []
    pending: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())]
    seen_nodes: set[int] = set()
    while pending:
        node, loc = pending.pop()
        if id(node) in seen_nodes:  # aliases share nodes
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in first_lines:
                    message = DUPLICATE_KEY.format(key=key, first_line=first_lines[key])
                    problems.append(
                        CharterProblem(filename, line, _format_path((*loc, key)), message)
                    )
                else:
                    first_lines[key] = line
                    pending.append((value_node, (*loc, key)))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((item, (*loc, index)) for index, item in enumerate(node.value))
    return problems


# --- Pydantic errors as sentences ----------------------------------------------------------


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _section_model(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class of the section at ``loc`` (to suggest keys), if ``loc`` names one."""
    model: type[BaseModel] = Charter
    for step in loc:
        if isinstance(step, int):
            continue
        field = model.model_fields.get(step)
        if field is None:
            return None
        annotation = field.annotation
        # list[Spec] -> Spec; a plain field is not a section.
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        else:
            return None
    return model


def _sentence(error: ErrorDetails) -> str:
    kind = error["type"]
    loc = error["loc"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    key = loc[-1] if loc else ""
    if kind == "missing":
        return f"The required key {key!r} is missing."
    if kind == "extra_forbidden":
        model = _section_model(loc[:-1])
        allowed = (
            sorted(field.alias or name for name, field in model.model_fields.items())
            if model
            else []
        )
        hint = _suggest(key, allowed)
        known = f" Known keys here: {', '.join(allowed)}." if allowed and not hint else ""
        return f"{key!r} is not a key of this section.{hint}{known}"
    if kind == "literal_error":
        if loc == ("charter_version",):
            return UNSUPPORTED_VERSION.format(version=value)
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'([^']*)'", expected)
        hint = _suggest(value, options)
        return f"{_describe(value)} is not allowed here; expected {expected}.{hint}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_type":
        return f"Expected text here, got {_describe(value)}."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"Expected a whole number here, got {_describe(value)}."
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        relation = "at least" if kind == "greater_than_equal" else "greater than"
        return f"The number must be {relation} {bound}, got {_describe(value)}."
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        relation = "at most" if kind == "less_than_equal" else "less than"
        return f"The number must be {relation} {bound}, got {_describe(value)}."
    if kind == "string_too_short":
        return "This must not be empty."
    if kind == "string_too_long":
        return f"This is too long: at most {ctx.get('max_length')} characters."
    if kind == "list_type":
        return f"Expected a list here, got {_describe(value)}."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"Expected a mapping (key: value entries) here, got {_describe(value)}."
    if kind in ("bool_type", "bool_parsing"):
        return f"Expected true or false here, got {_describe(value)}."
    message = error["msg"].rstrip(".")
    return f"{message[:1].upper()}{message[1:]} (got {_describe(value)})."


def _validation_problems(
    error: ValidationError, root: yaml.Node, filename: str
) -> list[CharterProblem]:
    return [
        CharterProblem(
            file=filename,
            line=_line_of(root, detail["loc"]),
            path=_format_path(detail["loc"]),
            message=_sentence(detail),
        )
        for detail in error.errors(include_url=False)
    ]


# --- Semantic checks -----------------------------------------------------------------------


def _entries(data: Mapping[str, Any], *keys: str) -> list[tuple[tuple[str | int, ...], dict]]:
    """The mapping entries of the list at ``keys``, with their paths; skips malformed ones."""
    container: Any = data
    for key in keys:
        container = container.get(key) if isinstance(container, Mapping) else None
    if not isinstance(container, list):
        return []
    return [((*keys, i), item) for i, item in enumerate(container) if isinstance(item, dict)]


def _str_list(item: Mapping[str, Any], key: str) -> list[tuple[int, str]]:
    values = item.get(key)
    if not isinstance(values, list):
        return []
    return [(i, value) for i, value in enumerate(values) if isinstance(value, str)]


def _as_date(value: Any) -> dt.date | None:
    try:
        result: dt.date = _date(value)
    except ValueError:
        return None
    return result


class _Checker:
    """Collect semantic problems as (loc, message) pairs; ``loc`` is located afterwards."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.found: list[tuple[tuple[str | int, ...], str]] = []

    def add(self, loc: tuple[str | int, ...], message: str) -> None:
        self.found.append((loc, message))

    def unique_codes(
        self, what: str, entries: list[tuple[tuple[str | int, ...], dict]]
    ) -> dict[str, tuple[str | int, ...]]:
        """Map each code to the path of its first entry, reporting the later duplicates."""
        first: dict[str, tuple[str | int, ...]] = {}
        for loc, item in entries:
            code = item.get("code")
            if not isinstance(code, str):
                continue
            if code in first:
                message = DUPLICATE_CODE.format(
                    what=what, code=code, first_path=_format_path(first[code])
                )
                self.add((*loc, "code"), message)
            else:
                first[code] = loc
        return first

    def run(self) -> None:
        parties = _entries(self.data, "parties")
        delegations = self.unique_codes("Delegation", parties + _entries(self.data, "facilitators"))
        if isinstance(self.data.get("parties"), list) and not self.data["parties"]:
            self.add(("parties",), NO_PARTY)
        bodies = _entries(self.data, "bodies")
        body_codes = self.unique_codes("Body", bodies)
        self.unique_codes("Mechanism", _entries(self.data, "mechanisms"))
        milestones = _entries(self.data, "roadmap", "milestones")
        milestone_codes = self.unique_codes("Milestone", milestones)

        self.check_bodies(bodies, body_codes, delegations)
        self.check_mechanisms(delegations)
        self.check_milestones(milestones, body_codes, milestone_codes)
        self.check_dates()
        self.check_escalation(bodies, body_codes)

    def check_escalation(
        self, bodies: list[tuple[tuple[str | int, ...], dict]], body_codes: Mapping[str, Any]
    ) -> None:
        rungs = _entries(self.data, "escalation", "rungs")
        escalation = self.data.get("escalation")
        principals = PRINCIPALS
        first: dict[str, tuple[str | int, ...]] = {}
        by_from: dict[str, str] = {}
        for loc, rung in rungs:
            index = loc[-1]
            source, target = rung.get("from"), rung.get("to")
            if isinstance(source, str):
                if source not in body_codes and source not in BODY_KINDS:
                    message = ESCALATION_UNKNOWN_FROM.format(
                        index=index, value=source, kinds=", ".join(BODY_KINDS)
                    )
                    hint = _suggest(source, [*body_codes, *BODY_KINDS])
                    self.add((*loc, "from"), message + hint)
                elif source in first:
                    message = ESCALATION_DUPLICATE_FROM.format(
                        value=source, first_path=_format_path(first[source])
                    )
                    self.add((*loc, "from"), message)
                else:
                    first[source] = loc
            if isinstance(target, str):
                if target not in body_codes and target != principals:
                    message = ESCALATION_UNKNOWN_TO.format(
                        index=index, value=target, principals=principals
                    )
                    hint = _suggest(target, [*body_codes, principals])
                    self.add((*loc, "to"), message + hint)
                elif target == source:
                    self.add((*loc, "to"), ESCALATION_TO_ITSELF.format(index=index, value=target))
                elif isinstance(source, str) and source not in by_from:
                    by_from[source] = target
        if not isinstance(escalation, dict) or not by_from:
            return
        # Resolve each body's next rung (code first, then kind) and look for a loop.
        kinds = {
            body.get("code"): body.get("kind") for _loc, body in bodies if isinstance(body, dict)
        }
        graph: dict[str, list[str]] = {}
        for code, kind in kinds.items():
            if not isinstance(code, str):
                continue
            target = by_from.get(code) or (by_from.get(kind) if isinstance(kind, str) else None)
            if target is not None and target in body_codes:
                graph[code] = [target]
        for cycle in _cycles(graph):
            if len(cycle) < 2 or cycle[0] == cycle[1]:
                continue  # a rung to itself is reported above
            self.add(
                ("escalation", "rungs"),
                ESCALATION_CYCLE.format(cycle=" → ".join(cycle), principals=principals),
            )

    def check_bodies(
        self,
        bodies: list[tuple[tuple[str | int, ...], dict]],
        body_codes: Mapping[str, Any],
        delegations: Mapping[str, Any],
    ) -> None:
        parent: dict[str, str] = {}
        for loc, body in bodies:
            code = body.get("code")
            target = body.get("reports_to")
            if isinstance(target, str):
                if target not in body_codes:
                    message = UNKNOWN_REPORTS_TO.format(body=code, target=target)
                    self.add((*loc, "reports_to"), message + _suggest(target, body_codes))
                elif isinstance(code, str):
                    parent.setdefault(code, target)
            chair = body.get("chair")
            if isinstance(chair, dict):
                for i, by in _str_list(chair, "by"):
                    if by not in delegations:
                        message = UNKNOWN_CHAIR.format(body=code, code=by)
                        self.add((*loc, "chair", "by", i), message + _suggest(by, delegations))
                self.check_chair_count(loc, code, chair)
        self.check_reporting_cycles(bodies, parent)

    def check_chair_count(self, loc: tuple[str | int, ...], code: Any, chair: dict) -> None:
        by = chair.get("by")
        count = len(by) if isinstance(by, list) else 0
        if chair.get("arrangement") == "chair" and count != 1:
            self.add((*loc, "chair", "by"), CHAIR_COUNT.format(body=code, count=count))
        if chair.get("arrangement") == "co_chairs" and count < 2:
            self.add((*loc, "chair", "by"), CO_CHAIR_COUNT.format(body=code, count=count))

    def check_reporting_cycles(
        self, bodies: list[tuple[tuple[str | int, ...], dict]], parent: dict[str, str]
    ) -> None:
        # Each body reports to at most one other, so following the chain from each body
        # either ends or runs into a cycle; each cycle is reported once, at its first body
        # in file order.
        reported: set[frozenset[str]] = set()
        for loc, body in bodies:
            start = body.get("code")
            if not isinstance(start, str) or start not in parent:
                continue
            chain = [start]
            current = parent[start]
            while current in parent and current not in chain:
                chain.append(current)
                current = parent[current]
            if current != start:
                continue  # the chain ends, or loops without passing through ``start`` again
            members = frozenset(chain)
            if members in reported:
                continue
            reported.add(members)
            cycle = " → ".join([*chain, start])
            self.add((*loc, "reports_to"), REPORTS_TO_CYCLE.format(cycle=cycle))

    def check_mechanisms(self, delegations: Mapping[str, Any]) -> None:
        for loc, mechanism in _entries(self.data, "mechanisms"):
            for i, code in _str_list(mechanism, "delegations"):
                if code not in delegations:
                    message = UNKNOWN_MECHANISM_DELEGATION.format(
                        mechanism=mechanism.get("code"), code=code
                    )
                    self.add((*loc, "delegations", i), message + _suggest(code, delegations))

    def check_milestones(
        self,
        milestones: list[tuple[tuple[str | int, ...], dict]],
        body_codes: Mapping[str, Any],
        milestone_codes: Mapping[str, Any],
    ) -> None:
        roadmap = self.data.get("roadmap")
        length = roadmap.get("length_days") if isinstance(roadmap, dict) else None
        due: dict[str, int] = {}
        for _loc, milestone in milestones:
            code, day = milestone.get("code"), milestone.get("due_day")
            if isinstance(code, str) and type(day) is int:
                due.setdefault(code, day)
        graph: dict[str, list[str]] = {}
        for loc, milestone in milestones:
            code = milestone.get("code")
            body = milestone.get("body")
            if isinstance(body, str) and body not in body_codes:
                message = UNKNOWN_MILESTONE_BODY.format(milestone=code, body=body)
                self.add((*loc, "body"), message + _suggest(body, body_codes))
            day = milestone.get("due_day")
            if type(day) is int and type(length) is int and length > 0 and day > length:
                message = DUE_AFTER_ROADMAP.format(milestone=code, due_day=day, length_days=length)
                self.add((*loc, "due_day"), message)
            for i, target in _str_list(milestone, "depends_on"):
                if target not in milestone_codes:
                    message = UNKNOWN_DEPENDENCY.format(milestone=code, target=target)
                    self.add((*loc, "depends_on", i), message + _suggest(target, milestone_codes))
                    continue
                if isinstance(code, str) and milestone_codes.get(code) == loc:
                    graph.setdefault(code, []).append(target)
                if type(day) is int and target in due and day < due[target]:
                    message = DUE_BEFORE_DEPENDENCY.format(
                        milestone=code, due_day=day, target=target, target_day=due[target]
                    )
                    self.add((*loc, "due_day"), message)
        for cycle in _cycles(graph):
            loc = milestone_codes[cycle[0]]
            self.add((*loc, "depends_on"), MILESTONE_CYCLE.format(cycle=" → ".join(cycle)))

    def check_dates(self) -> None:
        framework = self.data.get("framework")
        roadmap = self.data.get("roadmap")
        if not isinstance(framework, dict):
            return
        starts_on = _as_date(framework.get("starts_on"))
        ends_on = _as_date(framework.get("ends_on"))
        if starts_on and ends_on and ends_on < starts_on:
            message = ENDS_BEFORE_STARTS.format(ends_on=ends_on, starts_on=starts_on)
            self.add(("framework", "ends_on"), message)
        if not isinstance(roadmap, dict):
            return
        roadmap_starts_on = _as_date(roadmap.get("starts_on"))
        if starts_on and roadmap_starts_on and roadmap_starts_on < starts_on:
            message = ROADMAP_BEFORE_FRAMEWORK.format(
                roadmap_starts_on=roadmap_starts_on, starts_on=starts_on
            )
            self.add(("roadmap", "starts_on"), message)
        length = roadmap.get("length_days")
        if ends_on and roadmap_starts_on and type(length) is int and length > 0:
            last_day = roadmap_starts_on + dt.timedelta(days=length - 1)
            if last_day > ends_on:
                message = ROADMAP_AFTER_FRAMEWORK.format(last_day=last_day, ends_on=ends_on)
                self.add(("roadmap", "length_days"), message)


def _cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Cycles of ``graph`` found by depth-first search, each as ``[a, b, ..., a]``.

    Every strongly connected tangle yields at least one cycle; that is enough to point the
    author at the problem without listing every combination.
    """
    state: dict[str, str] = {}  # "active" while on the stack, "done" after
    cycles: list[list[str]] = []
    reported: set[frozenset[str]] = set()
    for start in graph:
        if start in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph.get(start, [])))]
        state[start] = "active"
        while stack:
            node, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                state[node] = "done"
                stack.pop()
            elif state.get(target) == "active":
                path = [entry for entry, _ in stack]
                cycle = [*path[path.index(target) :], target]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    cycles.append(cycle)
            elif target not in state:
                state[target] = "active"
                stack.append((target, iter(graph.get(target, []))))
    return cycles


# --- Entry points --------------------------------------------------------------------------


def _sorted(problems: list[CharterProblem]) -> list[CharterProblem]:
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda problem: (problem.line, problem.path))


def charter_parse(text: str, *, filename: str) -> Charter:
    """Parse and validate the charter ``text``; ``filename`` is only used in problems.

    Raise ``CharterInvalid`` with every problem found, in file order.
    """
    loader = _CharterLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = "; ".join(part for part in (error.context, error.problem) if part)
        message = YAML_SYNTAX.format(problem=problem or "syntax error")
        raise CharterInvalid([CharterProblem(filename, line, DOCUMENT_PATH, message)]) from None
    except yaml.YAMLError as error:
        message = YAML_SYNTAX.format(problem=str(error).strip() or "syntax error")
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, message)]) from None
    finally:
        loader.dispose()
    if root is None:
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, FILE_EMPTY)])

    # A different version may be a different format altogether: say only that.
    version = data.get("charter_version") if isinstance(data, dict) else None
    if version is not None and version != CHARTER_VERSION:
        line = _line_of(root, ("charter_version",))
        message = UNSUPPORTED_VERSION.format(version=version)
        raise CharterInvalid([CharterProblem(filename, line, "charter_version", message)])

    problems = _duplicate_key_problems(root, filename)
    charter: Charter | None = None
    try:
        charter = Charter.model_validate(data)
    except ValidationError as error:
        problems.extend(_validation_problems(error, root, filename))
    if isinstance(data, dict):
        checker = _Checker(data)
        checker.run()
        problems.extend(
            CharterProblem(filename, _line_of(root, loc), _format_path(loc), message)
            for loc, message in checker.found
        )
    if problems or charter is None:
        raise CharterInvalid(_sorted(problems))
    charter._filename = filename
    charter._sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return charter


def charter_read(path: str | os.PathLike[str]) -> Charter:
    """Read and validate the charter file at ``path`` (UTF-8; a leading BOM is allowed).

    Raise ``CharterInvalid`` for a missing or unreadable file as for an invalid charter;
    problems name the file as ``path`` was given.
    """
    filename = os.fspath(path)
    try:
        with open(filename, "rb") as file:
            raw = file.read()
    except FileNotFoundError:
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, FILE_NOT_FOUND)]) from None
    except OSError as error:
        message = FILE_UNREADABLE.format(reason=error.strerror or error)
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, message)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = FILE_NOT_UTF8.format(offset=error.start)
        raise CharterInvalid([CharterProblem(filename, line, DOCUMENT_PATH, message)]) from None
    return charter_parse(text, filename=filename)
