"""Benchmark the live map with 3,000 vessels: frames served a second, the browser's frame time.

``accord demo --setup-only`` into a fresh data dir, then in this process: 3,000 vessels
ingested through the maritime picture (one batch), every one moved again (a second
batch). Then, signed in as a duty officer through Django's test client:

- a full frame (every vessel) built cold, and served from the shared frame (another page
  of the same party within the second): median time and frames a second;
- a frame of changes (every vessel moved after the cursor) built cold;
- the size of each.

Then the map itself in Chromium (``geo/_map.html`` rendered by Django, page and files
served by Playwright's router under the site's CSP): the full layers, then a frame of
all 3,000 vessels moved every second for ``--frames`` seconds; the map's own redraw time
(``data-draw-ms``, Leaflet's canvas renderer) per frame, median and worst.

    .venv/bin/python bench/maritime_map_bench.py               # 3,000 vessels
    .venv/bin/python bench/maritime_map_bench.py --vessels 300 --frames 3   # a quick run

Figures only: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import mimetypes
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ACCORD = str(Path(sys.executable).parent / "accord")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vessels", type=int, default=3000)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="maritime-map-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_DEMO_WITHOUT_SECOND_FACTOR": "1",
        "ACCORD_DEMO_WITHOUT_PASSWORD_POLICY": "1",
    }
    subprocess.run(
        [ACCORD, "demo", "--setup-only"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop in this thread
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accord.accounts.models import User
    from accord.maritime.services import Picture, maritime_mechanism
    from accord.maritime.tests.test_picture import _line

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    picture = Picture(maritime_mechanism("MCC"))
    t0 = int(time.time()) - 120
    n = args.vessels

    def batch(t: int, shift: float) -> list[str]:
        # A grid over the Strait's approaches, headings all round the compass.
        return [
            _line(
                t,
                200000000 + i,
                26.0 + (i // 60) * 0.02 + shift,
                55.8 + (i % 60) * 0.025,
                5 + i % 15,
                (i * 37) % 360,
            )
            for i in range(n)
        ]

    started = time.perf_counter()
    picture.feed_lines(batch(t0, 0.0))
    picture.flush()
    first_batch = time.perf_counter() - started
    started = time.perf_counter()
    picture.feed_lines(batch(t0 + 60, 0.002))
    picture.flush()
    second_batch = time.perf_counter() - started

    client = Client()
    client.force_login(User.objects.get(username="us-duty"))
    url = "/maritime/map/MCC/positions.json"

    def cold(path: str) -> tuple[float, bytes]:
        times, body = [], b""
        for _ in range(args.repeat):
            cache.clear()
            t = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - t)
            body = response.content
        return statistics.median(times), body

    full_cold, full_body = cold(url)
    client.get(url)
    shared = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        client.get(url)
        shared.append(time.perf_counter() - t)
    cursor = json.loads(full_body)["next"]
    since = cursor.split("after=")[1]
    before = since.replace("Z", "+00:00")
    # A frame of changes: every vessel moved after an earlier cursor.
    moment = dt.datetime.fromisoformat(before) - dt.timedelta(seconds=30)
    earlier = url + "?after=" + moment.isoformat().replace("+00:00", "Z")
    changes_cold, changes_body = cold(earlier)
    layers_response = client.get("/maritime/map/MCC/layers.json")

    print(
        f"vessels: {n}; ingest batches: first {first_batch:.2f} s, all moved {second_batch:.2f} s"
    )
    print(
        f"full frame, built: {full_cold * 1000:.1f} ms ({1 / full_cold:.1f} frames/s), "
        f"{len(full_body) / 1024:.0f} KiB"
    )
    print(
        f"full frame, shared within the second: {median_ms(shared):.2f} ms "
        f"({1 / statistics.median(shared):.0f} frames/s)"
    )
    print(
        f"frame of changes ({n} moved), built: {changes_cold * 1000:.1f} ms "
        f"({1 / changes_cold:.1f} frames/s), {len(changes_body) / 1024:.0f} KiB"
    )

    # --- the browser -------------------------------------------------------------------
    from playwright.sync_api import expect, sync_playwright

    from accord.testing.browser import launch

    frames = []
    moved = json.loads(changes_body)
    for k in range(args.frames):
        for feature in moved["layers"][0]["features"]:
            lon, lat = feature["geometry"]["coordinates"]
            feature["geometry"]["coordinates"] = [lon + 0.0005 * (k % 2 * 2 - 1), lat]
        frames.append(json.dumps(moved))
    sent = {"n": 0}
    include = render_to_string(
        "geo/_map.html",
        {
            "map_id": "bench-map",
            "label": "Bench",
            "layers_url": "/layers.json",
            "refresh_url": "/frame.json",
            "refresh_seconds": 1,
            "slider": True,
            "panel": True,
            "bounds": "55.5,25.8,57.5,27.3",
            "land": "10m",
        },
    )
    html = f"<!doctype html><html><head><meta charset='utf-8'></head><body>{include}</body></html>"

    def serve(route):
        path = route.request.url.split("bench.test")[1].split("?")[0]
        if path == "/map":
            route.fulfill(body=html, content_type="text/html")
        elif path == "/layers.json":
            route.fulfill(body=layers_response.content, content_type="application/json")
        elif path == "/frame.json" or path.endswith("/positions.json"):
            body = frames[min(sent["n"], len(frames) - 1)]
            sent["n"] += 1
            route.fulfill(body=body, content_type="application/json")
        else:
            static = path.startswith(settings.STATIC_URL)
            found = finders.find(path[len(settings.STATIC_URL) :]) if static else None
            if not found:
                route.fulfill(status=404)
                return
            kind = mimetypes.guess_type(found)[0]
            route.fulfill(body=Path(found).read_bytes(), content_type=kind)

    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("http://bench.test/**", serve)
        page = context.new_page()
        page.goto("http://bench.test/map")
        root = page.locator("#bench-map")
        expect(root).to_have_attribute("data-draws", "1", timeout=60_000)
        draw_ms = [float(root.get_attribute("data-draw-ms"))]
        for k in range(2, args.frames + 2):
            expect(root).to_have_attribute("data-draws", str(k), timeout=30_000)
            draw_ms.append(float(root.get_attribute("data-draw-ms")))
        shown = root.get_attribute("data-shown")
        page.screenshot(path=str(ROOT / "test-artifacts" / "maritime-map-bench.png"))
        browser.close()
    print(
        f"browser: {shown} features drawn; first draw {draw_ms[0]:.0f} ms; frames of "
        f"{n} moved vessels: median {statistics.median(draw_ms[1:]):.0f} ms, "
        f"worst {max(draw_ms[1:]):.0f} ms (at most one redraw a second)"
    )
    print(
        f"RESULT: {n} vessels; frames/s served: built {1 / full_cold:.1f}, shared "
        f"{1 / statistics.median(shared):.0f}; browser frame time median "
        f"{statistics.median(draw_ms[1:]):.0f} ms"
    )


if __name__ == "__main__":
    main()
