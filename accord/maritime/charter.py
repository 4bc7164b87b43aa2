"""A maritime mechanism's settings, read from ``settings.maritime`` in the charter. Pure.

``maritime_settings_parse(code, mapping)`` returns ``MaritimeSettings`` or raises
``MaritimeSettingsInvalid`` whose ``problems`` are ``(loc, message)`` pairs inside
``settings.maritime`` (the charter check locates them in the file). Keys (defaults)::

    maritime:
      encounters:            # close-encounter rules, most severe first
        - {code: naval_naval, cpa_nm: 1.0, within: 20m, between: [naval, naval]}
        - {code: fast_craft_naval, cpa_nm: 2.0, within: 20m,
           between: [fast_craft, naval], approaching: true}
        - {code: close_approach, cpa_nm: 0.5, within: 20m}
      dark_after: 15m        # a vessel under way silent this long has gone dark
      clear_after: 5m        # an encounter no longer flagged this long is cleared
      territorial_sea_entry: [naval, coast_guard]   # whose entries into a territorial
                             # sea are flagged (commercial transit passage is normal)

``between`` names two affiliations or groups: ``own_navy``, ``other_navy``,
``coast_guard``, ``commercial``, ``fast_craft``, ``unknown``, or ``naval`` (either navy),
``any``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from accord.channels.settings import duration_parse
from accord.maritime.screening import AFFILIATIONS, NAVAL, Rule

GROUPS: dict[str, frozenset[str]] = {
    **{name: frozenset({name}) for name in AFFILIATIONS},
    "naval": NAVAL,
    "any": frozenset(AFFILIATIONS),
}

Duration = Annotated[dt.timedelta, BeforeValidator(duration_parse)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EncounterRule(_Strict):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    cpa_nm: float = Field(gt=0, le=20)
    within: Duration = dt.timedelta(minutes=20)
    between: tuple[str, str] | None = None
    approaching: bool = False

    @field_validator("between")
    @classmethod
    def _known(cls, value: tuple[str, str] | None) -> tuple[str, str] | None:
        for name in value or ():
            if name not in GROUPS:
                raise ValueError(f"{name!r} is not an affiliation; use one of {', '.join(GROUPS)}")
        return value

    def rule(self) -> Rule:
        between = (
            () if self.between is None else ((GROUPS[self.between[0]], GROUPS[self.between[1]]),)
        )
        return Rule(
            code=self.code,
            cpa_nm=self.cpa_nm,
            within_s=self.within.total_seconds(),
            between=between,
            approaching=self.approaching,
        )


def _default_rules() -> list[EncounterRule]:
    return [
        EncounterRule(code="naval_naval", cpa_nm=1.0, between=("naval", "naval")),
        EncounterRule(
            code="fast_craft_naval", cpa_nm=2.0, between=("fast_craft", "naval"), approaching=True
        ),
        EncounterRule(code="close_approach", cpa_nm=0.5),
    ]


class MaritimeSettings(_Strict):
    encounters: list[EncounterRule] = Field(default_factory=_default_rules, max_length=20)
    dark_after: Duration = dt.timedelta(minutes=15)
    clear_after: Duration = dt.timedelta(minutes=5)
    territorial_sea_entry: tuple[str, ...] = ("naval", "coast_guard")

    @field_validator("territorial_sea_entry")
    @classmethod
    def _groups(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if name not in GROUPS:
                raise ValueError(f"{name!r} is not an affiliation; use one of {', '.join(GROUPS)}")
        return value

    def territorial_sea_affiliations(self) -> frozenset[str]:
        """The affiliations whose entry into a territorial sea matters to the channel."""
        return frozenset().union(*(GROUPS[name] for name in self.territorial_sea_entry))

    @field_validator("encounters")
    @classmethod
    def _unique(cls, value: list[EncounterRule]) -> list[EncounterRule]:
        codes = [rule.code for rule in value]
        for code in codes:
            if codes.count(code) > 1:
                raise ValueError(f"the rule code {code!r} appears twice")
        return value

    def rules(self) -> list[Rule]:
        return [rule.rule() for rule in self.encounters]


class MaritimeSettingsInvalid(ValueError):
    def __init__(self, mechanism_code: str, problems: list[tuple[tuple[str | int, ...], str]]):
        self.mechanism_code = mechanism_code
        self.problems = problems
        super().__init__(
            "; ".join(
                f"Mechanism {mechanism_code!r}: settings.maritime"
                + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
                + f": {message}"
                for loc, message in problems
            )
        )


def maritime_settings_parse(mechanism_code: str, mapping: Any) -> MaritimeSettings:
    """``mapping`` (a mechanism's ``settings.maritime``, or None) as settings."""
    try:
        return MaritimeSettings.model_validate(mapping or {})
    except ValidationError as error:
        problems = [
            (tuple(item["loc"]), item["msg"].removeprefix("Value error, "))
            for item in error.errors()
        ]
        raise MaritimeSettingsInvalid(mechanism_code, problems) from None
