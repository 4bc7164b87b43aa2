"""The charter's ``compliance:`` section as the app reads it (no Django).

``Process.compliance`` holds the section as loaded (``process.charter.ComplianceSpec``
dumped to JSON); a process loaded before the section existed reads the JCPOA defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    days: int
    extendable: bool
    # The stage this one may run beside ("in parallel") or replace ("instead"): the
    # JCPOA's advisory board beside the ministers (¶36). None: only in its turn.
    alongside: str | None = None


@dataclass(frozen=True)
class Terms:
    verifier_body: str | None
    verifier_role: str
    joint_body: str | None
    convene_days: int
    convene_urgent_days: int
    agree_days: int
    decide_days: int
    implement_days: int
    stages: tuple[Stage, ...]

    def stage(self, code: str) -> Stage | None:
        return next((s for s in self.stages if s.code == code), None)

    def after(self, code: str) -> Stage | None:
        """The stage that follows ``code``, or None after the last."""
        codes = [s.code for s in self.stages]
        index = codes.index(code) if code in codes else len(codes)
        return self.stages[index + 1] if index + 1 < len(codes) else None

    def next_not_entered(self, code: str, entered: set[str]) -> Stage | None:
        """The first stage after ``code`` not yet entered (a stage opened beside or
        instead of another is not entered twice), or None after the last."""
        following = self.after(code)
        while following is not None and following.code in entered:
            following = self.after(following.code)
        return following

    def before(self, code: str) -> Stage | None:
        """The stage just before ``code`` in the charter's order, or None for the first."""
        codes = [s.code for s in self.stages]
        index = codes.index(code) if code in codes else 0
        return self.stages[index - 1] if index > 0 else None


DEFAULT_STAGES = (
    Stage("joint-commission", "Joint Commission", 15, True),
    Stage("ministers", "Ministers", 15, False),
    Stage("advisory-board", "Advisory Board", 15, False, alongside="ministers"),
    Stage("consideration", "Joint Commission considers the opinion", 5, False),
)


def terms_of(section: Mapping[str, Any] | None) -> Terms:
    """The terms in ``section`` (a process's ``compliance`` JSON), defaults filled in."""
    data = dict(section or {})
    verifier = data.get("verifier") or {}
    clock = data.get("access_request") or {}
    stages = tuple(
        Stage(
            str(s["code"]),
            str(s["name"]),
            int(s["days"]),
            bool(s.get("extendable")),
            str(s["alongside"]) if s.get("alongside") else None,
        )
        for s in data.get("dispute_stages") or ()
    )
    return Terms(
        verifier_body=verifier.get("body"),
        verifier_role=str(verifier.get("role") or "verifier"),
        joint_body=data.get("joint_body"),
        convene_days=int(data.get("convene_within_days", 7)),
        convene_urgent_days=int(data.get("convene_urgent_within_days", 3)),
        agree_days=int(clock.get("agree_days", 14)),
        decide_days=int(clock.get("decide_days", 7)),
        implement_days=int(clock.get("implement_days", 3)),
        stages=stages or DEFAULT_STAGES,
    )
