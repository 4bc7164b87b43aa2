"""The zone of agreement over packages, computed exactly (pure: no Django).

A *problem* has issues, each with a few options, and n >= 2 parties whose utility for a
*package* (one option per issue) is additive across issues: ``values[p][i][j]`` is what
option ``j`` of issue ``i`` is worth to party ``p`` (its weight for the issue times its
score for the option). A package's utility vector is the sum of its options' values.

``frontier`` finds every non-dominated utility vector by dynamic programming over the
issues with dominance pruning (decision 0085): after each issue it keeps only the partial
packages that no other partial package dominates. That is exact because utilities are
additive: if a prefix is dominated, swapping in the prefix that dominates it dominates
every completion too. It never enumerates the packages (5^20 at 20 issues); its work
grows with the frontier's size, not the packages' number. Packages with the same vector
are merged into one point that keeps one representative package and their exact count.

Numbers may be ``int`` (exact: the app passes integer slider values) or ``float``.

The bargaining solutions are found on the frontier (each maximises a function that
grows with every party's utility, so a maximiser on the frontier exists), with the
reservation values as the disagreement point: ``nash`` (maximal product of gains over
the reservations), ``kalai_smorodinsky`` (maximal smallest gain relative to each party's
best individually rational gain), ``egalitarian`` (maximal smallest gain). Ties break
towards the larger sum of utilities, then the larger utility of the first party, and so
on, so every caller (and the brute force the tests compare with) picks the same point.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

Num = int | float
Vector = tuple[Num, ...]


@dataclass(frozen=True)
class Problem:
    """``values[p][i][j]``: what option ``j`` of issue ``i`` is worth to party ``p``;
    ``reservations[p]``: the utility below which party ``p`` would rather not agree."""

    values: tuple[tuple[tuple[Num, ...], ...], ...]
    reservations: tuple[Num, ...]

    @classmethod
    def of(
        cls, values: Sequence[Sequence[Sequence[Num]]], reservations: Sequence[Num] | None = None
    ) -> Problem:
        vals = tuple(tuple(tuple(opts) for opts in issues) for issues in values)
        if len(vals) < 1:
            raise ValueError("a problem needs at least one party")
        shape = [len(opts) for opts in vals[0]]
        for issues in vals:
            if [len(opts) for opts in issues] != shape:
                raise ValueError("every party must value the same issues and options")
        if any(n < 1 for n in shape):
            raise ValueError("every issue needs at least one option")
        res = tuple(reservations) if reservations is not None else tuple(0 for _ in vals)
        if len(res) != len(vals):
            raise ValueError("one reservation value per party")
        return cls(vals, res)

    @property
    def parties(self) -> int:
        return len(self.values)

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of options of each issue."""
        return tuple(len(opts) for opts in self.values[0])

    @property
    def packages(self) -> int:
        return math.prod(self.shape)

    def utility(self, package: Sequence[int]) -> Vector:
        return tuple(sum(issues[i][j] for i, j in enumerate(package)) for issues in self.values)


class Point(NamedTuple):
    """A non-dominated utility vector, one package that reaches it, and how many do.

    A named tuple, not a frozen dataclass: a frontier has up to thousands of points, and
    a frozen dataclass's ``__init__`` made building them a quarter of the time at 6 x 5."""

    utilities: Vector
    package: tuple[int, ...]
    count: int = 1  # type: ignore[assignment]  # (a field, not tuple.count; never called)


def dominates(a: Vector, b: Vector) -> bool:
    """``a`` is at least as good as ``b`` for everyone and better for someone."""
    strictly = False
    for x, y in zip(a, b, strict=True):
        if x < y:
            return False
        if x > y:
            strictly = True
    return strictly


# A partial package: (option, previous node) back-pointers, so extending one is O(1).
_Node = tuple[int, "_Node | None"] | None


def _unwind(node: _Node) -> tuple[int, ...]:
    out: list[int] = []
    while node is not None:
        out.append(node[0])
        node = node[1]
    return tuple(reversed(out))


def _prune(cands: dict[Vector, tuple[int, _Node]]) -> dict[Vector, tuple[int, _Node]]:
    """Keep the vectors of ``cands`` that no other vector dominates (equal ones are merged
    already, since they are the keys)."""
    if not cands:
        return cands
    width = len(next(iter(cands)))
    if width == 1:
        best = max(cands)
        return {best: cands[best]}
    if width == 2:
        # Sweep by the first utility descending (second descending for ties): a point
        # survives iff its second utility beats every one seen before it.
        kept: dict[Vector, tuple[int, _Node]] = {}
        top: Num | None = None
        for vec in sorted(cands, reverse=True):
            if top is None or vec[1] > top:
                kept[vec] = cands[vec]
                top = vec[1]
        return kept
    return {vec: cands[vec] for vec in _non_dominated(list(cands), width)}


