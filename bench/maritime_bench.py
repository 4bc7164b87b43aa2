"""Benchmark of the maritime picture (issue 15, "Speed"), every figure a ratio in one run.

1. End-to-end ingest (decode, validate, deduplicate, track update, thinned persistence in
   batches, incremental screening at every batch) against raw pyais decoding of the
   same sentences (``IterMessages`` + ``decode()``): the ratio of rates (goal >= 50 %).
2. A synthetic Gulf-wide replay, as fast as possible: time, rate and peak memory. The
   full run is 24 h of 3,000 vessels (about 10 million sentences): ``--replay-hours 24``.
   By default a scaled run (``--replay-hours 0.25``); CI never runs the big one.
3. Screening 10,000 and 1,000 vessels under way: the k-d-tree-pruned screen against the
   exhaustive vectorised all-pairs screen: identical alerts, both times, the ratio
   (goals: 10,000 < 10 ms, 1,000 < 2 ms; best of several runs).

    .venv/bin/python bench/maritime_bench.py                 # the default run
    .venv/bin/python bench/maritime_bench.py --smoke         # tiny (seconds)
    .venv/bin/python bench/maritime_bench.py --replay-hours 24 --replay-vessels 3000

The database is a fresh SQLite file in a temporary directory. Timings are printed,
never asserted. The last line is ``RESULT: ...``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _django(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    os.environ["ACCORD_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    from accord.process.services import charter_load

    charter_load(path=settings.ACCORD_DEFAULT_CHARTER)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _raw_pyais(lines: list[bytes]) -> tuple[float, int]:
    from pyais.stream import IterMessages

    start = time.perf_counter()
    decoded = 0
    for message in IterMessages(lines):
        message.decode()
        decoded += 1
    return time.perf_counter() - start, decoded


def _end_to_end(lines: list[bytes]) -> tuple[float, dict]:
    from accord.maritime.services import Picture, maritime_mechanism

    picture = Picture(maritime_mechanism("MCC"))
    feed = picture.ingest.feed_line
    start = time.perf_counter()
    for index, line in enumerate(lines, 1):
        feed(line)
        if index % 5000 == 0:
            picture.flush()
    picture.ingest.finish()
    picture.flush()
    return time.perf_counter() - start, picture.ingest.summary()


def bench_ingest(lines: list[bytes], rounds: int = 2) -> tuple[float, float]:
    """Raw pyais and the end-to-end ingest alternately, ``rounds`` times each, best of
    each (the machine is shared: alternating keeps the load alike for both)."""
    from accord.maritime.models import Encounter, Vessel

    raw = ours = float("inf")
    decoded = 0
    summary: dict = {}
    for _ in range(rounds):
        took, decoded = _raw_pyais(lines)
        raw = min(raw, took)
        Encounter.objects.all().delete()
        Vessel.objects.all().delete()
        took, summary = _end_to_end(lines)
        ours = min(ours, took)
    print(
        f"ingest: {len(lines):,} lines, pyais decodes {decoded:,} messages in {raw:.2f} s "
        f"({decoded / raw:,.0f}/s); end-to-end {summary['messages']:,} messages in {ours:.2f} s "
        f"({summary['messages'] / ours:,.0f}/s, {summary['positions_accepted']:,} positions, "
        f"{summary['vessels']:,} vessels): {raw / ours:.0%} of raw pyais (best of {rounds})"
    )
    return raw, ours


def bench_replay(vessels: int, hours: float) -> tuple[float, int]:
    from accord.maritime import synthetic
    from accord.maritime.services import Picture, maritime_mechanism

    picture = Picture(maritime_mechanism("MCC"))
    feed = picture.ingest.feed_line
    start = time.perf_counter()
    count = 0
    for line in synthetic.traffic(vessels, hours, seed=7, start=1_900_000_000.0):
        feed(line)
        count += 1
        if count % 20_000 == 0:
            picture.flush()
    picture.ingest.finish()
    picture.flush()
    took = time.perf_counter() - start
    summary = picture.ingest.summary()
    print(
        f"replay: {vessels:,} vessels x {hours:g} h Gulf-wide: {count:,} sentences "
        f"(generated and ingested) in {took:.1f} s ({count / took:,.0f}/s, "
        f"{summary['positions_accepted']:,} positions); peak memory {_peak_mb():,.0f} MB"
    )
    return took, count


def bench_screen(n: int, repeat: int, *, exhaustive: bool = True) -> tuple[float, float | None]:
    import numpy as np

    from accord.maritime import screening
    from accord.maritime.charter import maritime_settings_parse

    rules = maritime_settings_parse("MCC", None).rules()
    rng = np.random.default_rng(n)
    # Vessels under way over the Gulf's water area (about 73,000 square nautical miles).
    lat = rng.uniform(24.5, 29.5, n)
    lon = rng.uniform(49.0, 56.5, n)
    fast = rng.random(n) < 0.02
    sog = np.where(fast, rng.uniform(25, 45, n), rng.uniform(3, 16, n))
    cog = rng.uniform(0, 360, n)
    names = list(screening.AFFILIATIONS)
    affiliation = rng.choice(names, n, p=[0.01, 0.01, 0.02, 0.9, 0.03, 0.03])
    fleet = screening.Fleet.from_positions(lat, lon, sog, cog, affiliation)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        pruned = screening.screen(fleet, rules)
        best = min(best, time.perf_counter() - start)
    line = f"screen {n:,} vessels: pruned {best * 1000:.2f} ms ({len(pruned)} alerts)"
    full = None
    if exhaustive:
        start = time.perf_counter()
        every = screening.screen_exhaustive(fleet, rules)
        full = time.perf_counter() - start
        same = "identical" if every == pruned else "DIFFERENT"
        line += f"; exhaustive {full:.3f} s; alerts {same}; pruned is {full / best:,.0f}x faster"
    print(line)
    return best, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="A tiny run (seconds).")
    parser.add_argument("--ingest-lines", type=int, default=200_000)
    parser.add_argument(
        "--ingest-vessels", type=int, default=150, help="Ships in the Strait at once."
    )
    parser.add_argument("--replay-vessels", type=int, default=3000)
    parser.add_argument("--replay-hours", type=float, default=0.25)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.smoke:
        args.ingest_lines, args.replay_vessels, args.replay_hours = 5_000, 100, 0.05
        args.ingest_vessels = 50
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory(prefix="maritime-bench-") as data_dir:
        _django(data_dir)
        from accord.maritime import synthetic

        lines: list[bytes] = []
        for line in synthetic.traffic(args.ingest_vessels, 240, box=synthetic.STRAIT):
            lines.append(line.encode())
            if len(lines) >= args.ingest_lines:
                break
        raw, ours = bench_ingest(lines)
        took, count = bench_replay(args.replay_vessels, args.replay_hours)
        small, _ = bench_screen(1000, args.repeat)
        large, full = bench_screen(10_000, args.repeat, exhaustive=not args.smoke)
    full_text = f"{full / large:,.0f}x" if full else "n/a"
    print(
        f"RESULT: ingest at {raw / ours:.0%} of raw pyais; replay {count / took:,.0f} "
        f"sentences/s (24 h x 3,000 vessels ~ {10_000_000 / (count / took) / 60:.0f} min); "
        f"screen 10,000 {large * 1000:.1f} ms (all-pairs {full_text} slower), "
        f"1,000 {small * 1000:.2f} ms; peak memory {_peak_mb():,.0f} MB"
    )


if __name__ == "__main__":
    main()
