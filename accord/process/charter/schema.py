"""The charter format: field types and the pydantic models of each section (no Django).

Pass one of validation: shape and types, with unknown keys refused. What spans several
entries (references, cycles, dates) is ``checks``; turning text into a ``Charter`` is
``loading``. ``docs/charter-format.md`` is the reference for every key.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import zoneinfo
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from accord import day_range
from accord.geo.zones import Geography
from accord.process import vocabulary
from accord.process.charter.problems import describe, suggest
from accord.process.vocabulary import PRINCIPALS

CHARTER_VERSION = 1

# --- Field types ---------------------------------------------------------------------------


def as_date_value(value: Any) -> Any:
    """Accept a calendar date written YYYY-MM-DD (left as text by ``_CharterLoader``)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{value!r} is not a real date ({error}).") from None
        if not day_range.day_in_range(day):
            raise ValueError(
                f"{value!r} is outside the dates Accord keeps "
                f"({day_range.EARLIEST} to {day_range.LATEST})."
            )
        return day
    raise ValueError(f"{describe(value)} is not a date; write dates as YYYY-MM-DD.")


@functools.cache
def _timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = suggest(value, _timezone_names())
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
        raise ValueError(f'{describe(value)} is not a colour; write it as "#rrggbb".')
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


def _geo_file(value: str) -> str:
    if value and (value.startswith(("/", "\\")) or ".." in value.replace("\\", "/").split("/")):
        raise ValueError(
            f"{value!r} must be a path inside the charter's folder, as in "
            "'geo/hormuz-area.geojson'."
        )
    if value and not value.endswith((".geojson", ".json")):
        raise ValueError(f"{value!r} is not a GeoJSON file (.geojson or .json).")
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


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


def _language_code(value: str) -> str:
    if not _LANGUAGE_CODE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a language code; write one such as 'en', 'fa', 'ar' or 'ur'."
        )
    return value


# Fields a charter may write in several languages (issue 20, point 6; decision 0164):
# ``name: {en: …, fa: …}``. English is required (every page falls back to it).
TRANSLATABLE = ("name", "short_name", "mandate", "purpose")


