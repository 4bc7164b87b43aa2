"""Close-encounter screening: CPA/TCPA of every pair of vessels under way. Pure (numpy, scipy).

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
  searched with its own. Exact CPA is then computed for the candidates only.
  Decision 0108.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from accord.maritime import kinematics

AFFILIATIONS = ("own_navy", "other_navy", "coast_guard", "commercial", "fast_craft", "unknown")
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


@dataclass(frozen=True, slots=True)
class Alert:
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


def _evaluate(fleet: Fleet, i: Ints, j: Ints, prepared: _Prepared) -> list[Alert]:
    """Exact CPA for candidate pairs (i < j) and the first rule each matches."""
    if len(i) == 0:
        return []
    rx, ry = fleet.x[j] - fleet.x[i], fleet.y[j] - fleet.y[i]
    vx, vy = fleet.vx[j] - fleet.vx[i], fleet.vy[j] - fleet.vy[i]
    cpa, tcpa = kinematics.cpa_tcpa(rx, ry, vx, vy)
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
    distance = np.hypot(rx[hit], ry[hit])
    return [
        Alert(
            int(i[k]), int(j[k]), int(chosen[k]), float(cpa[k]), float(tcpa[k]) * 3600.0, float(d)
        )
        for k, d in zip(hit, distance, strict=True)
    ]


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


def candidate_pairs(fleet: Fleet, max_cpa: float, hours: float) -> tuple[Ints, Ints]:
    """Pairs (i < j) that can come within ``max_cpa`` within ``hours``: a superset of
    every alert, from k-d trees over the positions at half the horizon."""
    n = len(fleet)
    if n < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    half = hours / 2.0
    mid = np.column_stack((fleet.x + fleet.vx * half, fleet.y + fleet.vy * half))
    speed = np.hypot(fleet.vx, fleet.vy)
    group = np.searchsorted(np.asarray(SPEED_EDGES), speed, side="left")
    members = [np.nonzero(group == g)[0] for g in range(len(SPEED_EDGES) + 1)]
    trees = [cKDTree(mid[m]) if len(m) else None for m in members]
    top = [float(speed[m].max()) if len(m) else 0.0 for m in members]
    found_i: list[Ints] = []
    found_j: list[Ints] = []
    for a, tree_a in enumerate(trees):
        if tree_a is None:
            continue
        for b in range(a, len(trees)):
            tree_b = trees[b]
            if tree_b is None:
                continue
            radius = max_cpa + (top[a] + top[b]) * half
            if a == b:
                pairs = tree_a.query_pairs(radius, output_type="ndarray")
                if len(pairs):
                    found_i.append(members[a][pairs[:, 0]])
                    found_j.append(members[a][pairs[:, 1]])
            else:
                matrix = tree_a.sparse_distance_matrix(tree_b, radius, output_type="ndarray")
                if len(matrix):
                    found_i.append(members[a][matrix["i"]])
                    found_j.append(members[b][matrix["j"]])
    if not found_i:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    i = np.concatenate(found_i).astype(np.int64)
    j = np.concatenate(found_j).astype(np.int64)
    low, high = np.minimum(i, j), np.maximum(i, j)
    return low, high


def screen(fleet: Fleet, rules: Sequence[Rule]) -> list[Alert]:
    """The pruned screen: the same alerts as ``screen_exhaustive``, in the same order."""
    prepared = _prepare(rules)
    i, j = candidate_pairs(fleet, prepared.max_cpa, prepared.max_hours)
    alerts = _evaluate(fleet, i, j, prepared)
    return sorted(alerts, key=lambda a: (a.i, a.j))
