"""A text's open issues and the parties' preferences on them, as a ``pareto.Problem``
(pure: no Django).

Each open option set of a provision is an issue, its options the choices; an open
divergence (its shared positions and bridging proposals) is one too (the selectors
gather those). Issues are derived from the text every time, so they are always in step
with it: a resolved option set is no longer found, a new option is found with a key no
preference has scored yet (``PartyPreferences.unscored`` marks it new).

Keys: an option is ``<wid>:<hash of its wording>``, so a score follows its option
wherever the option moves; an issue is ``<wid>:<group index>``, and a stored weight
carries its issue's option keys, so it follows its issue when an option set before it in
the same provision is resolved (``weight_for``).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.analysis import pareto
from accord.drafting import brackets

TEXT = "text"
DIVERGENCE = "divergence"
SCALE = 100  # sliders run 0..100


@dataclass(frozen=True)
class Choice:
    key: str
    index: int
    text: str
    sponsors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Issue:
    key: str
    source: str  # TEXT or DIVERGENCE
    label: str  # "Article 1.1" or "D-3: title"
    options: tuple[Choice, ...]
    wid: str = ""
    group: int | None = None
    divergence: str = ""  # the divergence's public id

    @property
    def option_keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.options)


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]


def text_issues(provisions: Sequence[tuple[str, str, str]]) -> list[Issue]:
    """The open option sets of ``provisions`` (``(wid, label, text)`` in reading order)."""
    out: list[Issue] = []
    for wid, label, text in provisions:
        try:
            found = list(brackets.groups(brackets.parse(text)))
        except brackets.BracketError:
            continue
        for index, group in enumerate(found):
            if not group.is_choice:
                continue
            seen: set[str] = set()
            choices = []
            for j, option in enumerate(group.options):
                wording = brackets.plain(option.raw_inner(text)).strip()
                key = f"{wid}:{_digest(wording)}"
                if key in seen:
                    key = f"{key}.{j}"
                seen.add(key)
                choices.append(Choice(key, j, wording, option.sponsors))
            out.append(Issue(f"{wid}:{index}", TEXT, label, tuple(choices), wid=wid, group=index))
    return out


def divergence_issue(public_id: str, label: str, options: Sequence[tuple[str, str]]) -> Issue:
    """An open divergence as an issue: ``options`` are ``(public id, wording)`` of its
    shared positions and bridging proposals."""
    choices = tuple(
        Choice(f"d:{public_id}:{oid}", j, text) for j, (oid, text) in enumerate(options)
    )
    return Issue(f"d:{public_id}", DIVERGENCE, label, choices, divergence=public_id)


def weight_for(issue: Issue, weights: Mapping[str, Any]) -> int | None:
    """The stored weight of ``issue``: under its key if that entry shares an option with
    it, else the entry of the same provision sharing most options with it."""
    mine = set(issue.option_keys)

    def overlap(entry: Any) -> int:
        return len(mine & set(entry.get("options", []))) if isinstance(entry, dict) else 0

    exact = weights.get(issue.key)
    if exact is not None and overlap(exact) > 0:
        return _clamp(exact.get("w"))
    prefix = issue.key.rsplit(":", 1)[0] + ":"
    best, best_overlap = None, 0
    for key, entry in weights.items():
        if key.startswith(prefix) and overlap(entry) > best_overlap:
            best, best_overlap = entry, overlap(entry)
    return _clamp(best.get("w")) if best is not None else None


def _clamp(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return max(0, min(SCALE, number))


@dataclass(frozen=True)
class PartyPreferences:
    """One party's preferences as the analysis reads them (stored or shared)."""

    code: str
    weights: Mapping[str, Any]
    scores: Mapping[str, Any]
    reservation: int = 0

    def weight(self, issue: Issue) -> int:
        found = weight_for(issue, self.weights)
        return SCALE // 2 if found is None else found

    def score(self, option: Choice) -> int:
        value = self.scores.get(option.key)
        return 0 if value is None else _clamp(value)

    def unscored(self, issues: Sequence[Issue]) -> set[str]:
        """Option keys of ``issues`` this party has not scored yet (new options)."""
        return {o.key for i in issues for o in i.options if o.key not in self.scores}

    def weights_normalised(self, issues: Sequence[Issue]) -> list[float]:
        """Each issue's share of the party's weight (they sum to 1)."""
        raw = [self.weight(i) for i in issues]
        total = sum(raw)
        if total == 0:
            return [1 / len(issues) for _ in issues] if issues else []
        return [w / total for w in raw]


@dataclass
class Built:
    """The problem, and how to turn its integer utilities back into 0..1 shares."""

    problem: pareto.Problem
    issues: list[Issue]
    parties: list[str]
    scales: list[int] = field(default_factory=list)

    def share(self, party: int, value: pareto.Num) -> float:
        scale = self.scales[party]
        return 0.0 if scale == 0 else float(value) / scale

    def shares(self, utilities: Sequence[pareto.Num]) -> list[float]:
        return [self.share(p, u) for p, u in enumerate(utilities)]


def build(issues: Sequence[Issue], parties: Sequence[PartyPreferences]) -> Built:
    """The additive problem of ``parties`` on ``issues``, in exact integers: a party's
    utility is the sum over issues of weight x score; its scale (the most it could get,
    weights x 100) turns that into a 0..1 share, and its reservation value is its
    reservation percentage of that scale."""
    issues = [i for i in issues if i.options]
    values: list[list[list[int]]] = []
    reservations: list[int] = []
    scales: list[int] = []
    for prefs in parties:
        weights = [prefs.weight(i) for i in issues]
        if sum(weights) == 0:
            weights = [1 for _ in issues]
        values.append(
            [[w * prefs.score(o) for o in i.options] for w, i in zip(weights, issues, strict=True)]
        )
        scale = sum(weights) * SCALE
        scales.append(scale)
        reservations.append(_clamp(prefs.reservation) * sum(weights))
    if not issues:
        values = [[] for _ in parties]
    problem = pareto.Problem(
        tuple(tuple(tuple(opts) for opts in party) for party in values), tuple(reservations)
    )
    return Built(problem, list(issues), [p.code for p in parties], scales)


def current_package(issues: Sequence[Issue]) -> tuple[int, ...]:
    """Where the text stands: each option set as the text reads it, its first option
    (decision 0085)."""
    return tuple(0 for _ in issues)


# Pairwise comparisons: "A matters much more than B" .. "B much more than A", as ratios.
PAIR_RATIOS = (9.0, 3.0, 1.0, 1 / 3, 1 / 9)
MAX_PAIRWISE_ISSUES = 8  # 28 comparisons; beyond that, sliders


def weights_from_pairs(n: int, ratios: Mapping[tuple[int, int], float]) -> list[int]:
    """Weights 0..100 from pairwise comparisons of ``n`` issues: ``ratios[(i, j)]`` (i < j)
    says how many times issue i matters more than issue j (a missing pair: equally). The
    weights are the geometric means of the comparison matrix's rows (as in the AHP),
    scaled so the heaviest issue gets 100."""
    if n <= 0:
        return []
    matrix = [[1.0] * n for _ in range(n)]
    for (i, j), ratio in ratios.items():
        if 0 <= i < j < n and ratio > 0:
            matrix[i][j] = ratio
            matrix[j][i] = 1 / ratio
    means = [math.prod(row) ** (1 / n) for row in matrix]
    top = max(means)
    return [max(1, round(SCALE * m / top)) for m in means]