def _split_translations(data: Any, *, location: str) -> Any:
    """Turn ``field: {en: …, fa: …}`` into ``field: …`` (the English) and the other
    languages into ``translations: {field: {fa: …}}``, for the fields ``TRANSLATABLE``."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    translations: dict[str, dict[str, Any]] = {}
    for field in TRANSLATABLE:
        value = data.get(field)
        if not isinstance(value, dict):
            continue
        if "en" not in value:
            languages = ", ".join(str(k) for k in value) or "none"
            raise ValueError(
                f"{location} {field!r} is written in several languages ({languages}) but not "
                f"in English: add 'en:', which every page falls back to."
            )
        data[field] = value["en"]
        others = {k: v for k, v in value.items() if k != "en"}
        if others:
            translations[field] = others
    if translations:
        data["translations"] = translations
    return data


# Lengths match the database columns, so a valid charter always fits.
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ShortName = Annotated[str, StringConstraints(max_length=80)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Area = Annotated[str, StringConstraints(max_length=200)]
GeoFile = Annotated[str, StringConstraints(max_length=300), AfterValidator(_geo_file)]
Language = Annotated[
    str, StringConstraints(min_length=1, max_length=16), AfterValidator(_language_code)
]
Translated = Annotated[str, StringConstraints(min_length=1)]
# field -> language -> words: what a charter wrote besides the English.
Translations = dict[Literal["name", "short_name", "mandate", "purpose"], dict[Language, Translated]]
LongText = Annotated[str, StringConstraints(min_length=1)]
Date = Annotated[dt.date, BeforeValidator(as_date_value)]
TimezoneName = Annotated[str, StringConstraints(max_length=64), AfterValidator(_timezone)]
Colour = Annotated[str, BeforeValidator(_colour)]
DelegationCode = Annotated[str, StringConstraints(max_length=16), AfterValidator(_code)]
Code = Annotated[str, StringConstraints(max_length=32), AfterValidator(_code)]
Slug = Annotated[str, StringConstraints(max_length=64), AfterValidator(_slug)]
BodyKind = vocabulary.BodyKind
ChairArrangement = vocabulary.ChairArrangement
MechanismKind = vocabulary.MechanismKind
Role = vocabulary.Role


# --- The format ----------------------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Translatable(_Section):
    """A section whose names (and mandate or purpose) may be written in several languages."""

    translations: Translations = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _languages(cls, data: Any) -> Any:
        code = data.get("code", "") if isinstance(data, dict) else ""
        return _split_translations(data, location=f"{code!r}:" if code else "This entry's")

    def translated(self, field: str, language: str) -> str:
        """``field`` in ``language`` if the charter wrote it so, else in English."""
        words = self.translations.get(field, {})  # type: ignore[call-overload]
        return str(words.get(language) or getattr(self, field))


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


class DelegationSpec(_Translatable):
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


class BodySpec(_Translatable):
    """A standing body: a committee, working group or commission."""

    code: Code
    name: Name
    short_name: ShortName = ""
    kind: BodyKind
    reports_to: Code | None = None
    mandate: LongText
    chair: ChairSpec
    member_roles: list[Role] = Field(default_factory=list)


class MechanismSpec(_Translatable):
    """A standing channel or mechanism."""

    code: Code
    name: Name
    short_name: ShortName = ""
    kind: MechanismKind
    purpose: LongText
    area: Area = ""
    # The mechanism's geography (accord.geo.zones): GeoJSON files beside the charter.
    area_file: GeoFile = ""
    zones: list[GeoFile] = Field(default_factory=list)
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


# --- Compliance (issue 17) -----------------------------------------------------------------


class VerifierSpec(_Section):
    """Who verifies: those appointed ``role`` in ``body`` (the JCPOA's IAEA)."""

    body: Code
    role: Role = Role.VERIFIER


class AccessRequestClockSpec(_Section):
    """An access request's own clock, in days: the party agrees, else the joint body
    decides, then the party implements (JCPOA Annex I ¶78: 14, 7, 3)."""

    agree_days: Annotated[int, Field(ge=1, le=365)] = 14
    decide_days: Annotated[int, Field(ge=1, le=365)] = 7
    implement_days: Annotated[int, Field(ge=1, le=365)] = 3


class DisputeStageSpec(_Section):
    """One stage of dispute resolution: ``days`` allowed, ``extendable`` by a decision;
    ``alongside``: the stage it may run in parallel with or instead of (JCPOA ¶36)."""

    code: Code
    name: Name
    days: Annotated[int, Field(ge=1, le=365)]
    extendable: bool = False
    alongside: Code | None = None


def _default_dispute_stages() -> list[DisputeStageSpec]:
    # JCPOA ¶36-37.
    return [
        DisputeStageSpec(
            code="joint-commission", name="Joint Commission", days=15, extendable=True
        ),
        DisputeStageSpec(code="ministers", name="Ministers", days=15),
        DisputeStageSpec(
            code="advisory-board", name="Advisory Board", days=15, alongside="ministers"
        ),
        DisputeStageSpec(
            code="consideration", name="Joint Commission considers the opinion", days=5
        ),
    ]


class ComplianceSpec(_Section):
    """Implementation structures (``docs/charter-format.md``, "compliance"): the
    verifier, the standing joint body and its convening deadlines, the access-request
    clock and the dispute-resolution stages (after JCPOA ¶36-37 when left out)."""

    verifier: VerifierSpec | None = None
    joint_body: Code | None = None
    convene_within_days: Annotated[int, Field(ge=1, le=365)] = 7
    convene_urgent_within_days: Annotated[int, Field(ge=1, le=365)] = 3
    access_request: AccessRequestClockSpec = Field(default_factory=AccessRequestClockSpec)
    dispute_stages: Annotated[list[DisputeStageSpec], Field(min_length=1)] = Field(
        default_factory=_default_dispute_stages
    )


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
    compliance: ComplianceSpec = Field(default_factory=ComplianceSpec)

    _filename: str = PrivateAttr(default="")
    _sha256: str = PrivateAttr(default="")
    _geography: dict[str, Geography] = PrivateAttr(default_factory=dict)

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

    def geography_of(self, mechanism_code: str) -> Geography:
        """The area and zones of the mechanism ``mechanism_code`` (empty if it names none)."""
        return self._geography.get(mechanism_code) or Geography()
