"""Benchmark of the exact Pareto frontier (``accord/analysis/pareto.py``) against NegMAS.

On the same random two-party problems (additive utilities, each party's utility
normalised to run from 0 to 1 over all packages, reservation values 0), it times:

- NegMAS's ``pareto_frontier`` and Accord's ``frontier`` at 6 issues x 5 options
  (15,625 packages) and 8 x 5 (390,625), checks the two frontiers are the same set of
  packages, and that NegMAS's Nash and Kalai points are Accord's packages (with these
  normalised utilities and the disagreement point at 0, NegMAS's ``kalai_points``, the
  largest smallest gain, is the Kalai-Smorodinsky solution: each party's ideal is 1);
- Accord alone at 20 x 5 (10^14 packages) and 40 x 5 (10^28), and with four parties at
  8 x 4 and 12 x 4.

NegMAS is optional (``pip install -e '.[bench]'``): without it the frontiers are checked
against a brute-force sweep over every package instead, and the line says so.

    .venv/bin/python bench/analysis_bench.py            # the full run
    .venv/bin/python bench/analysis_bench.py --smoke    # a tiny run (the tests use it)

The last line is ``RESULT: frontier identical: yes|no; speed-up at 8x5: N x``. Timings
are printed, never asserted.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accord.analysis import pareto  # noqa: E402

AIMS = {20: 0.002, 40: 0.020}  # seconds, Accord alone
WANTED_SPEEDUP = 1000


def problem_of(issues: int, options: int, seed: int) -> tuple[list[list[list[float]]], Any]:
    """Two parties' normalised additive values: ``values[p][i][j]``, each party's
    package utilities running from exactly 0 to 1."""
    rng = random.Random(seed)
    values: list[list[list[float]]] = []
    for _party in range(2):
        weights = [rng.random() for _ in range(issues)]
        raw = [[rng.random() for _ in range(options)] for _ in range(issues)]
        shifted = [[w * (v - min(row)) for v in row] for w, row in zip(weights, raw, strict=True)]
        span = sum(max(row) for row in shifted)
        values.append([[v / span for v in row] for row in shifted])
    return values, pareto.Problem.of(values, [0.0, 0.0])


def timed(call: Callable[[], Any], *, repeat: int) -> tuple[float, Any]:
    """The median time of ``repeat`` runs of ``call`` and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def brute_force_two(problem: pareto.Problem) -> set[tuple[int, ...]]:
    """Every package on the two-party frontier, by enumerating them all and sweeping."""
    scored = sorted(
        ((problem.utility(p), p) for p in pareto.packages(problem)),
        key=lambda item: item[0],
        reverse=True,
    )
    out: set[tuple[int, ...]] = set()
    top = None
    last = None
    for (u0, u1), package in scored:
        if top is None or u1 > top:
            out.add(tuple(package))
            top, last = u1, (u0, u1)
        elif (u0, u1) == last:
            out.add(tuple(package))
    return out


def accord_packages(points: list[pareto.Point], problem: pareto.Problem) -> set[tuple[int, ...]]:
    """The frontier's packages (every package when a point stands for several)."""
    out: set[tuple[int, ...]] = set()
    for point in points:
        if point.count == 1:
            out.add(point.package)
        else:  # ties are vanishingly rare with random floats; enumerate then
            out |= {
                tuple(p) for p in pareto.packages(problem) if problem.utility(p) == point.utilities
            }
    return out


