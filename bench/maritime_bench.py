"""Benchmark of the maritime picture (issue 15, "Speed"), every figure a ratio in one run.

1. End-to-end ingest (decode, validate, deduplicate, track update, thinned persistence in
   batches, incremental screening at every batch) against raw pyais decoding of the
   same sentences (``IterMessages`` + ``decode()``): the ratio of rates (goal >= 50 %),
   by wall time and by CPU time, alternating, best of three each.
2. A synthetic Gulf-wide replay, as fast as possible: time (generating the sentences
   apart from ingesting them), rate and peak memory. The issue's run is 24 h of 3,000
   vessels, about 10 million sentences (a position every 22 s under way, about 120
   sentences a second Gulf-wide as DOMAIN.md has it): ``--replay-24h``, alone, so that
   the peak memory is the replay's; ``--replay-fraction 0.1`` runs a tenth of it and
   prints the extrapolation, marked as such. By default a quarter of an hour.
3. Screening 10,000 and 1,000 vessels under way: the k-d-tree-pruned screen against the
   exhaustive vectorised all-pairs screen: identical alerts, both times, the ratio
   (goals: 10,000 < 10 ms, 1,000 < 2 ms; best of several runs).

    .venv/bin/python bench/maritime_bench.py                 # the default run
    .venv/bin/python bench/maritime_bench.py --smoke         # tiny (seconds)
    .venv/bin/python bench/maritime_bench.py --replay-24h    # the issue's 24 h replay
    .venv/bin/python bench/maritime_bench.py --replay-24h --replay-fraction 0.1

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


def _raw_pyais(lines: list[bytes]) -> tuple[float, float, int]:
    """Wall and CPU seconds of pyais's own decoding of ``lines``, and its messages."""
    from pyais.stream import IterMessages

    start, cpu = time.perf_counter(), time.process_time()
    decoded = 0
    for message in IterMessages(lines):
        message.decode()
        decoded += 1
    return time.perf_counter() - start, time.process_time() - cpu, decoded


def _end_to_end(lines: list[bytes]) -> tuple[float, float, dict]:
    from accord.maritime.services import Picture, maritime_mechanism

    picture = Picture(maritime_mechanism("MCC"))
    feed = picture.ingest.feed_line
    start, cpu = time.perf_counter(), time.process_time()
    for index, line in enumerate(lines, 1):
        feed(line)
        if index % 5000 == 0:
            picture.flush()
    picture.ingest.finish()
    picture.flush()
    return time.perf_counter() - start, time.process_time() - cpu, picture.ingest.summary()


def bench_ingest(lines: list[bytes], rounds: int = 3) -> tuple[float, float]:
    """Raw pyais and the end-to-end ingest alternately, ``rounds`` times each, best of
    each (the machine is shared: alternating keeps the load alike for both). Both wall
    time and CPU time (this process's: on a loaded machine the steadier of the two);
    returns the two ratios (end-to-end rate over pyais's rate)."""
    from accord.maritime.models import Encounter, Vessel, VesselAlert

    raw = raw_cpu = ours = ours_cpu = float("inf")
    decoded = 0
    summary: dict = {}
    for _ in range(rounds):
        took, took_cpu, decoded = _raw_pyais(lines)
        raw, raw_cpu = min(raw, took), min(raw_cpu, took_cpu)
        VesselAlert.objects.all().delete()
        Encounter.objects.all().delete()
        Vessel.objects.all().delete()
        took, took_cpu, summary = _end_to_end(lines)
        ours, ours_cpu = min(ours, took), min(ours_cpu, took_cpu)
    messages = summary["messages"]
    print(
        f"ingest: {len(lines):,} lines, pyais decodes {decoded:,} messages in {raw:.2f} s wall, "
        f"{raw_cpu:.2f} s CPU ({decoded / raw:,.0f}/s wall); end-to-end {messages:,} messages "
        f"in {ours:.2f} s wall, {ours_cpu:.2f} s CPU ({messages / ours:,.0f}/s wall, "
        f"{summary['positions_accepted']:,} positions, {summary['vessels']:,} vessels)"
    )
    print(
        f"ingest ratio: {raw / ours:.0%} of raw pyais by wall time, {raw_cpu / ours_cpu:.0%} by "
        f"CPU time (best of {rounds} each, alternating; goal >= 50 %)"
    )
    return raw / ours, raw_cpu / ours_cpu


