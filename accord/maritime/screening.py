"""Close-encounter screening: CPA/TCPA of every pair of vessels under way. Pure (numpy, scipy;
Django's translations only for the affiliations' words).

``screen(fleet, rules)`` finds the pairs that a charter rule flags: the closest point of
approach within the rule's distance, reached within its horizon, between vessels of the
affiliations it names (``Rule.between``; empty: any), optionally only while closing
(``approaching``). Each pair gets the first rule it matches (rules in the charter's order,
most severe first).

Two ways, identical alerts (``tests/test_screening.py``, ``bench/maritime_bench.py``):

- ``exhaustive``: every pair, vectorised in blocks of rows;
- ``pruned`` (the default): candidate pairs from a k-d tree (scipy's ``cKDTree``) over
  each vessel's position half-way through the horizon. A pair that comes within d at
  some t in [0, T] is, at T/2, at most d + (s_a + s_b) T/2 apart, so a ball of that
  radius holds every pair that can alert. Vessels are grouped by speed so that slow
  traffic (almost all of it) is searched with a small radius; each pair of groups is
  searched with its own. Exact CPA is then computed for the candidates only, in one
  numpy pass over every candidate (a pair two searches found is evaluated twice; only
  the few that alert are put in order and counted once). Decisions 0108, 0141.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext_lazy as _
from scipy.spatial import cKDTree

from accord.maritime import kinematics

AFFILIATIONS = ("own_navy", "other_navy", "coast_guard", "commercial", "fast_craft", "unknown")
# Their words, once for the map (maritime) and a party's classification (incidents).
AFFILIATION_LABELS = {
    "own_navy": _("Own navy"),
    "other_navy": _("Other navy"),
    "coast_guard": _("Coast guard"),
    "commercial": _("Commercial"),
    "fast_craft": _("Fast craft"),
    "unknown": _("Unknown"),
}
NAVAL = frozenset({"own_navy", "other_navy"})
_CODE = {name: i for i, name in enumerate(AFFILIATIONS)}
# Speed groups (knots) for the pruned search: most traffic is in the first.
SPEED_EDGES = (16.0, 30.0)

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Rule:
    """A charter rule: ``code`` alerts when CPA < ``cpa_nm`` within ``within_s``."""

    code: str
    cpa_nm: float
    within_s: float
    # Unordered pairs of affiliation sets: (("fast_craft",), ("own_navy", "other_navy")).
    between: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    approaching: bool = False

    def allowed(self) -> npt.NDArray[np.bool_]:
        """A K x K matrix: may vessels of affiliations (a, b) alert under this rule."""
        k = len(AFFILIATIONS)
        if not self.between:
            return np.ones((k, k), dtype=bool)
        matrix = np.zeros((k, k), dtype=bool)
        for left, right in self.between:
            for a in left:
                for b in right:
                    matrix[_CODE[a], _CODE[b]] = matrix[_CODE[b], _CODE[a]] = True
        return matrix


@dataclass(slots=True)
class Fleet:
    """Vessels under way at one moment, as arrays (flat frame, nm and knots)."""

    x: Floats
    y: Floats
    vx: Floats
    vy: Floats
    affiliation: Ints
    ref_lat: float = 26.5

    @classmethod
    def from_positions(
        cls,
        lat: Sequence[float] | Floats,
        lon: Sequence[float] | Floats,
        sog: Sequence[float] | Floats,
        cog: Sequence[float] | Floats,
        affiliation: Sequence[str] | None = None,
        ref_lat: float | None = None,
    ) -> Fleet:
        lat_a = np.asarray(lat, dtype=np.float64)
        ref = float(np.mean(lat_a)) if ref_lat is None and len(lat_a) else (ref_lat or 26.5)
        x, y = kinematics.project(lat_a, np.asarray(lon, dtype=np.float64), ref)
        vx, vy = kinematics.velocity(np.asarray(sog, dtype=float), np.asarray(cog, dtype=float))
        names = affiliation if affiliation is not None else ["unknown"] * len(lat_a)
        codes = np.fromiter((_CODE.get(a, _CODE["unknown"]) for a in names), dtype=np.int64)
        return cls(x=x, y=y, vx=vx, vy=vy, affiliation=codes, ref_lat=ref)

    def __len__(self) -> int:
        return len(self.x)


class Alert(NamedTuple):
    """Vessels ``i`` < ``j`` (indexes into the fleet) match ``rule`` (its index)."""

    i: int
    j: int
    rule: int
    cpa_nm: float
    tcpa_s: float
    distance_nm: float


@dataclass(slots=True)
class _Prepared:
    rules: Sequence[Rule]
    allowed: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    max_cpa: float = 0.0
    max_hours: float = 0.0


def _prepare(rules: Sequence[Rule]) -> _Prepared:
    prepared = _Prepared(rules=rules, allowed=[r.allowed() for r in rules])
    prepared.max_cpa = max((r.cpa_nm for r in rules), default=0.0)
    prepared.max_hours = max((r.within_s for r in rules), default=0.0) / 3600.0
    return prepared


_Hits = tuple[Ints, Ints, Ints, Floats, Floats, Floats]


def _hits(fleet: Fleet, i: Ints, j: Ints, prepared: _Prepared) -> _Hits:
    """Exact CPA for candidate pairs (i < j) and the first rule each matches, as arrays
    of the pairs that match one (i, j, rule, cpa nm, tcpa hours, distance nm)."""
    if len(i) == 0:
        empty_i, empty_f = np.empty(0, dtype=np.int64), np.empty(0)
        return empty_i, empty_i, empty_i, empty_f, empty_f, empty_f
    rx, ry = fleet.x[j] - fleet.x[i], fleet.y[j] - fleet.y[i]
    vx, vy = fleet.vx[j] - fleet.vx[i], fleet.vy[j] - fleet.vy[i]
    cpa, tcpa = kinematics.cpa_tcpa(rx, ry, vx, vy)
    # No rule can match beyond the largest distance or horizon: the rules look at the rest.
    near = np.nonzero((cpa < prepared.max_cpa) & (tcpa <= prepared.max_hours))[0]
    i, j, cpa, tcpa = i[near], j[near], cpa[near], tcpa[near]
    rx, ry, vx, vy = rx[near], ry[near], vx[near], vy[near]
    closing = rx * vx + ry * vy < 0
    ai, aj = fleet.affiliation[i], fleet.affiliation[j]
    chosen = np.full(len(i), -1, dtype=np.int64)
    for index, rule in enumerate(prepared.rules):
        match = (chosen < 0) & (cpa < rule.cpa_nm) & (tcpa <= rule.within_s / 3600.0)
        if rule.between:
            match &= prepared.allowed[index][ai, aj]
        if rule.approaching:
            match &= closing
        chosen[match] = index
    hit = np.nonzero(chosen >= 0)[0]
    return i[hit], j[hit], chosen[hit], cpa[hit], tcpa[hit], np.hypot(rx[hit], ry[hit])


def _alerts(hits: _Hits) -> list[Alert]:
    """The hits as alerts: one conversion to Python numbers for all of them."""
    i, j, rule, cpa, tcpa, distance = hits
    return list(
        map(
            Alert._make,
            zip(
                i.tolist(),
                j.tolist(),
                rule.tolist(),
                cpa.tolist(),
                (tcpa * 3600.0).tolist(),
                distance.tolist(),
                strict=True,
            ),
        )
    )


def _evaluate(fleet: Fleet, i: Ints, j: Ints, prepared: _Prepared) -> list[Alert]:
    """Exact CPA for candidate pairs (i < j) and the first rule each matches."""
    return _alerts(_hits(fleet, i, j, prepared))


def screen_exhaustive(fleet: Fleet, rules: Sequence[Rule], block: int = 512) -> list[Alert]:
    """Every pair, vectorised in blocks of ``block`` rows."""
    prepared = _prepare(rules)
    n = len(fleet)
    alerts: list[Alert] = []
    for start in range(0, n, block):
        rows = np.arange(start, min(start + block, n), dtype=np.int64)
        i, j = np.meshgrid(rows, np.arange(n, dtype=np.int64), indexing="ij")
        keep = j > i
        alerts.extend(_evaluate(fleet, i[keep], j[keep], prepared))
    return sorted(alerts, key=lambda a: (a.i, a.j))


def _group_pairs(
    mid: npt.NDArray[np.float64],
    speed: Floats,
    members_left: Ints,
    members_right: Ints | None,
    max_cpa: float,
    half: float,
) -> list[tuple[Ints, Ints]]:
    """Candidate pairs (i < j) among ``members_left`` (or between it and
    ``members_right``), searched per speed group so that slow traffic gets a small
    radius; within one search each pair once."""
    found: list[tuple[Ints, Ints]] = []
    edges = np.asarray(SPEED_EDGES)

    def groups(members: Ints) -> list[tuple[Ints, Any, float]]:
        out = []
        group = np.searchsorted(edges, speed[members], side="left")
        for g in range(len(SPEED_EDGES) + 1):
            chosen = members[group == g]
            if len(chosen):
                tree = cKDTree(mid[chosen], balanced_tree=False, compact_nodes=False)
                out.append((chosen, tree, float(speed[chosen].max())))
        return out

    left = groups(members_left)
    right = left if members_right is None else groups(members_right)
    for a, (chosen_a, tree_a, top_a) in enumerate(left):
        for b, (chosen_b, tree_b, top_b) in enumerate(right):
            if members_right is None and b < a:
                continue
            radius = max_cpa + (top_a + top_b) * half
            if members_right is None and a == b:
                pairs = tree_a.query_pairs(radius, output_type="ndarray")
                if len(pairs):
                    # members are ascending and the tree's pairs are (i < j): so are these
                    found.append((chosen_a[pairs[:, 0]], chosen_a[pairs[:, 1]]))
            else:
                matrix = tree_a.sparse_distance_matrix(tree_b, radius, output_type="ndarray")
                if len(matrix):
                    i, j = chosen_a[matrix["i"]], chosen_b[matrix["j"]]
                    low, high = np.minimum(i, j), np.maximum(i, j)
                    keep = low != high
                    found.append((low[keep], high[keep]))
    return found


def _candidates(fleet: Fleet, max_cpa: float, hours: float, rules: Sequence[Rule]):
    """The searches' candidate pairs (i < j), piece by piece: a pair found by two
    searches is in two pieces."""
    n = len(fleet)
    if n < 2:
        return []
    half = hours / 2.0
    mid = np.column_stack((fleet.x + fleet.vx * half, fleet.y + fleet.vy * half))
    speed = np.hypot(fleet.vx, fleet.vy)
    everyone = np.arange(n, dtype=np.int64)
    general = [r for r in rules if not r.between]
    found: list[tuple[Ints, Ints]] = []
    bulk_cpa = max((r.cpa_nm for r in general), default=0.0) if rules else max_cpa
    if bulk_cpa > 0:
        found += _group_pairs(mid, speed, everyone, None, bulk_cpa, half)
    for rule in rules:
        for left, right in rule.between:
            codes_l = np.asarray([_CODE[a] for a in left])
            codes_r = np.asarray([_CODE[a] for a in right])
            members_l = everyone[np.isin(fleet.affiliation, codes_l)]
            members_r = everyone[np.isin(fleet.affiliation, codes_r)]
            if not len(members_l) or not len(members_r):
                continue
            found += _group_pairs(mid, speed, members_l, members_r, rule.cpa_nm, half)
    return found


def _unique_pairs(n: int, i: Ints, j: Ints) -> Ints:
    """Positions of the first of each pair (i, j), in the order of (i, j)."""
    key = i * n + j
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    return order[first]


def candidate_pairs(
    fleet: Fleet, max_cpa: float, hours: float, rules: Sequence[Rule] = ()
) -> tuple[Ints, Ints]:
    """Pairs (i < j) that can come within a rule's distance within ``hours``: a superset
    of every alert, from k-d trees over the positions at half the horizon. Rules naming
    affiliations are searched among those vessels only, with their own distance; the
    rest of the traffic with the largest distance of the rules that name none (or
    ``max_cpa`` when no rules are given). Each pair once, in order."""
    pieces = _candidates(fleet, max_cpa, hours, rules)
    if not pieces:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    i = np.concatenate([p[0] for p in pieces]).astype(np.int64)
    j = np.concatenate([p[1] for p in pieces]).astype(np.int64)
    keep = _unique_pairs(len(fleet), i, j)
    return i[keep], j[keep]


def screen(fleet: Fleet, rules: Sequence[Rule]) -> list[Alert]:
    """The pruned screen: the same alerts as ``screen_exhaustive``, in the same order.
    Candidates are evaluated as found (a pair found twice is evaluated twice, to the
    same answer); only the few that alert are put in order and counted once."""
    prepared = _prepare(rules)
    pieces = _candidates(fleet, prepared.max_cpa, prepared.max_hours, rules)
    if not pieces:
        return []
    i = np.concatenate([p[0] for p in pieces]).astype(np.int64, copy=False)
    j = np.concatenate([p[1] for p in pieces]).astype(np.int64, copy=False)
    hits = _hits(fleet, i, j, prepared)
    keep = _unique_pairs(len(fleet), hits[0], hits[1])
    return _alerts(
        (hits[0][keep], hits[1][keep], hits[2][keep], hits[3][keep], hits[4][keep], hits[5][keep])
    )