def negmas_run(values: list[list[list[float]]], options: int) -> dict[str, Any] | None:
    try:
        from negmas.outcomes import make_issue
        from negmas.preferences import (
            LinearAdditiveUtilityFunction,
            kalai_points,
            nash_points,
            pareto_frontier,
        )
        from negmas.preferences.value_fun import TableFun
    except ImportError:
        return None
    n_issues = len(values[0])
    issues = [make_issue(options, name=f"i{k}") for k in range(n_issues)]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values=[TableFun(dict(enumerate(row))) for row in party],
            weights=[1.0] * n_issues,
            issues=issues,
            reserved_value=0.0,
        )
        for party in values
    ]
    outcomes = list(itertools.product(*(range(options) for _ in range(n_issues))))
    seconds, (utils, indexes) = timed(
        lambda: pareto_frontier(ufuns, outcomes=outcomes, sort_by_welfare=True), repeat=1
    )
    ranges = [(0.0, 1.0), (0.0, 1.0)]
    nash = nash_points(ufuns, utils, ranges=ranges)
    kalai = kalai_points(ufuns, utils, ranges=ranges)
    return {
        "seconds": seconds,
        "packages": {tuple(outcomes[i]) for i in indexes},
        "nash": {tuple(outcomes[indexes[k]]) for _u, k in nash},
        "kalai": {tuple(outcomes[indexes[k]]) for _u, k in kalai},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny run, once")
    args = parser.parse_args()
    compared = [(3, 3), (4, 3)] if args.smoke else [(6, 5), (8, 5)]
    alone = [(8, 5)] if args.smoke else [(20, 5), (40, 5)]
    repeat = 3 if args.smoke else 21
    identical = True
    speedup: float | None = None
    have_negmas = True
    for n_issues, n_options in compared:
        values, problem = problem_of(n_issues, n_options, seed=n_issues)
        ours_s, points = timed(lambda problem=problem: pareto.frontier(problem), repeat=repeat)
        ours = accord_packages(points, problem)
        nash = pareto.nash(points, problem.reservations)
        kalai = pareto.kalai_smorodinsky(points, problem.reservations)
        label = f"{n_issues}x{n_options}"
        print(f"{label}: {problem.packages:,} packages, {len(points)} on the frontier")
        print(f"  Accord frontier:  {ours_s * 1000:10.3f} ms (median of {repeat})")
        theirs = negmas_run(values, n_options)
        if theirs is None:
            have_negmas = False
            print("  NegMAS: not installed (pip install -e '.[bench]'); checked by brute force")
            same = ours == brute_force_two(problem)
            print(f"  frontier identical to brute force: {'yes' if same else 'no'}")
            identical &= same
            continue
        ratio = theirs["seconds"] / ours_s
        same = ours == theirs["packages"]
        identical &= same
        print(f"  NegMAS frontier:  {theirs['seconds'] * 1000:10.3f} ms")
        print(f"  ratio: {ratio:,.0f} x faster (aim: {WANTED_SPEEDUP:,} x)")
        print(f"  frontier identical: {'yes' if same else 'no'} ({len(theirs['packages'])})")
        nash_same = nash is not None and nash.package in theirs["nash"]
        kalai_same = kalai is not None and kalai.package in theirs["kalai"]
        print(f"  Nash package identical: {'yes' if nash_same else 'no'}")
        print(f"  Kalai-Smorodinsky package identical: {'yes' if kalai_same else 'no'}")
        identical &= nash_same and kalai_same
        if (n_issues, n_options) == (8, 5):
            speedup = ratio
    for n_issues, n_options in alone:
        _values, problem = problem_of(n_issues, n_options, seed=n_issues)
        seconds, points = timed(lambda problem=problem: pareto.frontier(problem), repeat=repeat)
        solve_s, _ = timed(
            lambda points=points, problem=problem: (
                pareto.nash(points, problem.reservations),
                pareto.kalai_smorodinsky(points, problem.reservations),
                pareto.egalitarian(points, problem.reservations),
            ),
            repeat=repeat,
        )
        aim = AIMS.get(n_issues)
        verdict = (
            ""
            if aim is None
            else f" (aim < {aim * 1000:g} ms: {'met' if seconds < aim else 'MISSED'})"
        )
        print(
            f"{n_issues}x{n_options}: {problem.packages:.1e} packages, {len(points)} on the "
            f"frontier; Accord frontier {seconds * 1000:.3f} ms{verdict}, "
            f"three solutions {solve_s * 1000:.3f} ms"
        )
    # Four parties (the multilateral charter's case), Accord alone: the frontier has many
    # more points with every party a dimension more.
    for n_issues, n_options in [(4, 3)] if args.smoke else [(8, 4), (12, 4)]:
        rng = random.Random(n_issues)
        values4 = [
            [[rng.random() for _ in range(n_options)] for _ in range(n_issues)] for _ in range(4)
        ]
        problem = pareto.Problem.of(values4, [0.0] * 4)
        seconds, points = timed(lambda problem=problem: pareto.frontier(problem), repeat=3)
        print(
            f"4 parties, {n_issues}x{n_options}: {problem.packages:,} packages, {len(points)} on "
            f"the frontier; Accord frontier {seconds * 1000:.1f} ms"
        )
    if not have_negmas:
        shown = "n/a (NegMAS not installed)"
    elif speedup is None:
        shown = "n/a (8x5 not run)"
    else:
        shown = f"{speedup:,.0f} x"
    print(f"RESULT: frontier identical: {'yes' if identical else 'no'}; speed-up at 8x5: {shown}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
