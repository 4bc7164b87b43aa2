"""The incident protocol of a maritime channel: categories, steps, deadlines (no Django).

An incident at sea moves through fixed steps, each with a deadline from the charter::

    reported → acknowledged → information_exchanged → de_escalation_agreed → closed
                 (any step past its deadline) → referred (to the HLC's next agenda)

A referred incident can still be closed. The charter's keys live in the ``incidents:``
sub-block of the mechanism's ``settings`` (the channels parser leaves it alone) and are
all optional; defaults in brackets::

    incidents:
      precedence:    {collision: FLASH, simulated_attack: FLASH, ...}   # [CATEGORY_PRECEDENCE]
      deadlines:     {acknowledged: 30m, information_exchanged: 24h,
                      de_escalation_agreed: 3d, closed: 7d}
      refer_to:      HLC                                                # a body code

Durations as in the channel settings (``"10m"``, ``"3h"``, ``"1d"``, or minutes).
``incident_settings_parse`` returns a validated ``IncidentSettings`` or raises
``IncidentSettingsInvalid`` whose ``located`` lists ``(path, message)`` pairs under the
sub-block, for the charter loader to put a file and line on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from accord.channels.settings import PositiveDuration, Precedence


class Category(StrEnum):
    """What happened, in the vocabulary of INCSEA, CUES and merchant-shipping reporting."""

    UNSAFE_MANOEUVRE = "unsafe_manoeuvre"
    CLOSE_APPROACH = "close_approach"
    SIMULATED_ATTACK = "simulated_attack"
    LASER_ILLUMINATION = "laser_illumination"
    FAST_CRAFT_HARASSMENT = "fast_craft_harassment"
    BOARDING_OR_SEIZURE = "boarding_or_seizure"
    GNSS_INTERFERENCE = "gnss_interference"
    COLLISION = "collision"
    SEARCH_AND_RESCUE = "search_and_rescue"


class Step(StrEnum):
    """Where an incident stands in the protocol."""

    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    INFORMATION_EXCHANGED = "information_exchanged"
    DE_ESCALATION_AGREED = "de_escalation_agreed"
    CLOSED = "closed"
    REFERRED = "referred"


# The protocol's line: each step and the one after it.
LINE: tuple[Step, ...] = (
    Step.REPORTED,
    Step.ACKNOWLEDGED,
    Step.INFORMATION_EXCHANGED,
    Step.DE_ESCALATION_AGREED,
    Step.CLOSED,
)
OPEN_STEPS = frozenset(LINE[:-1]) | {Step.REFERRED}


def step_next(step: Step | str) -> Step | None:
    """The step that follows ``step`` on the line; a referred incident can only close."""
    step = Step(step)
    if step is Step.REFERRED:
        return Step.CLOSED
    if step is Step.CLOSED:
        return None
    return LINE[LINE.index(step) + 1]


def step_is_due(step: Step | str) -> bool:
    """Does reaching the step after ``step`` have a deadline (a referred one has none)?"""
    return Step(step) in frozenset(LINE[:-1])


# Attacks and collisions cannot wait: FLASH; what threatens a ship now: IMMEDIATE.
CATEGORY_PRECEDENCE: dict[Category, Precedence] = {
    Category.UNSAFE_MANOEUVRE: Precedence.IMMEDIATE,
    Category.CLOSE_APPROACH: Precedence.IMMEDIATE,
    Category.SIMULATED_ATTACK: Precedence.FLASH,
    Category.LASER_ILLUMINATION: Precedence.IMMEDIATE,
    Category.FAST_CRAFT_HARASSMENT: Precedence.IMMEDIATE,
    Category.BOARDING_OR_SEIZURE: Precedence.FLASH,
    Category.GNSS_INTERFERENCE: Precedence.PRIORITY,
    Category.COLLISION: Precedence.FLASH,
    Category.SEARCH_AND_RESCUE: Precedence.FLASH,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Deadlines(_Strict):
    """How long after the previous step each step must be reached."""

    acknowledged: PositiveDuration = dt.timedelta(minutes=30)
    information_exchanged: PositiveDuration = dt.timedelta(hours=24)
    de_escalation_agreed: PositiveDuration = dt.timedelta(days=3)
    closed: PositiveDuration = dt.timedelta(days=7)

    def within(self, step: Step | str) -> dt.timedelta:
        """The time allowed to reach ``step`` from the one before it."""
        value: dt.timedelta = getattr(self, Step(step).value)
        return value


class IncidentSettings(_Strict):
    precedence: dict[Category, Precedence] = Field(default_factory=dict)
    deadlines: Deadlines = Field(default_factory=Deadlines)
    refer_to: str = Field(default="HLC", min_length=1, max_length=40)

    @field_validator("precedence", mode="before")
    @classmethod
    def _known(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            known = {c.value for c in Category}
            for key in value:
                if key not in known:
                    choices = ", ".join(sorted(known))
                    raise ValueError(f"{key!r} is not an incident category (one of: {choices})")
        return value

    def precedence_of(self, category: Category | str) -> Precedence:
        """The channel precedence a report of ``category`` is sent with."""
        category = Category(category)
        return self.precedence.get(category, CATEGORY_PRECEDENCE[category])

    def deadline_after(self, step: Step | str, since: dt.datetime) -> dt.datetime | None:
        """When the step after ``step`` falls due, counted from ``since``; None if none."""
        following = step_next(step)
        if not step_is_due(step) or following is None:
            return None
        return since + self.deadlines.within(following)


class IncidentSettingsInvalid(ValueError):
    """The ``incidents`` sub-block is malformed; ``located`` has (path, message) pairs."""

    def __init__(self, mechanism_code: str, located: list[tuple[tuple[str | int, ...], str]]):
        self.mechanism_code = mechanism_code
        self.located = located
        super().__init__(
            "; ".join(
                f"Mechanism {mechanism_code!r}: settings.incidents"
                + "".join(f".{part}" for part in path)
                + f": {message}"
                for path, message in located
            )
        )


def incident_settings_parse(mechanism_code: str, settings: Any) -> IncidentSettings:
    """The ``incidents`` sub-block of a mechanism's ``settings``, validated (defaults if absent)."""
    block = settings.get("incidents") if isinstance(settings, Mapping) else None
    if block is None:
        return IncidentSettings()
    if not isinstance(block, Mapping):
        raise IncidentSettingsInvalid(mechanism_code, [((), "must be a mapping of keys")])
    try:
        return IncidentSettings.model_validate(dict(block))
    except ValidationError as error:
        located = []
        for item in error.errors():
            path = tuple(item["loc"])
            message = item["msg"].removeprefix("Value error, ")
            located.append((path, message))
        raise IncidentSettingsInvalid(mechanism_code, located) from None


@dataclass(frozen=True)
class StepDue:
    """The step an incident must reach next and by when (``deadline``: aware UTC)."""

    step: Step
    deadline: dt.datetime
