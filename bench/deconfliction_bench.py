"""Benchmark of conflict checks (``accord/deconfliction/conflicts.py``), in memory.

Loads 50,000 random sites (points with 100-500 m buffers) and 5,000 movements (routes of
3-6 points with 200-800 m corridors and 2-12 h windows) across Lebanon, then times:

- building the index; a check right after one notification is added (seen at once,
  without a rebuild: the cost of "reflected at once");
- a conflict check of a random 5 km box and 6 h window (STRtree, prepared geometry,
  distances in metres), median and p99 over many checks;
- the same checks by a plain loop over the same shapely geometries, and the ratio.

    .venv/bin/python bench/deconfliction_bench.py            # the full run
    .venv/bin/python bench/deconfliction_bench.py --smoke    # a tiny run

Timings are printed, never asserted. The last line is
``RESULT: check median N ms; loop median N ms; ratio N x; check after an addition N ms``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shapely.geometry import LineString, Point, box

from accord.deconfliction.conflicts import ConflictIndex, Notified

T0 = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
LON = (35.1, 36.6)
LAT = (33.05, 34.65)


def _items(sites: int, movements: int, rng: random.Random) -> list[Notified]:
    items = []
    for i in range(sites):
        point = Point(rng.uniform(*LON), rng.uniform(*LAT))
        items.append(Notified(f"s{i}", "site", point, rng.uniform(100, 500)))
    for i in range(movements):
        x, y = rng.uniform(*LON), rng.uniform(*LAT)
        points = [(x, y)]
        for _ in range(rng.randint(2, 5)):
            x, y = x + rng.uniform(-0.05, 0.05), y + rng.uniform(-0.05, 0.05)
            points.append((x, y))
        start = T0 + dt.timedelta(hours=rng.uniform(0, 24 * 14))
        end = start + dt.timedelta(hours=rng.uniform(2, 12))
        items.append(
            Notified(f"m{i}", "movement", LineString(points), rng.uniform(100, 400), "", start, end)
        )
    return items


def _ms(seconds: float) -> float:
    return seconds * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    sites, movements, checks = (2_000, 200, 20) if args.smoke else (50_000, 5_000, 300)
    rng = random.Random(16)
    items = _items(sites, movements, rng)

    started = time.perf_counter()
    index = ConflictIndex.of(items)
    index.check(Point(35.5, 33.5), buffer_m=0, planned_from=T0, planned_until=T0)
    built = time.perf_counter() - started
    print(f"index of {len(index):,} notifications built in {_ms(built):.0f} ms")

    queries = []
    for _ in range(checks):
        x, y = rng.uniform(*LON), rng.uniform(*LAT)
        start = T0 + dt.timedelta(hours=rng.uniform(0, 24 * 14))
        # About 5 km a side at this latitude.
        queries.append((box(x, y, x + 0.054, y + 0.045), start, start + dt.timedelta(hours=6)))

    tree_times, loop_times, found = [], [], 0
    for area, start, end in queries:
        t = time.perf_counter()
        result = index.check(area, buffer_m=0, planned_from=start, planned_until=end)
        tree_times.append(time.perf_counter() - t)
        found += len(result)
    for area, start, end in queries[: max(5, checks // 10)]:
        t = time.perf_counter()
        loop = index.check_by_loop(area, buffer_m=0, planned_from=start, planned_until=end)
        loop_times.append(time.perf_counter() - t)
        tree = index.check(area, buffer_m=0, planned_from=start, planned_until=end)
        assert loop == sorted(c.key for c in tree), "the index and the loop disagree"

    index.add(Notified("new", "site", Point(35.5, 33.5), 300))
    t = time.perf_counter()
    hit = index.check(
        Point(35.5, 33.5), buffer_m=0, planned_from=T0, planned_until=T0 + dt.timedelta(hours=1)
    )
    rebuild = time.perf_counter() - t
    assert any(c.key == "new" for c in hit)
    index.remove("new")

    tree_median = statistics.median(tree_times)
    tree_p99 = sorted(tree_times)[int(len(tree_times) * 0.99) - 1]
    loop_median = statistics.median(loop_times)
    print(
        f"{checks} checks: median {_ms(tree_median):.3f} ms, "
        f"p99 {_ms(tree_p99):.3f} ms, {found} conflicts"
    )
    print(f"plain loop: median {_ms(loop_median):.1f} ms over {len(loop_times)} checks")
    print(
        f"RESULT: check median {_ms(tree_median):.3f} ms; loop median {_ms(loop_median):.1f} ms; "
        f"ratio {loop_median / tree_median:.0f} x; check after an addition {_ms(rebuild):.1f} ms"
    )


if __name__ == "__main__":
    main()