def _non_dominated(vecs: list[Vector], width: int) -> list[Vector]:
    """The vectors of ``vecs`` (distinct) that no other dominates, for n >= 3 parties.

    With bitsets (Python integers, one bit per vector): for each party, the set of
    vectors at least as good as v for that party; their intersection over the parties is
    the set of vectors weakly dominating v, and as the vectors are distinct, v is
    dominated iff that set holds another vector than v. Each party costs one sort and
    one pass of big-integer ORs and ANDs, so k vectors cost O(n k log k + n k^2 / 64)
    word operations, in C, instead of k^2 comparisons in Python."""
    k = len(vecs)
    if k <= 32:
        # Few vectors: compare directly (a dominator has a strictly larger sum).
        by_sum = sorted(vecs, key=lambda v: (sum(v), v), reverse=True)
        kept: list[Vector] = []
        for vec in by_sum:
            if not any(dominates(other, vec) for other in kept):
                kept.append(vec)
        return kept
    everyone = (1 << k) - 1
    acc = [everyone] * k
    for d in range(width):
        order = sorted(range(k), key=lambda i: vecs[i][d], reverse=True)
        prefix = 0
        start = 0
        while start < k:
            end = start
            value = vecs[order[start]][d]
            while end < k and vecs[order[end]][d] == value:
                prefix |= 1 << order[end]
                end += 1
            for pos in range(start, end):
                i = order[pos]
                acc[i] &= prefix
            start = end
    return [vecs[i] for i in range(k) if acc[i] == 1 << i]


def _columns(problem: Problem, issue: int) -> list[tuple[Vector, int, int]]:
    """Issue ``issue``'s options as (vector, multiplicity, first option), without those
    another option of the same issue dominates: such an option is in no frontier package
    (swapping it for its dominator dominates the package). Equal options are merged."""
    n = problem.parties
    seen: dict[Vector, tuple[int, _Node]] = {}
    for j in range(len(problem.values[0][issue])):
        vec = tuple(problem.values[p][issue][j] for p in range(n))
        old = seen.get(vec)
        seen[vec] = (1, (j, None)) if old is None else (old[0] + 1, old[1])
    kept = _prune(seen)
    return [(vec, count, node[0]) for vec, (count, node) in kept.items() if node is not None]


def _columns_two(problem: Problem, issue: int) -> list[tuple[Num, Num, int, int]]:
    """``_columns`` for two parties, as (a, b, multiplicity, first option): the same
    sweep without building vectors and back-pointers (a fifth of the time at 6 x 5)."""
    first, second = problem.values[0][issue], problem.values[1][issue]
    # Negated, so one plain sort orders by a then b descending, then the first option.
    options = sorted([(-first[j], -second[j], j) for j in range(len(first))])
    kept: list[tuple[Num, Num, int, int]] = []
    top: Num | None = None
    for neg_a, neg_b, j in options:
        b = -neg_b
        if top is None or b > top:
            kept.append((-neg_a, b, 1, j))
            top = b
        elif b == top and -neg_a == kept[-1][0]:
            a, b, k, first_j = kept[-1]  # the same vector again: one more package
            kept[-1] = (a, b, k + 1, first_j)
    return kept


def _frontier_two(problem: Problem) -> list[tuple[Num, Num, int, tuple[int, ...]]]:
    # Two parties: candidates sorted by (u0, u1) descending; a candidate survives iff its
    # u1 beats every u1 before it; an equal vector is adjacent and merged (counts add).
    # A candidate is (u0, u1, count, option, the package so far): a survivor's package
    # is extended (one tuple copy, in C) only once it survives.
    states: list[tuple[Num, Num, int, tuple[int, ...]]] = [(0, 0, 1, ())]
    by_utilities = operator.itemgetter(0, 1)
    for i in range(len(problem.shape)):
        columns = _columns_two(problem, i)
        cands = [
            (x + a, y + b, c * k, j, package)
            for a, b, k, j in columns
            for (x, y, c, package) in states
        ]
        cands.sort(key=by_utilities, reverse=True)
        kept: list[tuple[Num, Num, int, tuple[int, ...]]] = []
        top: Num | None = None
        for x, y, c, j, package in cands:
            if top is None or y > top:
                kept.append((x, y, c, (*package, j)))
                top = y
            elif y == top and x == kept[-1][0]:
                last = kept[-1]
                kept[-1] = (last[0], last[1], last[2] + c, last[3])
        states = kept
    return states


