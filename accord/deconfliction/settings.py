"""The de-confliction mechanism's deadlines, read from its charter ``settings.deconfliction``.

Pure: pydantic only, no Django. ``deconfliction_settings_parse(mapping)`` returns a
validated ``DeconflictionSettings`` or raises ``DeconflictionSettingsInvalid`` whose
``problems`` are ``(path, message)`` pairs, the path relative to the sub-block (the
charter loader locates them in the file). Durations as in ``channels.settings``: minutes
(a number) or text with a unit (``"90s"``, ``"10m"``, ``"3h"``, ``"1d"``). Keys (all
optional; defaults in brackets)::

    deconfliction:
      movement_notice: 48h              # a movement is notified at least this long ahead
      emergency_notice: 24h             # ... and an emergency movement this long
      acknowledge_within: 24h           # each party acknowledges receipt within this
      emergency_acknowledge_within: 2h  # ... of an emergency movement
      escalation:                       # a missed acknowledgement climbs these rungs
        - {to: head_of_delegation, after: 0m}
        - {to: facilitators, after: 2h}
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.channels.settings import Duration, PositiveDuration

Rung = Literal["head_of_delegation", "facilitators"]
RUNGS: tuple[str, ...] = get_args(Rung)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EscalationRung(_Strict):
    to: Rung
    # Time after the acknowledgement deadline at which this rung is alerted.
    after: Duration = dt.timedelta(0)


def _default_ladder() -> list[EscalationRung]:
    return [
        EscalationRung(to="head_of_delegation", after=dt.timedelta(0)),
        EscalationRung(to="facilitators", after=dt.timedelta(hours=2)),
    ]


class DeconflictionSettings(_Strict):
    movement_notice: PositiveDuration = dt.timedelta(hours=48)
    emergency_notice: PositiveDuration = dt.timedelta(hours=24)
    acknowledge_within: PositiveDuration = dt.timedelta(hours=24)
    emergency_acknowledge_within: PositiveDuration = dt.timedelta(hours=2)
    escalation: list[EscalationRung] = Field(default_factory=_default_ladder)

    @model_validator(mode="after")
    def _check(self) -> DeconflictionSettings:
        if self.emergency_notice > self.movement_notice:
            raise ValueError("emergency_notice cannot be longer than movement_notice")
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

    def notice_for(self, *, emergency: bool) -> dt.timedelta:
        return self.emergency_notice if emergency else self.movement_notice

    def acknowledge_for(self, *, emergency: bool) -> dt.timedelta:
        return self.emergency_acknowledge_within if emergency else self.acknowledge_within


class DeconflictionSettingsInvalid(ValueError):
    """The sub-block is malformed; ``problems`` are (path inside it, message) pairs."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, p))}: {m}" for p, m in problems))


def deconfliction_settings_parse(mapping: Any) -> DeconflictionSettings:
    """Validate a mechanism's ``settings.deconfliction`` (None: every default)."""
    try:
        return DeconflictionSettings.model_validate(mapping or {})
    except ValidationError as error:
        problems = [
            (tuple(item["loc"]), item["msg"].removeprefix("Value error, "))
            for item in error.errors()
        ]
        raise DeconflictionSettingsInvalid(problems) from None
