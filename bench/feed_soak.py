"""Soak the live feed under the two-worker server: streams open and close, pages load.

``accord demo --setup-only`` into a fresh data dir (SQLite, or a fresh PostgreSQL
database under ``scripts/with-postgres.sh``), ``accord serve --workers 2``, then for
``--duration`` seconds, all at once:

- a writer posts internal notes of the US delegation through the API (``--rate`` a
  second), each with a unique text;
- ``--followers`` US delegates follow the feed the way a page does, but impatiently: each
  keeps a stream open for a random 0.2 to 3 s, drops it, and opens the next one resuming
  after the last id it received (``Last-Event-ID``), over and over;
- ``--pages`` browsers load pages the way Chromium does on one keep-alive connection: the
  home page, its stylesheet and scripts (streamed files), then the live feed, which they
  drop after its opening frame (the pattern that answered 500 before decision 0070);
- one Iranian delegate follows too, and must receive none of the US notes.

At the end every follower catches up once more, and the bench prints what it counted:
answers by status (any 5xx is a failure), and per follower notes lost and duplicated.
Exit status 1 on any 5xx, lost or duplicated note, or a US note reaching Iran.

Usage::

    .venv/bin/python bench/feed_soak.py                     # 5 minutes, SQLite
    scripts/with-postgres.sh .venv/bin/python bench/feed_soak.py --db postgres
    .venv/bin/python bench/feed_soak.py --smoke             # ~20 s; the test suite's

Figures only: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
ACCORD = str(Path(sys.executable).parent / "accord")
PASSWORD = "accord-demo"
WRITER = "us-expert"
US_FOLLOWERS = ("us-head", "us-duty", "us-member", "us-observer", "us-expert")
PAGE_USERS = ("us-head", "ir-expert", "us-duty", "ir-duty")
OUTSIDER = "ir-head"
STATIC = ("/static/web/accord.css", "/static/events/live.js", "/static/web/live-page.js")
CATCH_UP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the server ---------------------------------------------------------------------


@dataclass
class Server:
    env: dict[str, str]
    port: int
    log_path: Path
    workers: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def setup(self) -> None:
        subprocess.run(
            [ACCORD, "demo", "--setup-only"],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
        )

    def start(self) -> None:
        log = self.log_path.open("a")
        command = [ACCORD, "serve", "--port", str(self.port), "--no-sweeper"]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/accounts/login/", timeout=2).status_code == 200:
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise SystemExit("the server did not start:\n" + self.log_path.read_text()[-3000:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def postgres_database(base_url: str) -> str:
    import psycopg

    parts = urlsplit(base_url)
    name = f"accord_soak_{os.getpid()}_{int(time.time())}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


# --- what the run counts --------------------------------------------------------------


@dataclass
class Tally:
    statuses: collections.Counter = field(default_factory=collections.Counter)
    # Status of every answer that was a 5xx, with its path, for the report.
    server_errors: list[str] = field(default_factory=list)
    streams_opened: int = 0
    pages_loaded: int = 0
    transport_errors: int = 0

    def answer(self, path: str, status: int) -> None:
        self.statuses[status] += 1
        if status >= 500:
            self.server_errors.append(f"{status} {path}")


@dataclass
class Follower:
    username: str
    cookies: dict[str, str]
    last_id: str | None = None
    # Marker text -> times received.
    received: collections.Counter = field(default_factory=collections.Counter)
    reconnects: int = 0


NOTE_TEXT = re.compile(r'"text": "(soak [0-9a-f]+ #\d+)"')


async def sign_in(base_url: str, username: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        page = await client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the sign-in page"
        response = await client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{base_url}/accounts/login/"},
        )
        assert response.status_code in (302, 303), f"sign-in of {username} failed"
        return {cookie.name: cookie.value for cookie in client.cookies.jar}


async def read_stream(
    client: httpx.AsyncClient,
    follower: Follower,
    tally: Tally,
    seconds: float,
    until: set[str] | None = None,
) -> None:
    """Follow the feed for ``seconds`` (or until every marker of ``until`` arrived)."""
    headers = {"Accept": "text/event-stream"}
    if follower.last_id:
        headers["Last-Event-ID"] = follower.last_id
    deadline = time.monotonic() + seconds
    with contextlib.suppress(TimeoutError, httpx.TransportError):
        async with asyncio.timeout(seconds):
            async with client.stream("GET", "/events/stream", headers=headers) as response:
                tally.answer("/events/stream", response.status_code)
                if response.status_code != 200:
                    return
                tally.streams_opened += 1
                event_id = None
                async for line in response.aiter_lines():
                    if line.startswith("id:"):
                        event_id = line[3:].strip()
                    elif line.startswith("data:"):
                        found = NOTE_TEXT.search(line)
                        if found:
                            follower.received[found.group(1)] += 1
                    elif line == "" and event_id:
                        # The frame is complete: its id is where a resume starts.
                        follower.last_id = event_id
                        event_id = None
                        if until is not None and until <= set(follower.received):
                            return
                    if time.monotonic() >= deadline:
                        return


async def follow(
    base_url: str, follower: Follower, tally: Tally, stop: asyncio.Event, rng: random.Random
) -> None:
    async with httpx.AsyncClient(
        base_url=base_url, cookies=follower.cookies, timeout=httpx.Timeout(10, read=5)
    ) as client:
        while not stop.is_set():
            await read_stream(client, follower, tally, rng.uniform(0.2, 3.0))
            follower.reconnects += 1


async def load_pages(
    base_url: str, cookies: dict[str, str], tally: Tally, stop: asyncio.Event
) -> None:
    """Like a browser: one keep-alive connection for the page, its files and its feed."""
    async with httpx.AsyncClient(
        base_url=base_url,
        cookies=cookies,
        timeout=10,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    ) as client:
        while not stop.is_set():
            try:
                page = await client.get("/", headers={"Accept": "text/html"})
                tally.answer("/", page.status_code)
                for path in STATIC:
                    tally.answer(path, (await client.get(path)).status_code)
                async with client.stream(
                    "GET", "/events/stream", headers={"Accept": "text/event-stream"}
                ) as feed:
                    tally.answer("/events/stream", feed.status_code)
                    if feed.status_code == 200:
                        tally.streams_opened += 1
                        async for line in feed.aiter_lines():
                            if line == "":
                                break  # the opening frame: the page navigates away
                tally.pages_loaded += 1
            except httpx.TransportError:
                tally.transport_errors += 1


async def write_notes(
    base_url: str,
    cookies: dict[str, str],
    run: str,
    rate: float,
    tally: Tally,
    stop: asyncio.Event,
    written: list[str],
) -> None:
    async with httpx.AsyncClient(base_url=base_url, cookies=cookies, timeout=30) as client:
        client.headers["X-CSRFToken"] = cookies["csrftoken"]
        client.headers["Referer"] = f"{base_url}/"
        n = 0
        while not stop.is_set():
            n += 1
            text = f"soak {run} #{n}"
            try:
                response = await client.post("/api/notes/", json={"text": text, "body": "HLC"})
            except httpx.TransportError:
                tally.transport_errors += 1
                continue
            tally.answer("/api/notes/", response.status_code)
            if response.status_code == 201:
                written.append(text)
            await asyncio.sleep(1 / rate)


async def soak(base_url: str, args: argparse.Namespace) -> bool:
    rng = random.Random(args.seed)
    run = uuid.uuid4().hex[:6]
    tally = Tally()
    followers = [
        Follower(name, await sign_in(base_url, name))
        for name in (US_FOLLOWERS * args.followers)[: args.followers]
    ]
    outsider = Follower(OUTSIDER, await sign_in(base_url, OUTSIDER))
    page_cookies = [
        await sign_in(base_url, name) for name in (PAGE_USERS * args.pages)[: args.pages]
    ]
    writer = await sign_in(base_url, WRITER)
    # Every follower holds a position (its first stream's opening id) before the first
    # note: a stream opened without one starts from "now", after notes already written.
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        for follower in [*followers, outsider]:
            client.cookies = httpx.Cookies(follower.cookies)
            while follower.last_id is None:
                await read_stream(client, follower, tally, 0.5)
    stop = asyncio.Event()
    written: list[str] = []
    started = time.monotonic()
    tasks = [
        asyncio.create_task(follow(base_url, f, tally, stop, rng)) for f in [*followers, outsider]
    ]
    tasks += [asyncio.create_task(load_pages(base_url, c, tally, stop)) for c in page_cookies]
    tasks.append(
        asyncio.create_task(write_notes(base_url, writer, run, args.rate, tally, stop, written))
    )
    await asyncio.sleep(args.duration)
    stop.set()
    await asyncio.gather(*tasks)
    soaked = time.monotonic() - started
    # Every follower catches up once more, resuming where it was.
    expected = set(written)
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(10, read=5)) as client:
        for follower in followers:
            client.cookies = httpx.Cookies(follower.cookies)
            deadline = time.monotonic() + CATCH_UP_SECONDS
            while not expected <= set(follower.received) and time.monotonic() < deadline:
                await read_stream(client, follower, tally, 5.0, until=expected)
        client.cookies = httpx.Cookies(outsider.cookies)
        await read_stream(client, outsider, tally, 2.0)

    lost = sum(len(expected - set(f.received)) for f in followers)
    duplicated = sum(sum(n - 1 for n in f.received.values() if n > 1) for f in followers)
    leaked = sum(outsider.received.values())
    errors = len(tally.server_errors)
    statuses = ", ".join(f"{status} x {n}" for status, n in sorted(tally.statuses.items()))
    print(f"soaked {soaked:.0f} s on {args.workers} workers ({args.db})")
    print(
        f"  {len(written)} notes written; {len(followers)} followers reconnected "
        f"{sum(f.reconnects for f in followers)} times; {tally.pages_loaded} pages loaded "
        f"by {len(page_cookies)} browsers; {tally.streams_opened} streams opened"
    )
    print(f"  answers: {statuses}; transport errors {tally.transport_errors}")
    print(
        f"  5xx {errors}, lost {lost}, duplicated {duplicated}, leaked to the other side {leaked}"
    )
    for follower in followers:
        missing = sorted(expected - set(follower.received))
        if missing:
            print(f"    {follower.username} lost {len(missing)}: {', '.join(missing[:5])}")
    for line in tally.server_errors[:10]:
        print(f"    {line}")
    return errors == 0 and lost == 0 and duplicated == 0 and leaked == 0 and bool(written)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of soak")
    parser.add_argument("--followers", type=int, default=8)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--rate", type=float, default=2.0, help="notes a second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--smoke", action="store_true", help="~20 s, small")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.followers, args.pages = 12.0, 3, 2
    data_dir = Path(tempfile.mkdtemp(prefix="accord-soak-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_FEED_POLL_SECONDS": "0.1",
        "ACCORD_FEED_KEEPALIVE_SECONDS": "2",
        "ACCORD_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # The demo's accounts by password only, as `accord demo` serves them (this bench
        # sets up and serves in two steps), and one address sending for every client.
        "ACCORD_DEMO_WITHOUT_SECOND_FACTOR": "1",
        "ACCORD_API_RATE": "1000000/m",
        "ACCORD_API_ADDRESS_RATE": "1000000/m",
    }
    if args.db == "postgres":
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith("postgres"):
            raise SystemExit("--db postgres needs DATABASE_URL (scripts/with-postgres.sh)")
        env["DATABASE_URL"] = postgres_database(base)
    server = Server(env, free_port(), data_dir / "server.log", args.workers)
    server.setup()
    server.start()
    try:
        ok = asyncio.run(soak(server.url, args))
    finally:
        server.stop()
    log = server.log_path.read_text()
    tracebacks = log.count("Traceback")
    print(f"  server log: {tracebacks} tracebacks")
    if tracebacks:
        print(log[-3000:])
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if ok and not tracebacks else 1


if __name__ == "__main__":
    sys.exit(main())
