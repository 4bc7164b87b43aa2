"""The exact frontier and the bargaining solutions against brute force on small problems."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import pareto


@st.composite
def problems(draw: st.DrawFn, *, max_parties: int = 4) -> pareto.Problem:
    parties = draw(st.integers(min_value=2, max_value=max_parties))
    shape = draw(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=5))
    # Small integers: ties and duplicate vectors are common, and arithmetic is exact.
    score = st.integers(min_value=0, max_value=6)
    values = [[[draw(score) for _ in range(k)] for k in shape] for _ in range(parties)]
    reservations = [
        draw(st.integers(min_value=0, max_value=4 * len(shape))) for _ in range(parties)
    ]
    return pareto.Problem.of(values, reservations)


def _as_set(points: list[pareto.Point]) -> dict[tuple[int | float, ...], int]:
    return {p.utilities: p.count for p in points}


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_frontier_is_the_brute_forces_with_the_same_counts(problem: pareto.Problem) -> None:
    # Given a random small problem, when the frontier is found by dynamic programming
    fast = pareto.frontier(problem)
    slow = pareto.frontier_by_enumeration(problem)
    # then it has the same vectors, each reached by the same number of packages, and each
    # representative package reaches its vector
    assert _as_set(fast) == _as_set(slow)
    for point in fast:
        assert problem.utility(point.package) == point.utilities
    assert [p.utilities for p in fast] == [p.utilities for p in slow]


def _brute_best(problem: pareto.Problem, score):  # type: ignore[no-untyped-def]
    points = [pareto.Point(problem.utility(pkg), tuple(pkg)) for pkg in pareto.packages(problem)]
    rational = [p for p in points if pareto.individually_rational(p, problem.reservations)]
    if not rational:
        return None
    best = max(rational, key=lambda p: (score(p, rational), sum(p.utilities), p.utilities))
    return best.utilities


def _nash(p: pareto.Point, rational: list[pareto.Point], res: tuple[int, ...]) -> float:
    out = 1
    for u, r in zip(p.utilities, res, strict=True):
        out *= u - r
    return out


@settings(max_examples=200, deadline=None)
@given(problems())
def test_nash_ks_and_egalitarian_are_the_brute_forces(problem: pareto.Problem) -> None:
    # Given a random small problem and its frontier
    res = problem.reservations
    points = pareto.frontier(problem)
    # when the solutions are found on the frontier, then they are the best over all packages
    nash = pareto.nash(points, res)
    expected = _brute_best(problem, lambda p, _r: _nash(p, _r, res))
    assert (nash.utilities if nash else None) == expected

    egal = pareto.egalitarian(points, res)
    expected = _brute_best(
        problem, lambda p, _r: min(u - r for u, r in zip(p.utilities, res, strict=True))
    )
    assert (egal.utilities if egal else None) == expected

    def ks(p: pareto.Point, rational: list[pareto.Point]) -> float:
        best = [max(q.utilities[i] for q in rational) for i in range(problem.parties)]
        return min(
            1.0 if b == r else (u - r) / (b - r)
            for u, r, b in zip(p.utilities, res, best, strict=True)
        )

    kalai = pareto.kalai_smorodinsky(points, res)
    expected = _brute_best(problem, ks)
    assert (kalai.utilities if kalai else None) == expected


@settings(max_examples=150, deadline=None)
@given(problems(), st.data())
def test_improvements_and_zopa_match_brute_force(
    problem: pareto.Problem, data: st.DataObject
) -> None:
    # Given a problem and any package
    package = tuple(data.draw(st.integers(0, k - 1)) for k in problem.shape)
    here = problem.utility(package)
    points = pareto.frontier(problem)
    everything = [problem.utility(pkg) for pkg in pareto.packages(problem)]
    # then the improvements found are exactly the frontier points dominating it, and
    # some package dominates it iff one is listed
    better = pareto.improvements(points, here)
    assert all(pareto.dominates(p.utilities, here) for p in better)
    assert bool(better) == any(pareto.dominates(u, here) for u in everything)
    # and a ZOPA is reported iff some package beats every reservation value
    in_zopa = [
        u for u in everything if all(x > r for x, r in zip(u, problem.reservations, strict=True))
    ]
    assert bool(pareto.zopa(points, problem.reservations)) == bool(in_zopa)


def test_a_problem_whose_parties_value_different_issues_is_refused() -> None:
    # Given values of different shapes, when the problem is made, then it is refused
    with pytest.raises(ValueError):
        pareto.Problem.of([[[1, 2]], [[1, 2, 3]]])


def test_twenty_issues_of_five_options_are_solved_without_enumerating() -> None:
    # Given 5^20 packages, when the frontier is found, then it is a short list of points
    # whose counts are at most the number of packages
    import random

    rng = random.Random(20)
    values = [[[rng.randint(0, 100) for _ in range(5)] for _ in range(20)] for _ in range(2)]
    problem = pareto.Problem.of(values)
    points = pareto.frontier(problem)
    assert 0 < len(points) < 10_000
    assert sum(p.count for p in points) <= problem.packages


def test_pairwise_comparisons_become_weights_in_proportion() -> None:
    from accord.analysis import issues

    # Given issue 0 three times as important as 1 and 9 times as 2, 1 three times as 2
    weights = issues.weights_from_pairs(3, {(0, 1): 3.0, (0, 2): 9.0, (1, 2): 3.0})
    # then the weights are 100, 33 and 11 (a consistent matrix gives the exact ratios)
    assert weights == [100, 33, 11]
    # and no comparison at all means equal weights
    assert issues.weights_from_pairs(2, {}) == [100, 100]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=3, max_value=5).flatmap(
        lambda n: st.sets(
            st.tuples(*[st.integers(min_value=0, max_value=12) for _ in range(n)]),
            min_size=33,
            max_size=300,
        )
    )
)
def test_the_bitset_filter_keeps_exactly_the_non_dominated_vectors(vecs: set) -> None:
    # Given more than 32 distinct vectors of 3 to 5 parties (with many ties per party)
    vecs_list = sorted(vecs)
    width = len(vecs_list[0])
    # when the bitset filter runs, then it keeps exactly those no other vector dominates
    kept = pareto._non_dominated(vecs_list, width)
    expected = [v for v in vecs_list if not any(pareto.dominates(o, v) for o in vecs_list)]
    assert sorted(kept) == expected


def test_a_larger_three_party_problem_matches_brute_force() -> None:
    # Given 3 parties, 5 issues of 4 options (1,024 packages, pruning on bitsets)
    import random

    rng = random.Random(3)
    values = [[[rng.randint(0, 20) for _ in range(4)] for _ in range(5)] for _ in range(3)]
    problem = pareto.Problem.of(values, [10, 10, 10])
    # when the frontier is found, then it is the brute force's, with the same counts
    assert _as_set(pareto.frontier(problem)) == _as_set(pareto.frontier_by_enumeration(problem))
