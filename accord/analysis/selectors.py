"""Reads of the analysis: a text's issues, a party's own preferences, and for the
facilitators the frontier, the bargaining solutions, the ZOPA and the tabled packages.

Issues come from drafting's and divergences' selectors (what ``actor`` may read of the
text and the register), computed anew on every read so they follow the text. The
frontier reads only ``SharedPreference`` rows (scope ``facilitators``) through
``accounts.access.restrict``: a party's own row (``party:<code>``) never reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accord.accounts import access as policy
from accord.analysis import access, issues, pareto
from accord.analysis.issues import Built, Choice, Issue
from accord.analysis.models import NonPaper, Preference, SharedPreference
from accord.divergences import selectors as divergence_selectors
from accord.drafting import selectors as drafting_selectors
from accord.drafting.models import Document

if TYPE_CHECKING:
    from accord.accounts.models import User

SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian")


def document_list(*, actor: User | None) -> list[tuple[Document, int]]:
    """The texts ``actor`` may read that have open issues, with their number of issues."""
    out = []
    for document in drafting_selectors.document_list(actor=actor):
        if document.frozen:
            continue
        found = document_issues(actor=actor, document=document)
        if found:
            out.append((document, len(found)))
    return out


def document_issues(*, actor: User | None, document: Document) -> list[issues.Issue]:
    """``document``'s open issues: its option sets, then its body's open divergences with
    at least two shared positions or bridging proposals (those tied to a provision with
    an option set are that option set already)."""
    provisions = drafting_selectors.provision_list(actor=actor, document=document)
    found = issues.text_issues([(p.wid, p.label or p.wid, p.text) for p in provisions])
    with_sets = {f"provision:{i.wid}" for i in found}
    for divergence in divergence_selectors.divergence_list(
        actor=actor, status="unresolved", body_code=document.body.code
    ):
        if with_sets.intersection(divergence.provisions or []):
            continue
        options = [
            (str(p.public_id), f"{p.delegation.code}: {p.text}")
            for p in getattr(divergence, "visible_positions", [])
            if p.is_shared
        ]
        options += [
            (str(b.public_id), b.text)
            for b in divergence_selectors.bridging_list(actor=actor, divergence=divergence)
        ]
        if len(options) >= 2:
            label = f"{divergence.code}: {divergence.title}"
            found.append(issues.divergence_issue(str(divergence.public_id), label, options))
    return found


def preference_own(*, actor: User | None, document: Document) -> Preference | None:
    """``actor``'s delegation's own preferences on ``document`` (never another's)."""
    return access.preference_access(actor, document)


def shared_preferences(*, actor: User | None, document: Document) -> QuerySet[SharedPreference]:
    """The preferences shared with the facilitators on ``document`` (facilitators only:
    the rows' scope is ``facilitators``)."""
    return policy.restrict(
        SharedPreference.objects.filter(document=document), actor
    ).select_related("delegation")


def non_paper_list(*, actor: User | None, document: Document) -> QuerySet[NonPaper]:
    """The packages tabled from ``document``'s analysis (facilitators only)."""
    return policy.restrict(NonPaper.objects.filter(source=document), actor).select_related(
        "document", "created_by"
    )


@dataclass(frozen=True)
class Solution:
    key: str
    point: pareto.Point | None
    shares: list[float] = field(default_factory=list)


@dataclass
class Analysis:
    """Everything the facilitators' frontier page and API show."""

    document: Document
    issues: list[Issue]
    parties: list[str]
    missing: list[str]  # parties who have not shared (they are left out)
    unscored: dict[str, list[str]]  # party -> option keys it has not scored (new options)
    built: Built | None
    frontier: list[pareto.Point]
    solutions: list[Solution]
    current: tuple[int, ...]
    current_shares: list[float]
    current_optimal: bool
    chosen: tuple[int, ...]
    chosen_shares: list[float]
    improvements: list[pareto.Point]
    zopa: list[pareto.Point]
    reservations: list[float]

    @property
    def ready(self) -> bool:
        return self.built is not None and bool(self.issues)

    def shares(self, point: pareto.Point) -> list[float]:
        assert self.built is not None
        return self.built.shares(point.utilities)

    def labels(self, package: tuple[int, ...]) -> list[tuple[Issue, Choice]]:
        return [(i, i.options[j]) for i, j in zip(self.issues, package, strict=True)]


def _package(raw: list[int] | None, found: list[issues.Issue]) -> tuple[int, ...] | None:
    if raw is None or len(raw) != len(found):
        return None
    if not all(0 <= j < len(i.options) for i, j in zip(found, raw, strict=True)):
        return None
    return tuple(raw)


def analysis_of(
    *, actor: User | None, document: Document, package: list[int] | None = None
) -> Analysis:
    """The frontier of ``document`` from the consenting parties' shared preferences, with
    the solutions, where the text stands, the improvements over ``package`` (a list of
    option indexes, one per issue; the text as it stands if None or invalid) and the
    ZOPA. The caller has checked ``access.may_analyse``."""
    found = document_issues(actor=actor, document=document)
    shared = list(shared_preferences(actor=actor, document=document))
    codes = {s.delegation.code for s in shared}
    parties = [
        d.code
        for d in drafting_selectors.party_list(actor=actor)
        if d.process_id == document.process_id
    ]
    missing = [c for c in parties if c not in codes]
    prefs = [
        issues.PartyPreferences(s.delegation.code, s.weights, s.scores, s.reservation)
        for s in shared
    ]
    unscored = {p.code: sorted(p.unscored(found)) for p in prefs}
    current = issues.current_package(found)
    chosen = _package(package, found) or current
    empty = Analysis(
        document, found, [p.code for p in prefs], missing, unscored, None, [], [],
        current, [], False, chosen, [], [], [], [],
    )  # fmt: skip
    if len(prefs) < 2 or not found:
        return empty
    built = issues.build(found, prefs)
    problem = built.problem
    points = pareto.frontier(problem)
    res = problem.reservations
    solutions = []
    for key, solve in (
        ("nash", pareto.nash),
        ("kalai_smorodinsky", pareto.kalai_smorodinsky),
        ("egalitarian", pareto.egalitarian),
    ):
        point = solve(points, res)
        solutions.append(Solution(key, point, built.shares(point.utilities) if point else []))
    here = problem.utility(current)
    there = problem.utility(chosen)
    return Analysis(
        document=document,
        issues=found,
        parties=built.parties,
        missing=missing,
        unscored=unscored,
        built=built,
        frontier=points,
        solutions=solutions,
        current=current,
        current_shares=built.shares(here),
        current_optimal=pareto.on_frontier(points, here),
        chosen=chosen,
        chosen_shares=built.shares(there),
        improvements=pareto.improvements(points, there),
        zopa=pareto.zopa(points, res),
        reservations=built.shares(res),
    )
