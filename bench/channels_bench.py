"""Benchmark the direct communication channel over real HTTP on 127.0.0.1.

Phase 1 (throughput and latency): ``accord demo --setup-only`` into a fresh data dir
(SQLite) or a fresh PostgreSQL database, ``accord serve`` as a subprocess, N live-feed
(SSE) clients per side signed in as the duty officers, and one sender posting
``--rate`` messages a second for ``--duration`` seconds to the DCC channel through the
API. Prints send-to-delivery latency (median, 99th percentile) over every (message,
client) pair and counts lost and duplicated deliveries.

Phase 2 (durability): clients connected, a burst of concurrent sends, SIGKILL of the
server in the middle of it, restart. Checks that every send that returned success is
stored, in order per sender, with the channel's chain and signatures intact, and that
every client got each of them exactly once after reconnecting with Last-Event-ID.

Usage::

    .venv/bin/python bench/channels_bench.py --db sqlite            # full size
    scripts/with-postgres.sh .venv/bin/python bench/channels_bench.py --db postgres
    .venv/bin/python bench/channels_bench.py --smoke                # seconds; CI

Figures only: nothing here asserts a timing. Exit status 1 when a message was lost or
duplicated, or the durability check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accord.channels.integrity import transcript_verify  # noqa: E402  (pure module)

ACCORD = str(Path(sys.executable).parent / "accord")
PASSWORD = "accord-demo"
CHANNEL = "DCC"
SENDER = "us-duty"
SIDES = ("us-duty", "ir-duty")


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
        self.process = subprocess.Popen(
            [ACCORD, "serve", "--port", str(self.port), "--no-sweeper"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/accounts/login/", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise SystemExit("the server did not start:\n" + self.log_path.read_text()[-3000:])

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def postgres_database(base_url: str) -> str:
    """Create a fresh database on the server of ``base_url``; return its URL."""
    import psycopg

    parts = urlsplit(base_url)
    name = f"accord_bench_{os.getpid()}_{int(time.time())}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_for(db: str, poll: float) -> tuple[Server, Path]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"accord-bench-{db}-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_FEED_POLL_SECONDS": str(poll),
        "ACCORD_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    if db == "postgres":
        base = os.environ.get("DATABASE_URL")
        if not base or not base.startswith("postgres"):
            raise SystemExit(
                "--db postgres needs DATABASE_URL (run under scripts/with-postgres.sh)"
            )
        env["DATABASE_URL"] = postgres_database(base)
    server = Server(env=env, port=free_port(), log_path=data_dir / "server.log")
    server.setup()
    return server, data_dir


# --- clients ------------------------------------------------------------------------


async def sign_in(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    response = await client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{client.base_url}/accounts/login/"},
    )
    assert response.status_code in (302, 303), f"sign-in of {username} failed"
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]


@dataclass
class Feed:
    """One SSE client: records when each message (by index) arrived, and how often."""

    name: str
    size: int
    arrivals: list[float] = field(default_factory=list)
    counts: bytearray = field(default_factory=bytearray)
    last_id: str | None = None
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    reconnects: int = 0

    def __post_init__(self) -> None:
        self.arrivals = [0.0] * self.size
        self.counts = bytearray(self.size)


def message_index(client_id: str, prefix: str) -> int | None:
    if client_id.startswith(prefix):
        tail = client_id[len(prefix) :]
        if tail.isdigit():
            return int(tail)
    return None


async def run_feed(client: httpx.AsyncClient, feed: Feed, prefix: str, stop: asyncio.Event) -> None:
    while not stop.is_set():
        headers = {"Last-Event-ID": feed.last_id} if feed.last_id else {}
        try:
            async with client.stream("GET", "/events/stream", headers=headers) as response:
                if response.status_code != 200:
                    raise httpx.TransportError(f"status {response.status_code}")
                frame_id = None
                data = None
                async for line in response.aiter_lines():
                    if line.startswith("id:"):
                        frame_id = line[3:].strip()
                    elif line.startswith("data:"):
                        data = line[5:].strip()
                    elif line == "":
                        if frame_id is not None:
                            feed.last_id = frame_id
                            feed.connected.set()
                        if data is not None:
                            now = time.perf_counter()
                            event = json.loads(data)
                            if event["kind"] == "ChannelMessageSent":
                                index = message_index(event["payload"]["client_id"], prefix)
                                if index is not None and index < feed.size:
                                    if feed.counts[index] == 0:
                                        feed.arrivals[index] = now
                                    feed.counts[index] = min(255, feed.counts[index] + 1)
                        frame_id = data = None
                    if stop.is_set():
                        return
        except (httpx.TransportError, httpx.StreamError):
            pass
        if stop.is_set():
            return
        feed.reconnects += 1
        await asyncio.sleep(0.25)


async def open_feeds(
    base: str, clients_per_side: int, size: int, prefix: str, stop: asyncio.Event
) -> tuple[list[Feed], list[asyncio.Task], list[httpx.AsyncClient]]:
    limits = httpx.Limits(max_connections=clients_per_side + 10, max_keepalive_connections=0)
    timeout = httpx.Timeout(connect=10, read=None, write=10, pool=None)
    feeds, tasks, sessions = [], [], []
    for username in SIDES:
        session = httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout)
        await sign_in(session, username)
        sessions.append(session)
        for n in range(clients_per_side):
            feed = Feed(f"{username}#{n}", size)
            feeds.append(feed)
            tasks.append(asyncio.create_task(run_feed(session, feed, prefix, stop)))
    await asyncio.wait_for(asyncio.gather(*(f.connected.wait() for f in feeds)), timeout=120)
    return feeds, tasks, sessions


async def close(tasks: list[asyncio.Task], sessions: list[httpx.AsyncClient]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for session in sessions:
        await session.aclose()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- phase 1 ------------------------------------------------------------------------


async def phase_throughput(server: Server, args: argparse.Namespace) -> bool:
    total = int(args.rate * args.duration)
    prefix = f"b{int(time.time())}-"
    stop = asyncio.Event()
    feeds, tasks, sessions = await open_feeds(
        server.url, args.clients_per_side, total, prefix, stop
    )
    sender = httpx.AsyncClient(
        base_url=server.url,
        timeout=httpx.Timeout(30),
        limits=httpx.Limits(max_connections=64),
    )
    await sign_in(sender, SENDER)
    started = [0.0] * total
    status = [0] * total
    send_seconds: list[float] = []

    async def send(i: int) -> None:
        started[i] = time.perf_counter()
        try:
            response = await sender.post(
                f"/api/channels/{CHANNEL}/messages",
                json={
                    "client_id": f"{prefix}{i}",
                    "text": f"Bench message {i}",
                    "precedence": "PRIORITY",
                },
            )
            status[i] = response.status_code
        except httpx.HTTPError:
            status[i] = -1
        send_seconds.append(time.perf_counter() - started[i])

    t0 = time.perf_counter()
    senders = []
    for i in range(total):
        delay = t0 + i / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        senders.append(asyncio.create_task(send(i)))
    await asyncio.gather(*senders)
    send_elapsed = time.perf_counter() - t0
    ok = [i for i in range(total) if status[i] in (200, 201)]
    # Drain: wait until every client has every successful message, or give up.
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline:
        if all(f.counts[i] for f in feeds for i in ok[-50:]) and all(
            f.counts[i] for f in feeds for i in ok
        ):
            break
        await asyncio.sleep(0.25)
    stop.set()
    await close(tasks, sessions)
    await sender.aclose()

    latencies = [f.arrivals[i] - started[i] for f in feeds for i in ok if f.counts[i]]
    lost = sum(1 for f in feeds for i in ok if not f.counts[i])
    duplicated = sum(f.counts[i] - 1 for f in feeds for i in ok if f.counts[i] > 1)
    reconnects = sum(f.reconnects for f in feeds)
    print(
        f"  sent {len(ok)}/{total} ok in {send_elapsed:.1f} s "
        f"({len(ok) / send_elapsed:.1f} msg/s achieved; send median "
        f"{statistics.median(send_seconds) * 1000:.0f} ms, p99 "
        f"{percentile(send_seconds, 0.99) * 1000:.0f} ms)"
    )
    print(f"  clients {len(feeds)} ({args.clients_per_side} per side), deliveries {len(latencies)}")
    if latencies:
        print(
            f"  send-to-delivery latency: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )
    print(f"  lost {lost}, duplicated {duplicated}, reconnects {reconnects}")
    return lost == 0 and duplicated == 0 and len(ok) == total


# --- phase 2 ------------------------------------------------------------------------


async def phase_crash(server: Server, args: argparse.Namespace) -> bool:
    size = args.burst
    prefix = f"k{int(time.time())}-"
    stop = asyncio.Event()
    feeds, tasks, sessions = await open_feeds(
        server.url, args.crash_clients_per_side, size, prefix, stop
    )
    sender = httpx.AsyncClient(base_url=server.url, timeout=httpx.Timeout(10))
    await sign_in(sender, SENDER)
    cookies = dict(sender.cookies)
    succeeded: list[list[int]] = [[] for _ in range(args.workers)]
    in_flight: set[int] = set()
    killed = asyncio.Event()
    next_index = iter(range(size))

    async def worker(w: int) -> None:
        for i in next_index:
            if killed.is_set():
                return
            in_flight.add(i)
            try:
                response = await sender.post(
                    f"/api/channels/{CHANNEL}/messages",
                    json={"client_id": f"{prefix}{i}", "text": f"Burst {i}", "precedence": "FLASH"},
                )
            except httpx.HTTPError:
                return  # the server died with this send in flight: outcome unknown
            if response.status_code in (200, 201):
                in_flight.discard(i)
                succeeded[w].append(i)
            else:
                return

    async def killer() -> None:
        while sum(map(len, succeeded)) < args.kill_after:
            await asyncio.sleep(0.005)
        server.kill()
        killed.set()

    kill_task = asyncio.create_task(killer())
    await asyncio.gather(*(worker(w) for w in range(args.workers)))
    if not killed.is_set():
        kill_task.cancel()
        print("  (the burst ended before the kill; raise --burst)")
        server.kill()
    ok = sorted(i for per in succeeded for i in per)
    unknown = sorted(in_flight)
    print(f"  SIGKILL after {len(ok)} successful sends; {len(unknown)} in flight at the kill")
    restart_at = time.perf_counter()
    server.start()
    print(f"  restarted in {time.perf_counter() - restart_at:.1f} s")

    # A retry of an in-flight send with its client id tells whether it was stored.
    retry = httpx.AsyncClient(base_url=server.url, timeout=httpx.Timeout(30), cookies=cookies)
    retry.headers["X-CSRFToken"] = cookies.get("csrftoken", "")
    stored_before = 0
    for i in unknown:
        response = await retry.post(
            f"/api/channels/{CHANNEL}/messages",
            json={"client_id": f"{prefix}{i}", "text": f"Burst {i}", "precedence": "FLASH"},
        )
        stored_before += response.status_code == 200
        if response.status_code in (200, 201):
            ok.append(i)
    print(
        f"  in-flight sends retried with their client id: {stored_before} had been stored, "
        f"{len(unknown) - stored_before} were not (now sent once)"
    )

    transcript = (await retry.get(f"/api/channels/{CHANNEL}/transcript")).json()
    await retry.aclose()
    verdict = transcript_verify(transcript)
    seq_of = {
        m["client_id"]: m["seq"]
        for m in transcript["messages"]
        if m["client_id"].startswith(prefix)
    }
    missing = [i for i in ok if f"{prefix}{i}" not in seq_of]
    out_of_order = sum(
        1
        for per in succeeded
        for a, b in itertools.pairwise(per)
        if seq_of.get(f"{prefix}{a}", 0) >= seq_of.get(f"{prefix}{b}", 0)
    )
    print(
        f"  stored: {len(ok) - len(missing)}/{len(ok)} successful sends; "
        f"out of order {out_of_order}; chain: {verdict.describe()}"
    )

    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline:
        if all(f.counts[i] for f in feeds for i in ok):
            break
        await asyncio.sleep(0.25)
    stop.set()
    await close(tasks, sessions)
    await sender.aclose()
    lost = sum(1 for f in feeds for i in ok if not f.counts[i])
    duplicated = sum(f.counts[i] - 1 for f in feeds for i in ok if f.counts[i] > 1)
    reconnects = sum(f.reconnects for f in feeds)
    print(
        f"  after reconnect ({len(feeds)} clients, {reconnects} reconnects): "
        f"lost {lost}, duplicated {duplicated}"
    )
    return not missing and out_of_order == 0 and verdict.ok and lost == 0 and duplicated == 0


# --- main ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients-per-side", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50.0, help="messages per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of sending")
    parser.add_argument("--drain", type=float, default=30.0, help="seconds to wait for stragglers")
    parser.add_argument("--crash-clients-per-side", type=int, default=20)
    parser.add_argument("--burst", type=int, default=2000, help="messages in the crash burst")
    parser.add_argument("--kill-after", type=int, default=300, help="successes before SIGKILL")
    parser.add_argument("--workers", type=int, default=8, help="concurrent senders in the burst")
    parser.add_argument("--poll", type=float, default=0.05, help="feed poll seconds (SQLite)")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: proves it works")
    args = parser.parse_args()
    if args.smoke:
        args.clients_per_side, args.rate, args.duration, args.drain = 3, 10.0, 2.0, 15.0
        args.crash_clients_per_side, args.burst, args.kill_after, args.workers = 2, 200, 10, 2

    server, data_dir = server_for(args.db, args.poll)
    print(
        f"channels bench on {args.db}: {args.clients_per_side} SSE clients per side, "
        f"{args.rate:g} msg/s for {args.duration:g} s; feed poll {args.poll:g} s"
        + (" (PostgreSQL: LISTEN/NOTIFY)" if args.db == "postgres" else "")
    )
    good = True
    try:
        server.start()
        if not args.skip_throughput:
            print("phase 1: throughput and latency")
            good &= asyncio.run(phase_throughput(server, args))
        if not args.skip_crash:
            print(
                f"phase 2: SIGKILL mid-burst ({args.workers} concurrent senders, kill after "
                f"{args.kill_after} successes, {args.crash_clients_per_side} clients per side)"
            )
            good &= asyncio.run(phase_crash(server, args))
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print("RESULT:", "OK" if good else "FAILED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
