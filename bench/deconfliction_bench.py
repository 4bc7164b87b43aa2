"""Benchmark of the de-confliction mechanism: conflict checks in memory, the import, and
the API over real HTTP.

Part 1, in memory (``accord/deconfliction/conflicts.py``): 50,000 random sites (points
with 100-500 m buffers) and 5,000 movements (routes of 3-6 points with 200-800 m
corridors and 2-12 h windows) across Lebanon; times building the index, a check right
after one notification is added (seen at once, without a rebuild), and conflict checks of
random 5 km boxes with 6 h windows (median and p99), and the same checks by a plain loop
over the same shapely geometries, each query timed both ways in turn (so a change of
load on the machine hits both alike), with the ratio of the medians. The loop and the
index must find the same notifications (asserted).

Part 2, served (SQLite): ``accord demo --setup-only`` into a fresh data dir, then
``accord deconfliction import`` of a GeoJSON file of 45,000 sites and 5,000 movements
inside the mechanism's area (timed as a whole command, startup included), and of 5,000
more sites, so 50,000 sites and 5,000 movements are loaded. The bench then marks them
transmitted in the database (a shortcut of the bench's own: transmitting 55,000
notifications one by one through the service would only measure that service), starts
``accord serve``, signs in a party's duty officer and times each API endpoint of the
mechanism over HTTP on 127.0.0.1: p50, p95 and p99 per endpoint.

    .venv/bin/python bench/deconfliction_bench.py            # the full run
    .venv/bin/python bench/deconfliction_bench.py --smoke    # a tiny run (seconds)
    .venv/bin/python bench/deconfliction_bench.py --in-memory-only

Timings are printed, never asserted. The last lines start with ``RESULT:``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import LineString, Point, box, shape  # noqa: E402

from accord.deconfliction.conflicts import ConflictIndex, Notified  # noqa: E402

T0 = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
LON = (35.1, 36.6)
LAT = (33.05, 34.65)
ACCORD = str(Path(sys.executable).parent / "accord")
PASSWORD = "accord-demo"
AREA_FILE = ROOT / "charters" / "geo" / "lebanon-area.geojson"
ORGANISATION = "UN OCHA Lebanon"  # one of the demo's organisations
CHECK = "POST /checks (a 5 km box, 6 h)"
SMALL_CHECK = "POST /checks (a 1 km box, 6 h)"


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


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def in_memory(sites: int, movements: int, checks: int) -> None:
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

    tree_times, loop_times, paired, found = [], [], [], 0
    loop_every = 10  # the loop is slow: every tenth query is also run by the loop
    for n, (area, start, end) in enumerate(queries):
        t = time.perf_counter()
        result = index.check(area, buffer_m=0, planned_from=start, planned_until=end)
        tree_times.append(time.perf_counter() - t)
        found += len(result)
        if n % loop_every == 0:
            t = time.perf_counter()
            loop = index.check_by_loop(area, buffer_m=0, planned_from=start, planned_until=end)
            loop_times.append(time.perf_counter() - t)
            paired.append(tree_times[-1])
            assert loop == sorted(c.key for c in result), "the index and the loop disagree"

    index.add(Notified("new", "site", Point(35.5, 33.5), 300))
    t = time.perf_counter()
    hit = index.check(
        Point(35.5, 33.5), buffer_m=0, planned_from=T0, planned_until=T0 + dt.timedelta(hours=1)
    )
    after_addition = time.perf_counter() - t
    assert any(c.key == "new" for c in hit)
    index.remove("new")

    tree_median = statistics.median(tree_times)
    loop_median = statistics.median(loop_times)
    print(
        f"{checks} checks: median {_ms(tree_median):.3f} ms, "
        f"p99 {_ms(_percentile(tree_times, 0.99)):.3f} ms, {found / checks:.0f} conflicts a check"
    )
    print(
        f"plain loop: median {_ms(loop_median):.1f} ms over {len(loop_times)} checks "
        f"(the index on those very queries: median {_ms(statistics.median(paired)):.3f} ms)"
    )
    print(
        f"RESULT: check median {_ms(tree_median):.3f} ms; loop median {_ms(loop_median):.1f} ms; "
        f"ratio {loop_median / statistics.median(paired):.0f} x; "
        f"check after an addition {_ms(after_addition):.1f} ms"
    )


# --- Part 2: served -------------------------------------------------------------------


def _area() -> shapely.Geometry:
    with AREA_FILE.open() as handle:
        area = shape(json.load(handle)["features"][0]["geometry"])
    shapely.prepare(area)
    return area


def _inside(area: shapely.Geometry, rng: random.Random) -> tuple[float, float]:
    west, south, east, north = area.bounds
    while True:
        x, y = round(rng.uniform(west, east), 6), round(rng.uniform(south, north), 6)
        if shapely.contains_xy(area, x, y):
            return x, y


def _features(sites: int, movements: int, rng: random.Random, area: shapely.Geometry) -> list:
    """GeoJSON features the import accepts: sites with buffers, movements with corridors
    and windows from three days on (beyond the charter's 48 h notice)."""
    kinds = ["hospital", "clinic", "school", "shelter", "office", "warehouse"]
    first = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=3)
    features = []
    for i in range(sites):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(_inside(area, rng))},
                "properties": {
                    "kind": "site",
                    "title": f"Site {i}",
                    "site_type": rng.choice(kinds),
                    "buffer_m": rng.randint(100, 500),
                },
            }
        )
    made = 0
    while made < movements:
        x, y = _inside(area, rng)
        points = [(x, y)]
        for _ in range(rng.randint(1, 3)):
            x, y = round(x + rng.uniform(-0.02, 0.02), 6), round(y + rng.uniform(-0.02, 0.02), 6)
            points.append((x, y))
        line = LineString(points)
        if not line.is_simple or not area.covers(line):
            continue
        start = first + dt.timedelta(hours=rng.randint(0, 24 * 14))
        end = start + dt.timedelta(hours=rng.randint(2, 12))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
                "properties": {
                    "kind": "movement",
                    "title": f"Movement {made}",
                    "buffer_m": rng.randint(200, 800),
                    "starts_at": start.isoformat(),
                    "ends_at": end.isoformat(),
                    "vehicles": "2 trucks",
                    "people": 4,
                    "contact": "+961 0",
                },
            }
        )
        made += 1
    return features


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "ACCORD_ALLOWED_HOSTS": "127.0.0.1,localhost",
        **{
            name: secrets.token_urlsafe(48)
            for name in (
                "ACCORD_SECRET_KEY",
                "ACCORD_CURSOR_SECRET",
                "ACCORD_CHANNEL_KEY_SECRET",
                "ACCORD_AUDIT_KEY_SECRET",
            )
        },
        "ACCORD_DEMO_WITHOUT_SECOND_FACTOR": "1",
        "ACCORD_DEMO_WITHOUT_PASSWORD_POLICY": "1",
        "ACCORD_API_RATE": "1000000/m",
        "ACCORD_API_ADDRESS_RATE": "1000000/m",
    }
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _import(env: dict[str, str], path: Path, *extra: str) -> tuple[float, float, dict]:
    """Run ``accord deconfliction import``: (wall seconds, CPU seconds, its summary)."""
    command = [ACCORD, "deconfliction", "import", str(path), "--as", "pk-duty"]
    command += ["--organisation", ORGANISATION, "--json", *extra]
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the import failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return took, _children_cpu() - cpu, json.loads(done.stdout)


