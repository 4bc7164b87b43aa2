"""Initial, update and final incident reports as plain text (no Django).

The layout follows merchant-shipping practice (UKMTO-style: a numbered block of
position, time, course, speed and description) so that a watch officer can read it
aloud or paste it into a signal. The caller passes the words already translated
(``labels``) and the values already formatted; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ReportKind(StrEnum):
    INITIAL = "initial"
    UPDATE = "update"
    FINAL = "final"


@dataclass(frozen=True)
class ReportLine:
    """One numbered line: ``label`` and its value (several lines of text allowed)."""

    label: str
    value: str


@dataclass(frozen=True)
class ReportText:
    """What a report says, in order; ``history`` lists the steps so far (update, final)."""

    title: str
    lines: Sequence[ReportLine]
    history: Sequence[str] = field(default_factory=tuple)
    history_title: str = ""


def position_text(latitude: float, longitude: float) -> str:
    """``26°34.20'N 056°15.00'E``: degrees and decimal minutes, as charts and signals give them."""

    def part(value: float, positive: str, negative: str, width: int) -> str:
        hemisphere = positive if value >= 0 else negative
        value = abs(value)
        degrees = int(value)
        minutes = (value - degrees) * 60
        if round(minutes, 2) >= 60:
            degrees, minutes = degrees + 1, 0.0
        return f"{degrees:0{width}d}°{minutes:05.2f}'{hemisphere}"

    return f"{part(latitude, 'N', 'S', 2)} {part(longitude, 'E', 'W', 3)}"


def report_text(report: ReportText) -> str:
    """The report as text: a title, numbered lines, then the history if any."""
    out = [report.title, "=" * len(report.title), ""]
    width = len(str(len(report.lines)))
    for number, line in enumerate(report.lines, start=1):
        lines = (line.value or "-").splitlines() or ["-"]
        out.append(f"{number:>{width}}. {line.label}: {lines[0]}")
        indent = " " * (width + 2)
        out.extend(f"{indent}{rest}" for rest in lines[1:])
    if report.history:
        out += ["", report.history_title, "-" * len(report.history_title)]
        out.extend(f"- {entry}" for entry in report.history)
    return "\n".join(out) + "\n"


def report_kind_for(step: str, *, closed_steps: Mapping[str, object]) -> ReportKind:
    """Which report a step calls for: initial when reported, final when closed, else update."""
    if step == "closed":
        return ReportKind.FINAL
    if step == "reported" and len(closed_steps) <= 1:
        return ReportKind.INITIAL
    return ReportKind.UPDATE
