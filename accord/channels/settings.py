"""A channel's settings, read from its mechanism's free-form ``settings`` in the charter.

Pure: pydantic only, no Django. ``channel_settings_parse(code, mapping)`` returns a
validated ``ChannelSettings`` or raises ``ChannelSettingsInvalid`` naming the mechanism
and the key, e.g. ``Mechanism 'DCC': settings.acknowledge_within.FLASH: ...``.

Durations are minutes (a number) or text with a unit: ``"90s"``, ``"10m"``, ``"3h"``,
``"1d"``. Charter keys (all optional; defaults in brackets)::

    acknowledge_within:      {FLASH: 10m, IMMEDIATE: 30m, PRIORITY: 3h, ROUTINE: 24h}
    urgent_max_words:        200   # FLASH and IMMEDIATE texts are kept short
    link_test:               {every: 6h, acknowledge_within: 10m, enabled: true}
    escalation:              [{to: backup_duty_officer, after: 0m},
                              {to: head_of_delegation, after: 15m},
                              {to: facilitators, after: 1h}]
    attachment_max_bytes:    5000000
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)


class Precedence(StrEnum):
    """Message precedence, highest first when sorted by ``PRECEDENCE_RANK``."""

    FLASH = "FLASH"
    IMMEDIATE = "IMMEDIATE"
    PRIORITY = "PRIORITY"
    ROUTINE = "ROUTINE"


PRECEDENCE_RANK = {p: i for i, p in enumerate(Precedence)}
URGENT = frozenset({Precedence.FLASH, Precedence.IMMEDIATE})
Rung = Literal["backup_duty_officer", "head_of_delegation", "facilitators"]
RUNGS: tuple[str, ...] = get_args(Rung)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


def duration_parse(value: Any) -> dt.timedelta:
    """Minutes as a number, or ``"<n><s|m|h|d>"``; must be positive."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, bool):
        raise ValueError("a duration is minutes (a number) or text like '10m', '3h', '1d'")
    elif isinstance(value, int | float):
        seconds = float(value) * 60
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    else:
        raise ValueError("a duration is minutes (a number) or text like '10m', '3h', '1d'")
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    return dt.timedelta(seconds=seconds)


def _positive(value: dt.timedelta) -> dt.timedelta:
    if value <= dt.timedelta(0):
        raise ValueError("must be longer than zero")
    return value


def duration_text(value: dt.timedelta) -> str:
    """``"6 h"``, ``"10 min"``, ``"1 d 2 h"``, ``"90 s"``: for people, not for parsing."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size} {unit}")
            seconds %= size
    return " ".join(parts) or "0 s"


Duration = Annotated[dt.timedelta, BeforeValidator(duration_parse)]
PositiveDuration = Annotated[
    dt.timedelta, BeforeValidator(duration_parse), AfterValidator(_positive)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AcknowledgeWithin(_Strict):
    FLASH: PositiveDuration = dt.timedelta(minutes=10)
    IMMEDIATE: PositiveDuration = dt.timedelta(minutes=30)
    PRIORITY: PositiveDuration = dt.timedelta(hours=3)
    ROUTINE: PositiveDuration = dt.timedelta(hours=24)

    def for_precedence(self, precedence: str) -> dt.timedelta:
        value: dt.timedelta = getattr(self, Precedence(precedence).value)
        return value


class LinkTest(_Strict):
    enabled: bool = True
    every: PositiveDuration = dt.timedelta(hours=6)
    acknowledge_within: PositiveDuration = dt.timedelta(minutes=10)


class EscalationRung(_Strict):
    to: Rung
    # Time after the acknowledgement deadline at which this rung is alerted.
    after: Duration = dt.timedelta(0)


def _default_ladder() -> list[EscalationRung]:
    return [
        EscalationRung(to="backup_duty_officer", after=dt.timedelta(0)),
        EscalationRung(to="head_of_delegation", after=dt.timedelta(minutes=15)),
        EscalationRung(to="facilitators", after=dt.timedelta(hours=1)),
    ]


class ChannelSettings(_Strict):
    acknowledge_within: AcknowledgeWithin = Field(default_factory=AcknowledgeWithin)
    urgent_max_words: int = Field(default=200, ge=1, le=10_000)
    link_test: LinkTest = Field(default_factory=LinkTest)
    escalation: list[EscalationRung] = Field(default_factory=_default_ladder)
    attachment_max_bytes: int = Field(default=5_000_000, ge=1, le=50_000_000)

    @model_validator(mode="after")
    def _check(self) -> ChannelSettings:
        previous = dt.timedelta(0)
        seen: set[str] = set()
        for rung in self.escalation:
            if rung.to in seen:
                raise ValueError(f"escalation: {rung.to} appears twice")
            if rung.after < previous:
                raise ValueError("escalation: rungs must come in order of 'after'")
            seen.add(rung.to)
            previous = rung.after
        return self


class ChannelSettingsInvalid(ValueError):
    """A mechanism's channel settings are malformed; the message names mechanism and key."""

    def __init__(self, mechanism_code: str, problems: list[str]) -> None:
        self.mechanism_code = mechanism_code
        self.problems = problems
        super().__init__("; ".join(problems))


def channel_settings_parse(mechanism_code: str, mapping: Any) -> ChannelSettings:
    """Validate ``mapping`` (a mechanism's charter ``settings``) as channel settings.

    Keys that belong to other apps are allowed only under other names: this model
    forbids unknown keys so that a typo (``acknowledge_whithin``) is an error, not a
    silently ignored default. Other apps' keys go under their own sub-mapping, listed in
    ``FOREIGN_KEYS``.
    """
    data = dict(mapping or {})
    for key in FOREIGN_KEYS:
        data.pop(key, None)
    try:
        return ChannelSettings.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            key = f"settings.{where}" if where else "settings"
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"Mechanism {mechanism_code!r}: {key}: {message}")
        raise ChannelSettingsInvalid(mechanism_code, problems) from None
    except ValueError as error:
        raise ChannelSettingsInvalid(
            mechanism_code, [f"Mechanism {mechanism_code!r}: settings: {error}"]
        ) from None


# Sub-mappings of a mechanism's settings owned by other apps (maritime, de-confliction).
FOREIGN_KEYS = ("maritime", "deconfliction", "incidents", "notifications")