def bench_replay(vessels: int, hours: float, every: float, fraction: float = 1.0) -> dict:
    """``fraction`` of ``hours`` of ``vessels`` ships Gulf-wide (a position every
    ``every`` seconds under way), generated in chunks (timed apart) and ingested with
    a flush every 20,000 lines: times, rates, peak memory, and the whole run
    extrapolated when only a fraction ran."""
    from accord.maritime import synthetic
    from accord.maritime.services import Picture, maritime_mechanism

    picture = Picture(maritime_mechanism("MCC"))
    feed = picture.ingest.feed_line
    lines = synthetic.traffic(
        vessels, hours * fraction, seed=7, start=1_900_000_000.0, under_way_every=every
    )
    generating = ingesting = 0.0
    count = 0
    started = time.perf_counter()
    while True:
        start = time.perf_counter()
        chunk = [line for _, line in zip(range(20_000), lines, strict=False)]
        generating += time.perf_counter() - start
        if not chunk:
            break
        start = time.perf_counter()
        for line in chunk:
            feed(line)
        picture.flush()
        ingesting += time.perf_counter() - start
        count += len(chunk)
    start = time.perf_counter()
    picture.ingest.finish()
    picture.flush()
    ingesting += time.perf_counter() - start
    took = time.perf_counter() - started
    summary = picture.ingest.summary()
    label = f"{hours * fraction:g} h" + (
        f" ({fraction:.0%} of {hours:g} h)" if fraction < 1 else ""
    )
    print(
        f"replay: {vessels:,} vessels x {label} Gulf-wide, a report every {every:g} s under way: "
        f"{count:,} sentences in {took:.1f} s ({generating:.1f} s generating them, "
        f"{ingesting:.1f} s ingesting: {count / ingesting:,.0f} sentences/s; "
        f"{summary['positions_accepted']:,} positions, {summary['vessels']:,} vessels); "
        f"peak memory {_peak_mb():,.0f} MB"
    )
    result = {"count": count, "took": took, "ingesting": ingesting, "fraction": fraction}
    if fraction < 1:
        whole = count / fraction
        print(
            f"replay extrapolated (not measured): {hours:g} h would be about {whole:,.0f} "
            f"sentences, {ingesting / fraction / 60:.0f} min ingesting "
            f"({took / fraction / 60:.0f} min with generating), if the rate held"
        )
    return result


def bench_screen(
    n: int, repeat: int, *, exhaustive: bool = True
) -> tuple[float, float, float | None]:
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
    best = best_cpu = float("inf")
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        pruned = screening.screen(fleet, rules)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    line = (
        f"screen {n:,} vessels: pruned {best * 1000:.2f} ms wall, {best_cpu * 1000:.2f} ms CPU "
        f"(best of {repeat}; {len(pruned)} alerts)"
    )
    full = None
    if exhaustive:
        start = time.perf_counter()
        every = screening.screen_exhaustive(fleet, rules)
        full = time.perf_counter() - start
        same = "identical" if every == pruned else "DIFFERENT"
        line += f"; exhaustive {full:.3f} s; alerts {same}; pruned is {full / best:,.0f}x faster"
    print(line)
    return best, best_cpu, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="A tiny run (seconds).")
    parser.add_argument("--ingest-lines", type=int, default=200_000)
    parser.add_argument(
        "--ingest-vessels", type=int, default=150, help="Ships in the Strait at once."
    )
    parser.add_argument("--replay-vessels", type=int, default=3000)
    parser.add_argument("--replay-hours", type=float, default=0.25)
    parser.add_argument(
        "--replay-every",
        type=float,
        default=10.0,
        help="Seconds between two positions of a ship under way.",
    )
    parser.add_argument(
        "--replay-24h",
        action="store_true",
        help="Only the issue's replay: 24 h of 3,000 vessels Gulf-wide, a position every "
        "22 s under way (about 10 million sentences, 120 a second).",
    )
    parser.add_argument(
        "--replay-fraction",
        type=float,
        default=1.0,
        help="Run this fraction of the replay and extrapolate the rest (said so).",
    )
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.smoke:
        args.ingest_lines, args.replay_vessels, args.replay_hours = 5_000, 100, 0.05
        args.ingest_vessels = 50
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory(prefix="maritime-bench-") as data_dir:
        _django(data_dir)
        if args.replay_24h:
            replay = bench_replay(3000, 24.0, 22.0, args.replay_fraction)
            measured = "extrapolated from a fraction" if replay["fraction"] < 1 else "measured"
            print(
                f"RESULT: 24 h replay ({measured}): about "
                f"{replay['count'] / replay['fraction']:,.0f} sentences, "
                f"{replay['took'] / replay['fraction'] / 60:.0f} min; "
                f"peak memory {_peak_mb():,.0f} MB"
            )
            return
        from accord.maritime import synthetic

        lines: list[bytes] = []
        for line in synthetic.traffic(args.ingest_vessels, 240, box=synthetic.STRAIT):
            lines.append(line.encode())
            if len(lines) >= args.ingest_lines:
                break
        wall_ratio, cpu_ratio = bench_ingest(lines)
        replay = bench_replay(args.replay_vessels, args.replay_hours, args.replay_every)
        small, small_cpu, _ = bench_screen(1000, args.repeat)
        large, large_cpu, full = bench_screen(10_000, args.repeat, exhaustive=not args.smoke)
    full_text = f"{full / large:,.0f}x" if full else "n/a"
    rate = replay["count"] / replay["took"]
    print(
        f"RESULT: ingest at {wall_ratio:.0%} of raw pyais by wall time, {cpu_ratio:.0%} by CPU "
        f"time; replay {rate:,.0f} sentences/s; screen 10,000 {large * 1000:.1f} ms wall, "
        f"{large_cpu * 1000:.1f} ms CPU (all-pairs {full_text} slower), 1,000 "
        f"{small * 1000:.2f} ms wall, {small_cpu * 1000:.2f} ms CPU; "
        f"peak memory {_peak_mb():,.0f} MB"
    )


if __name__ == "__main__":
    main()