def _sign_in(client: httpx.Client, username: str) -> None:
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{client.base_url}/accounts/login/"},
    )
    assert response.status_code in (302, 303), f"sign-in of {username} failed"
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]


def served(sites: int, movements: int, requests: int, keep: bool) -> None:
    rng = random.Random(17)
    area = _area()
    data_dir = Path(tempfile.mkdtemp(prefix="accord-bench-deconfliction-"))
    env = _environment(data_dir)
    subprocess.run(
        [ACCORD, "demo", "--setup-only"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT
    )
    extra = sites // 10
    first = data_dir / "first.geojson"
    second = data_dir / "second.geojson"
    first.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": _features(sites - extra, movements, rng, area),
            }
        )
    )
    second.write_text(
        json.dumps({"type": "FeatureCollection", "features": _features(extra, 0, rng, area)})
    )
    count = sites - extra + movements
    empty = data_dir / "empty.geojson"
    empty.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    _took, startup, _summary = _import(env, empty)
    print(f"the command's own start (an import of nothing): {startup:.2f} s of CPU")
    dry, dry_cpu, summary = _import(env, first, "--dry-run")
    assert summary["valid"] == count and not summary["errors"], summary["errors"][:3]
    print(
        f"import --dry-run of {count:,} features: {dry:.2f} s wall, {dry_cpu:.2f} s CPU "
        "(the whole command)"
    )
    took, took_cpu, summary = _import(env, first)
    assert summary["imported"] == count, summary["errors"][:3]
    print(
        f"import of {count:,} features: {took:.2f} s wall, {took_cpu:.2f} s CPU (the whole command)"
    )
    took_more, _cpu, summary = _import(env, second)
    assert summary["imported"] == extra
    print(f"import of {extra:,} more sites: {took_more:.2f} s wall")

    # The bench's shortcut: every imported notification transmitted (in force).
    with sqlite3.connect(data_dir / "accord.sqlite3") as db:
        db.execute(
            "UPDATE deconfliction_notification SET status = 'transmitted', scope = 'shared' "
            "WHERE status = 'submitted'"
        )
    port = _free_port()
    log = (data_dir / "server.log").open("a")
    server = subprocess.Popen(
        [ACCORD, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-sweeper"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/accounts/login/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start: see " + str(data_dir / "server.log"))
            time.sleep(0.2)
        _api_bench(url, requests, rng, area)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    if keep:
        print(f"data kept in {data_dir}")
    else:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    print(
        f"RESULT: import of {count:,} features {took:.2f} s wall, {took_cpu:.2f} s CPU "
        f"(the whole command, startup included); dry run {dry:.2f} s wall"
    )


def _check_body(rng: random.Random, area: shapely.Geometry, scale: float = 1.0) -> dict:
    """A check of a box about 5 km a side (``scale`` 0.2: 1 km) and a 6 h window."""
    width, height = 0.054 * scale, 0.045 * scale
    while True:
        x, y = _inside(area, rng)
        if area.covers(box(x, y, x + width, y + height)):
            break
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(
        days=3, hours=rng.randint(0, 24 * 14)
    )
    return {
        "geometry": shapely.geometry.mapping(box(x, y, x + width, y + height)),
        "buffer_m": 0,
        "planned_from": start.isoformat().replace("+00:00", "Z"),
        "planned_until": (start + dt.timedelta(hours=6)).isoformat().replace("+00:00", "Z"),
    }


def _api_bench(url: str, requests: int, rng: random.Random, area: shapely.Geometry) -> None:
    api = "/api/deconfliction"
    with httpx.Client(base_url=url, timeout=120) as client:
        _sign_in(client, "us-duty")
        t = time.perf_counter()
        first = client.post(f"{api}/checks", json=_check_body(rng, area))
        assert first.status_code == 201, first.text[:500]
        print(f"first check (the server builds its index): {time.perf_counter() - t:.2f} s")
        listed = client.get(f"{api}/notifications", params={"limit": 50})
        assert listed.status_code == 200, listed.text[:500]
        ids = [row["id"] for row in listed.json()]
        bodies = [_check_body(rng, area) for _ in range(requests)]
        small = [_check_body(rng, area, scale=0.2) for _ in range(requests)]
        endpoints = {
            CHECK: lambda n: client.post(f"{api}/checks", json=bodies[n]),
            SMALL_CHECK: lambda n: client.post(f"{api}/checks", json=small[n]),
            "GET /notifications?limit=50": lambda n: client.get(
                f"{api}/notifications", params={"limit": 50}
            ),
            "GET /notifications/{id}": lambda n: client.get(
                f"{api}/notifications/{ids[n % len(ids)]}"
            ),
            "GET /checks?limit=50": lambda n: client.get(f"{api}/checks", params={"limit": 50}),
            "GET /activities": lambda n: client.get(f"{api}/activities"),
            "GET /reports": lambda n: client.get(f"{api}/reports"),
            "GET /determinations": lambda n: client.get(f"{api}/determinations"),
        }
        times: dict[str, list[float]] = {name: [] for name in endpoints}
        conflicts: dict[str, list[int]] = {CHECK: [], SMALL_CHECK: []}
        # In turn, so the machine's load weighs on every endpoint alike.
        for n in range(requests):
            for name, call in endpoints.items():
                t = time.perf_counter()
                response = call(n)
                times[name].append(time.perf_counter() - t)
                assert response.status_code in (200, 201), f"{name}: {response.text[:300]}"
                if name in conflicts:
                    conflicts[name].append(len(response.json()["conflicts"]))
    print(f"API over HTTP, {requests} requests each (one client, in turn):")
    for name, values in times.items():
        print(
            f"  {name:<32} p50 {_ms(statistics.median(values)):6.1f} ms  "
            f"p95 {_ms(_percentile(values, 0.95)):6.1f} ms  "
            f"p99 {_ms(_percentile(values, 0.99)):6.1f} ms"
        )
    print(
        f"  (conflicts found on average: {statistics.mean(conflicts[CHECK]):.0f} in a 5 km box, "
        f"{statistics.mean(conflicts[SMALL_CHECK]):.0f} in a 1 km box; the mechanism's area is "
        "South Lebanon, so 55,000 notifications lie denser than across all Lebanon in part 1)"
    )
    checks, smaller = times[CHECK], times[SMALL_CHECK]
    print(
        f"RESULT: API check p50 {_ms(statistics.median(checks)):.1f} ms, "
        f"p99 {_ms(_percentile(checks, 0.99)):.1f} ms (1 km box: p99 "
        f"{_ms(_percentile(smaller, 0.99)):.1f} ms); worst p99 of any endpoint "
        f"{_ms(max(_percentile(v, 0.99) for v in times.values())):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="a tiny run")
    parser.add_argument("--in-memory-only", action="store_true", help="part 1 only")
    parser.add_argument("--keep", action="store_true", help="keep the served part's data dir")
    parser.add_argument("--requests", type=int, default=None, help="per API endpoint")
    args = parser.parse_args()
    if args.smoke:
        sites, movements, checks, requests = 2_000, 200, 20, 20
    else:
        sites, movements, checks, requests = 50_000, 5_000, 300, 200
    requests = args.requests or requests
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    in_memory(sites, movements, checks)
    if not args.in_memory_only:
        served(sites, movements, requests, args.keep)


if __name__ == "__main__":
    main()