def frontier(problem: Problem) -> list[Point]:
    """The exact Pareto frontier of ``problem``, sorted by the first party's utility
    (descending), then the others'."""
    n = problem.parties
    if n == 2:
        two = _frontier_two(problem)
        return [Point((x, y), package, c) for x, y, c, package in two]
    zero: Vector = tuple(0 for _ in range(n))
    states: dict[Vector, tuple[int, _Node]] = {zero: (1, None)}
    for i in range(len(problem.shape)):
        columns = _columns(problem, i)
        cands: dict[Vector, tuple[int, _Node]] = {}
        for vec, (count, node) in states.items():
            for add, k, j in columns:
                new = tuple(a + b for a, b in zip(vec, add, strict=True))
                seen = cands.get(new)
                if seen is None:
                    cands[new] = (count * k, (j, node))
                else:
                    cands[new] = (seen[0] + count * k, seen[1])
        states = _prune(cands)
    points = [Point(vec, _unwind(node), count) for vec, (count, node) in states.items()]
    points.sort(key=lambda p: p.utilities, reverse=True)
    return points


def packages(problem: Problem) -> Iterator[tuple[int, ...]]:
    """Every package, in order (for tests and small problems only: it enumerates)."""
    return itertools.product(*(range(k) for k in problem.shape))


def frontier_by_enumeration(problem: Problem) -> list[Point]:
    """The same frontier as ``frontier``, by enumerating every package (the brute force
    the property tests and the benchmark compare with)."""
    found: dict[Vector, tuple[int, tuple[int, ...]]] = {}
    for package in packages(problem):
        vec = problem.utility(package)
        seen = found.get(vec)
        found[vec] = (1, package) if seen is None else (seen[0] + 1, seen[1])
    vecs = list(found)
    points = [
        Point(v, found[v][1], found[v][0])
        for v in vecs
        if not any(dominates(other, v) for other in vecs)
    ]
    points.sort(key=lambda p: p.utilities, reverse=True)
    return points


# --- Bargaining solutions -------------------------------------------------------------------


def _tiebreak(point: Point) -> tuple[Num, Vector]:
    return (sum(point.utilities), point.utilities)


def individually_rational(point: Point, reservations: Sequence[Num]) -> bool:
    """Every party gets at least its reservation value."""
    return all(u >= r for u, r in zip(point.utilities, reservations, strict=True))


def beats_reservations(point: Point, reservations: Sequence[Num]) -> bool:
    """Every party gets more than its reservation value (the ZOPA's test)."""
    return all(u > r for u, r in zip(point.utilities, reservations, strict=True))


def zopa(points: Sequence[Point], reservations: Sequence[Num]) -> list[Point]:
    """The frontier's part of the zone of possible agreement: the non-dominated packages
    that beat every party's reservation value. Empty means no package does (a package
    that does is dominated by, or is, a frontier point that does)."""
    return [p for p in points if beats_reservations(p, reservations)]


def _best(
    points: Sequence[Point],
    reservations: Sequence[Num],
    score: Callable[[Point], Num],
) -> Point | None:
    rational = [p for p in points if individually_rational(p, reservations)]
    if not rational:
        return None
    return max(rational, key=lambda p: (score(p), *_tiebreak(p)))


def nash(points: Sequence[Point], reservations: Sequence[Num]) -> Point | None:
    """The Nash bargaining solution: the individually rational point with the largest
    product of gains over the reservation values (None if no point is individually
    rational)."""

    def product(p: Point) -> Num:
        return math.prod(u - r for u, r in zip(p.utilities, reservations, strict=True))

    return _best(points, reservations, product)


def ideal(points: Sequence[Point], reservations: Sequence[Num]) -> Vector | None:
    """Each party's best utility among the individually rational points."""
    rational = [p.utilities for p in points if individually_rational(p, reservations)]
    if not rational:
        return None
    return tuple(max(col) for col in zip(*rational, strict=True))


def kalai_smorodinsky(points: Sequence[Point], reservations: Sequence[Num]) -> Point | None:
    """The Kalai-Smorodinsky solution: the individually rational point whose smallest
    gain, as a share of that party's best possible gain, is largest."""
    best = ideal(points, reservations)
    if best is None:
        return None
    spans = [b - r for b, r in zip(best, reservations, strict=True)]

    def share(p: Point) -> float:
        return min(
            (1.0 if span == 0 else (u - r) / span)
            for u, r, span in zip(p.utilities, reservations, spans, strict=True)
        )

    return _best(points, reservations, share)


def egalitarian(points: Sequence[Point], reservations: Sequence[Num]) -> Point | None:
    """The egalitarian (max-min) solution: the individually rational point whose smallest
    gain over the reservation values is largest."""

    def least(p: Point) -> Num:
        return min(u - r for u, r in zip(p.utilities, reservations, strict=True))

    return _best(points, reservations, least)


def improvements(points: Sequence[Point], utilities: Vector) -> list[Point]:
    """The Pareto improvements over a package with ``utilities`` that are themselves on
    the frontier: every party at least as well off, one better. Empty means the package
    is Pareto-optimal."""
    return [p for p in points if dominates(p.utilities, utilities)]


def on_frontier(points: Sequence[Point], utilities: Vector) -> bool:
    return any(p.utilities == utilities for p in points)
