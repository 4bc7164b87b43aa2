"""Benchmark the direct communication channel over real HTTP on 127.0.0.1 (and 127.0.0.2).

Phase 1 (throughput and latency): ``accord demo --setup-only`` into a fresh data dir
(SQLite) or a fresh PostgreSQL database, ``accord serve`` as a subprocess, N live-feed
(SSE) clients per side signed in as the duty officers, and one sender posting
``--rate`` messages a second for ``--duration`` seconds to the DCC channel through the
API. Prints send-to-delivery latency (median, 99th percentile) over every (message,
client) pair, counts lost and duplicated deliveries, and says where the CPU went
(server, SSE clients, sender, everything else on the machine).

Phase 2 (durability): clients connected, a burst of concurrent sends, SIGKILL of the
server in the middle of it, restart. Checks that every send that returned success is
stored, in order per sender, with the channel's chain and signatures intact, and that
every client got each of them exactly once after reconnecting with Last-Event-ID.

The clients must cost little, or they measure themselves: at full size 400 streams
take ~20,000 frames a second on the machine that also runs the server. So each client
is a bare asyncio protocol speaking HTTP/1.1 on a socket (no HTTP library), the body's
chunked framing is undone by hand, and frames are never parsed as JSON: one regular
expression over the received bytes finds our messages and one ``rfind`` the resume id.
The clients run in ``--client-processes`` child processes (uvloop when installed), so
the sender's timing does not queue behind their parsing; ``time.perf_counter`` is
CLOCK_MONOTONIC on Linux, so arrival times compare across processes.

Usage::

    .venv/bin/python bench/channels_bench.py --db sqlite            # full size
    scripts/with-postgres.sh .venv/bin/python bench/channels_bench.py --db postgres
    .venv/bin/python bench/channels_bench.py --smoke                # seconds; CI
    scripts/with-postgres.sh .venv/bin/python bench/channels_bench.py --db postgres \
        --hosts 2 --skip-crash     # two instances (127.0.0.1, .2) on one database

Figures only: nothing here asserts a timing. Exit status 1 when a message was lost or
duplicated, or the durability check failed.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import collections
import contextlib
import functools
import itertools
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx

try:
    import uvloop
except ImportError:  # the bench still runs on the default loop, only dearer
    uvloop = None

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accord.channels.integrity import transcript_verify  # noqa: E402  (pure module)

ACCORD = str(Path(sys.executable).parent / "accord")
PASSWORD = "accord-demo"
CHANNEL = "DCC"
SENDER = "us-duty"
SIDES = ("us-duty", "ir-duty")
CONNECT_SECONDS = 120  # for every client to get its stream's opening frame
RECONNECT_PAUSE = 0.25
SEND_CONNECTIONS = 64  # concurrent sends in phase 1
SEND_TIMEOUT = 30.0  # seconds for one send, waiting for a connection excluded
STALE = -2  # a kept connection turned out closed before any answer: send again
TIMED_OUT = -3  # no answer within SEND_TIMEOUT
SEND_FAILURES = {-1: "connection failed", TIMED_OUT: f"no answer in {SEND_TIMEOUT:g} s"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loop_run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coroutine`` on uvloop when it is installed, else on asyncio's own loop."""
    if uvloop is not None:
        return uvloop.run(coroutine)
    return asyncio.run(coroutine)


# --- the server ---------------------------------------------------------------------


@dataclass
class Server:
    env: dict[str, str]
    port: int
    log_path: Path
    workers: int | None = None  # ``accord serve --workers``; None: the server's default
    process: subprocess.Popen | None = None
    host: str = "127.0.0.1"  # --hosts 2: the second instance listens on 127.0.0.2

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

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
        command = [ACCORD, "serve", "--host", self.host, "--port", str(self.port), "--no-sweeper"]
        if self.workers is not None:
            command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command,
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
        """SIGKILL the server and its worker processes, which would otherwise live on
        (orphaned, still accepting on the inherited socket) and hide the crash."""
        assert self.process is not None
        for pid in [self.process.pid, *process_descendants(self.process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
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


def server_for(db: str, poll: float, workers: int | None) -> tuple[Server, Path]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"accord-bench-{db}-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_FEED_POLL_SECONDS": str(poll),
        "ACCORD_LOG_LEVEL": "WARNING",
        # Each answer says how long it waited for a request thread and ran in it.
        "ACCORD_SERVER_TIMING": "1",
        "PYTHONUNBUFFERED": "1",
        # As the hosts of one deployment have (--hosts 2): the same secrets, so a
        # session signed in on one is valid on the other, and both host names.
        "ACCORD_ALLOWED_HOSTS": "127.0.0.1,127.0.0.2,localhost",
        **{
            name: secrets.token_urlsafe(48)
            for name in (
                "ACCORD_SECRET_KEY",
                "ACCORD_CURSOR_SECRET",
                "ACCORD_CHANNEL_KEY_SECRET",
                "ACCORD_AUDIT_KEY_SECRET",
            )
        },
        # The demo's accounts by password only (as `accord demo` serves them), and every
        # client from 127.0.0.1: rate limits far above what the bench sends.
        "ACCORD_DEMO_WITHOUT_SECOND_FACTOR": "1",
        "ACCORD_API_RATE": "1000000/m",
        "ACCORD_API_ADDRESS_RATE": "1000000/m",
    }
    if db == "postgres":
        base = os.environ.get("DATABASE_URL")
        if not base or not base.startswith("postgres"):
            raise SystemExit(
                "--db postgres needs DATABASE_URL (run under scripts/with-postgres.sh)"
            )
        env["DATABASE_URL"] = postgres_database(base)
    server = Server(env=env, port=free_port(), log_path=data_dir / "server.log", workers=workers)
    server.setup()
    return server, data_dir


# --- where the CPU went -------------------------------------------------------------


def process_descendants(pid: int) -> list[int]:
    """The living descendants of ``pid`` (the children of each of its threads, down)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            listed = children.read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        for child in map(int, listed):
            found += [child, *process_descendants(child)]
    return found


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and of its reaped children; 0 once gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # Fields after the parenthesised command name start at field 3 (state);
    # utime, stime, cutime and cstime are fields 14 to 17.
    fields = stat.rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of ``pid`` and every process under it (``--server-workers``)."""
    return sum(map(process_cpu_seconds, [pid, *process_descendants(pid)]))


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    first_line = Path("/proc/stat").read_text().split("\n", 1)[0]
    # user nice system idle iowait irq softirq steal (guest time is inside user/nice).
    ticks = [int(value) for value in first_line.split()[1:9]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / CLOCK_TICKS, sum(ticks) / CLOCK_TICKS


@dataclass
class CpuSnapshot:
    at: float
    server: float
    sender: float  # this process: the sender and the bookkeeping
    machine_busy: float
    machine_total: float

    @classmethod
    def take(cls, servers: list[Server]) -> CpuSnapshot:
        busy, total = machine_cpu_seconds()
        pids = [server.process.pid for server in servers if server.process is not None]
        return cls(
            at=time.perf_counter(),
            server=sum(process_tree_cpu_seconds(pid) for pid in pids),
            sender=time.process_time(),
            machine_busy=busy,
            machine_total=total,
        )


def cpu_report(
    before: CpuSnapshot, after: CpuSnapshot, clients: float, processes: int, deliveries: int
) -> str:
    """Say where the CPU of a measured window went, so a slow figure has an owner."""
    wall = after.at - before.at
    server = after.server - before.server
    sender = after.sender - before.sender
    busy = after.machine_busy - before.machine_busy
    available = after.machine_total - before.machine_total
    other = max(0.0, busy - server - clients - sender)
    per_delivery = f"; {clients / deliveries * 1e6:.0f} us a delivery" if deliveries else ""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"  CPU over {wall:.1f} s: server {server:.1f} s ({server / wall:.0%} of a core), "
        f"SSE clients {clients:.1f} s in {processes} process(es) "
        f"({clients / wall:.0%} of a core{per_delivery}), sender {sender:.1f} s\n"
        f"  machine: busy {busy:.1f} of {available:.1f} CPU-s ({os.cpu_count()} cores, "
        f"{busy / available:.0%}); other processes {other:.1f} s; load average {load}"
    )


# --- signing in ---------------------------------------------------------------------


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


async def session_cookies(base_url: str, username: str) -> dict[str, str]:
    """Sign ``username`` in; return the session's cookies (sessionid, csrftoken)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(30)) as client:
        await sign_in(client, username)
        return {cookie.name: cookie.value for cookie in client.cookies.jar}


def cookie_header(cookies: dict[str, str]) -> bytes:
    return "; ".join(f"{name}={value}" for name, value in cookies.items()).encode()


# --- one SSE client -----------------------------------------------------------------


@dataclass
class Feed:
    """One SSE client: records when each message (by index) arrived, and how often."""

    name: str
    size: int
    cookie: bytes = b""
    arrivals: array.array = field(init=False)
    counts: bytearray = field(init=False)
    last_id: bytes | None = None
    connected: bool = False
    reconnects: int = 0

    def __post_init__(self) -> None:
        self.arrivals = array.array("d", bytes(8 * self.size))
        self.counts = bytearray(self.size)

    def record(self) -> tuple[str, bytes, bytes, int]:
        """What a client process sends back to the parent (picklable, compact)."""
        return self.name, self.arrivals.tobytes(), bytes(self.counts), self.reconnects

    @classmethod
    def from_record(cls, record: tuple[str, bytes, bytes, int]) -> Feed:
        name, arrivals, counts, reconnects = record
        feed = cls(name, 0, reconnects=reconnects)
        feed.size = len(counts)
        feed.arrivals.frombytes(arrivals)
        feed.counts = bytearray(counts)
        return feed


def message_matcher(prefix: str) -> re.Pattern[bytes]:
    """Match one of our ChannelMessageSent events in raw SSE bytes; group 1 is its index.

    The data line is one line of ``json.dumps`` output (newlines inside strings are
    escaped), ``kind`` comes first and ``client_id`` is the first such key after it, and
    a quote inside any string value is escaped: so the match cannot leave its frame
    (``[^\\n]``) nor be faked by a message's text.
    """
    return re.compile(
        rb'"kind": "ChannelMessageSent"[^\n]*?"client_id": "'
        + re.escape(prefix.encode())
        + rb'(\d+)"'
    )


def stream_request(host: str, port: int, cookie: bytes, last_id: bytes | None) -> bytes:
    lines = [
        b"GET /events/stream HTTP/1.1",
        b"Host: %s:%d" % (host.encode(), port),
        b"Accept: text/event-stream",
        b"Cache-Control: no-cache",
        b"Cookie: " + cookie,
    ]
    if last_id:
        lines.append(b"Last-Event-ID: " + last_id)
    return b"\r\n".join(lines) + b"\r\n\r\n"


class FeedConnection(asyncio.Protocol):
    """One HTTP/1.1 GET of /events/stream, decoded as the bytes arrive.

    Three layers, each keeping only what it cannot use yet: the response head (status
    line and headers), the chunked transfer coding (a chunk may hold part of a frame,
    several frames, or be split across reads), and SSE frames ending in a blank line.
    Complete frames are handed over in one piece per read: a regular expression finds
    our messages in them and the last ``id:`` line becomes the resume position.
    """

    def __init__(
        self,
        feed: Feed,
        matcher: re.Pattern[bytes],
        request: bytes,
        on_connected: Callable[[], None],
    ) -> None:
        self.feed = feed
        self.matcher = matcher
        self.request = request
        self.on_connected = on_connected
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.raw = bytearray()  # received bytes not decoded yet (head or chunk framing)
        self.body = bytearray()  # decoded body after the last complete frame
        self.head_read = False
        self.chunked = False
        self.chunk_left = 0  # data bytes of the current chunk still to come
        self.crlf_left = 0  # bytes of the CRLF ending the current chunk still to come
        self.ended = False  # the last chunk came, or the head was refused: ignore the rest

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport; they behave like one.
        self.transport = cast(asyncio.Transport, transport)
        self.transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)

    def close(self) -> None:
        self.ended = True
        if self.transport is not None:
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.ended:
            return
        if not self.head_read:
            self.raw += data
            end = self.raw.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.head_accepted(bytes(self.raw[:end]).decode("latin-1")):
                self.close()
                return
            data = bytes(self.raw[end + 4 :])
            self.raw.clear()
            self.head_read = True
        if self.chunked:
            self.dechunk(data)
        else:  # a body without framing runs until the connection closes
            self.body += data
        self.frames_take()

    def head_accepted(self, head: str) -> bool:
        status_line, *header_lines = head.split("\r\n")
        status = status_line.split(" ", 2)
        if len(status) < 2 or status[1] != "200":
            return False
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "transfer-encoding":
                self.chunked = "chunked" in value.lower()
        return True

    def dechunk(self, data: bytes) -> None:
        """Append the data of every chunk in ``raw`` + ``data`` to ``body``."""
        raw = self.raw
        raw += data
        position, end = 0, len(raw)
        while position < end:
            if self.chunk_left:
                taken = min(self.chunk_left, end - position)
                self.body += raw[position : position + taken]
                position += taken
                self.chunk_left -= taken
                if self.chunk_left:
                    break
                self.crlf_left = 2
            if self.crlf_left:
                skipped = min(self.crlf_left, end - position)
                position += skipped
                self.crlf_left -= skipped
                if self.crlf_left:
                    break
            line_end = raw.find(b"\r\n", position)
            if line_end < 0:
                break
            size = int(raw[position:line_end].split(b";", 1)[0], 16)
            position = line_end + 2
            if size == 0:  # the last chunk: the server ended the stream
                self.close()
                return
            self.chunk_left = size
        del raw[:position]

    def frames_take(self) -> None:
        """Count our messages in the complete frames of ``body``; keep the rest."""
        body = self.body
        end = body.rfind(b"\n\n")
        if end < 0:
            return
        frames = bytes(body[: end + 1])  # through the last frame's final line break
        del body[: end + 2]
        feed = self.feed
        now = time.perf_counter()
        counts, arrivals, size = feed.counts, feed.arrivals, feed.size
        for match in self.matcher.finditer(frames):
            index = int(match[1])
            if index < size:
                count = counts[index]
                if count == 0:
                    arrivals[index] = now
                if count < 255:
                    counts[index] = count + 1
        # The last id line of these frames is the position to resume after. Lines start
        # at the beginning or after a line break; no data line holds a raw line break.
        at = frames.rfind(b"\nid:")
        if at >= 0:
            start = at + 4
        elif frames.startswith(b"id:"):
            start = 3
        else:
            return
        feed.last_id = frames[start : frames.index(b"\n", start)].strip()
        if not feed.connected:
            feed.connected = True
            self.on_connected()


async def feed_follow(
    address: tuple[str, int],
    feed: Feed,
    matcher: re.Pattern[bytes],
    on_connected: Callable[[], None],
) -> None:
    """Keep ``feed`` on the stream until cancelled: on any end or failure, reconnect
    after a pause with ``Last-Event-ID`` set to the last id received."""
    loop = asyncio.get_running_loop()
    while True:
        host, port = address
        request = stream_request(host, port, feed.cookie, feed.last_id)
        connection = None
        try:
            _, connection = await loop.create_connection(
                functools.partial(FeedConnection, feed, matcher, request, on_connected),
                host,
                port,
            )
            await connection.closed
        except OSError:
            pass  # refused or reset: the server is down or restarting
        finally:
            if connection is not None:
                connection.close()
        feed.reconnects += 1
        await asyncio.sleep(RECONNECT_PAUSE)


# --- the clients' processes ---------------------------------------------------------


async def message_wait(conn: Connection, timeout: float | None = None) -> Any:
    """Receive the next message on ``conn`` without blocking the loop while waiting."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not conn.poll():
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.02)
    return conn.recv()


# One SSE client: its name, its session cookie, and the server address it streams from.
Client = tuple[str, bytes, tuple[str, int]]


def clients_process_main(conn: Connection, clients: list[Client], size: int, prefix: str) -> None:
    """Entry point of one child process: run its share of the clients on its own loop."""
    loop_run(clients_run(conn, clients, size, prefix))
    conn.close()


async def clients_run(conn: Connection, clients: list[Client], size: int, prefix: str) -> None:
    """Connect the clients, say so, follow the streams until told to drain, then send
    the feeds' records and this process's CPU seconds over the measured window."""
    matcher = message_matcher(prefix)
    feeds = [Feed(name, size, cookie) for name, cookie, _ in clients]
    addresses = [address for _, _, address in clients]
    all_connected = asyncio.Event()
    waiting = len(feeds)

    def one_connected() -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            all_connected.set()

    tasks = [
        asyncio.create_task(feed_follow(address, f, matcher, one_connected))
        for f, address in zip(feeds, addresses, strict=True)
    ]
    try:
        try:
            await asyncio.wait_for(all_connected.wait(), CONNECT_SECONDS)
        except TimeoutError:
            conn.send(("failed", f"{waiting} of {len(feeds)} clients did not connect"))
            return
        cpu_connected = time.process_time()
        conn.send(("connected", None))
        ok, seconds = await message_wait(conn)
        await feeds_drain(feeds, ok, seconds)
        cpu_drained = time.process_time()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    conn.send(("drained", (cpu_drained - cpu_connected, [f.record() for f in feeds])))


async def feeds_drain(feeds: list[Feed], ok: list[int], seconds: float) -> None:
    """Wait until every feed has every index in ``ok``, or ``seconds`` are up.

    One feed is looked at a time, and only for what it still misses: the feeds get the
    same messages at about the same pace, so this ends when checking all of them every
    time would, at a fraction of the CPU (400 feeds x 3,000 indices is ~1e6 lookups).
    """
    deadline = time.monotonic() + seconds
    pending = [(feed, list(ok)) for feed in feeds]
    while pending and time.monotonic() < deadline:
        feed, indices = pending[-1]
        counts = feed.counts
        indices = [i for i in indices if not counts[i]]
        if indices:
            pending[-1] = (feed, indices)
            await asyncio.sleep(0.1)
        else:
            pending.pop()


@dataclass
class ClientPool:
    """The parent's handle on the SSE clients, spread over child processes."""

    processes: list[multiprocessing.process.BaseProcess]
    conns: list[Connection]

    @classmethod
    async def open(
        cls, servers: list[Server], clients_per_side: int, size: int, prefix: str, processes: int
    ) -> ClientPool:
        """Sign each side in once, start the processes, and return once every client
        holds an open stream (its opening ``id:`` frame arrived). With several servers
        (hosts), the clients of each side are dealt over them in turn; the sessions live
        in the shared database, so one sign-in serves on every host."""
        clients: list[Client] = []
        for username in SIDES:
            cookie = cookie_header(await session_cookies(servers[0].url, username))
            for n in range(clients_per_side):
                server = servers[n % len(servers)]
                clients.append((f"{username}#{n}@{server.host}", cookie, server.address))
        count = max(1, min(processes, len(clients)))
        context = multiprocessing.get_context("spawn")
        pool = cls(processes=[], conns=[])
        for k in range(count):
            parent_end, child_end = context.Pipe()
            process = context.Process(
                target=clients_process_main,
                args=(child_end, clients[k::count], size, prefix),
                name=f"bench-clients-{k}",
                daemon=True,
            )
            process.start()
            child_end.close()
            pool.processes.append(process)
            pool.conns.append(parent_end)
        try:
            for conn in pool.conns:
                kind, detail = await message_wait(conn, CONNECT_SECONDS + 30)
                if kind != "connected":
                    raise SystemExit(f"SSE clients: {detail}")
        except BaseException:
            pool.terminate()
            raise
        return pool

    async def drain(self, ok: list[int], seconds: float) -> tuple[list[Feed], float]:
        """Let every client wait up to ``seconds`` for every index in ``ok``; close them
        all; return their feeds and the clients' CPU seconds since they connected."""
        for conn in self.conns:
            conn.send((ok, seconds))
        feeds, cpu = [], 0.0
        try:
            for conn in self.conns:
                _, (cpu_seconds, records) = await message_wait(conn, seconds + 60)
                cpu += cpu_seconds
                feeds += [Feed.from_record(record) for record in records]
        except BaseException:
            self.terminate()
            raise
        for process in self.processes:
            process.join(timeout=10)
        self.terminate()  # only the ones that did not exit on their own
        return feeds, cpu

    def terminate(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
                process.join()
        for conn in self.conns:
            conn.close()


# --- the sender ---------------------------------------------------------------------


class Sender:
    """POSTs JSON over a few keep-alive HTTP/1.1 connections, signed in by cookie.

    Hand-made for the same reason as the clients: an httpx request costs milliseconds
    of CPU, which at --rate 50 is a sizeable share of a core taken from the server.
    Sends beyond ``connections`` wait for a free connection.

    The connections are opened up front (``open``) and taken least recently used first,
    so the sends spread over all of them, as they would from many duty officers. Taken
    most recently used first (the usual pool), a sender at 50 messages/s needs only two
    or three connections, and with ``accord serve --workers N`` whichever worker
    accepted those few gets nearly every send while the others idle: the benchmark
    then measures one worker, not the server.
    """

    def __init__(self, port: int, cookies: dict[str, str], connections: int) -> None:
        self.port = port
        self.headers = (
            b"Host: 127.0.0.1:%d\r\nCookie: %s\r\nX-CSRFToken: %s\r\n"
            b"Content-Type: application/json\r\n"
            % (port, cookie_header(cookies), cookies["csrftoken"].encode())
        )
        self.connections = connections
        self.idle: collections.deque[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            collections.deque()
        )
        self.gate = asyncio.Semaphore(connections)

    async def open(self) -> None:
        """Open every connection before the first send (see the class docstring)."""
        for _ in range(self.connections - len(self.idle)):
            self.idle.append(await asyncio.open_connection("127.0.0.1", self.port))

    async def post(self, path: str, body: bytes, timeout: float) -> tuple[int, dict[str, float]]:
        """Return the response's status (-1 when the connection failed, or TIMED_OUT)
        and its ``Server-Timing`` metrics in milliseconds (none when it had no answer).

        A kept connection the server has closed meanwhile (uvicorn drops idle ones after
        a few seconds) fails before any response: the send is then made once more on a
        new connection, which is safe because sends are idempotent by client id.
        """
        async with self.gate:
            while self.idle:
                reader, writer = self.idle.popleft()
                if not (reader.at_eof() or writer.is_closing()):
                    status, timing = await self.attempt(reader, writer, path, body, timeout)
                    if status != STALE:
                        return status, timing
                    break
                writer.close()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                return -1, {}
            status, timing = await self.attempt(reader, writer, path, body, timeout)
            return (-1 if status == STALE else status), timing

    async def attempt(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        path: str,
        body: bytes,
        timeout: float,
    ) -> tuple[int, dict[str, float]]:
        """One send on one connection: its status (-1, or STALE: closed, no answer) and
        its ``Server-Timing`` metrics."""
        try:
            status, keep, timing = await asyncio.wait_for(
                self.exchange(reader, writer, path, body), timeout
            )
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            writer.close()
            partial = getattr(exc, "partial", b"")
            return (STALE if not partial else -1), {}
        except TimeoutError:
            writer.close()
            return TIMED_OUT, {}
        except (OSError, ValueError):
            writer.close()
            return -1, {}
        if keep:
            self.idle.append((reader, writer))
        else:
            writer.close()
        return status, timing

    async def exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        path: str,
        body: bytes,
    ) -> tuple[int, bool, dict[str, float]]:
        """One request and its whole response: (status, whether the connection stays,
        the ``Server-Timing`` metrics)."""
        writer.write(
            b"POST %s HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s"
            % (path.encode(), self.headers, len(body), body)
        )
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        length, keep, timing = 0, True, {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and "close" in value.lower():
                keep = False
            elif name == "transfer-encoding":
                keep = False  # not expected from the API; drop the connection, not parse
            elif name == "server-timing":
                timing = server_timing_parse(value)
        if length:
            await reader.readexactly(length)
        return int(status_line.split(" ", 2)[1]), keep, timing

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


def server_timing_parse(value: str) -> dict[str, float]:
    """``queue;dur=1.5, app;dur=20.1`` -> {"queue": 1.5, "app": 20.1} (milliseconds)."""
    metrics = {}
    for metric in value.split(","):
        name, _, duration = metric.strip().partition(";dur=")
        with contextlib.suppress(ValueError):
            metrics[name] = float(duration)
    return metrics


def server_timing_report(timings: list[dict[str, float]]) -> str:
    """Where the server says a send's time went: waiting for a request thread, in it,
    and that thread's CPU (``ACCORD_SERVER_TIMING``, see accord/asgi.py)."""
    parts = []
    for name, meaning in (
        ("queue", "waiting for a request thread"),
        ("app", "in it"),
        ("cpu", "its CPU"),
    ):
        values = [t[name] for t in timings if name in t]
        if values:
            parts.append(
                f"{meaning} median {statistics.median(values):.0f}, "
                f"p99 {percentile(values, 0.99):.0f}"
            )
    return "; ".join(parts)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def delivery_counts(feeds: list[Feed], ok: list[int]) -> tuple[int, int, int]:
    """(lost, duplicated, reconnects) over every (successful message, client) pair."""
    lost = sum(1 for f in feeds for i in ok if not f.counts[i])
    duplicated = sum(f.counts[i] - 1 for f in feeds for i in ok if f.counts[i] > 1)
    return lost, duplicated, sum(f.reconnects for f in feeds)


# --- phase 1 ------------------------------------------------------------------------


async def phase_throughput(servers: list[Server], args: argparse.Namespace) -> bool:
    """Sends through the first server; with ``--hosts 2`` half the clients stream from
    the other, so their deliveries cross hosts through the database's NOTIFY."""
    server = servers[0]
    total = int(args.rate * args.duration)
    prefix = f"b{int(time.time())}-"
    connecting = time.perf_counter()
    pool = await ClientPool.open(
        servers, args.clients_per_side, total, prefix, args.client_processes
    )
    print(
        f"  {2 * args.clients_per_side} clients signed in and connected in "
        f"{time.perf_counter() - connecting:.1f} s; sending",
        flush=True,
    )
    sender = Sender(server.port, await session_cookies(server.url, SENDER), SEND_CONNECTIONS)
    await sender.open()
    path = f"/api/channels/{CHANNEL}/messages"
    started = [0.0] * total
    status = [0] * total
    timings: list[dict[str, float]] = [{} for _ in range(total)]
    send_seconds: list[float] = []

    async def send(i: int) -> None:
        started[i] = time.perf_counter()  # when it was due: waiting for a connection counts
        body = json.dumps(
            {"client_id": f"{prefix}{i}", "text": f"Bench message {i}", "precedence": "PRIORITY"}
        )
        status[i], timings[i] = await sender.post(path, body.encode(), timeout=SEND_TIMEOUT)
        send_seconds.append(time.perf_counter() - started[i])

    cpu_before = CpuSnapshot.take(servers)
    t0 = time.perf_counter()
    senders = []
    for i in range(total):
        delay = t0 + i / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        senders.append(asyncio.create_task(send(i)))
    await asyncio.gather(*senders)
    send_elapsed = time.perf_counter() - t0
    sender.close()
    ok = [i for i in range(total) if status[i] in (200, 201)]
    # Drain: each client process waits until its clients have every successful
    # message, or gives up after --drain seconds.
    feeds, client_cpu = await pool.drain(ok, args.drain)
    cpu_after = CpuSnapshot.take(servers)

    latencies = [f.arrivals[i] - started[i] for f in feeds for i in ok if f.counts[i]]
    lost, duplicated, reconnects = delivery_counts(feeds, ok)
    print(
        f"  sent {len(ok)}/{total} ok in {send_elapsed:.1f} s "
        f"({len(ok) / send_elapsed:.1f} msg/s achieved; send median "
        f"{statistics.median(send_seconds) * 1000:.0f} ms, p99 "
        f"{percentile(send_seconds, 0.99) * 1000:.0f} ms)"
    )
    if any(timings):
        print(f"  server side of a send, ms: {server_timing_report(timings)}")
    print(f"  clients {len(feeds)} ({args.clients_per_side} per side), deliveries {len(latencies)}")
    if latencies:
        print(
            f"  send-to-delivery latency: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )
        # By when the message was sent: shows whether the tail is a warm-up (fresh
        # connections and caches in every worker) or spread over the whole run.
        window = args.window
        spans = []
        for start in range(0, int(args.duration), int(window)):
            first, last = int(start * args.rate), int((start + window) * args.rate)
            part = [f.arrivals[i] - started[i] for f in feeds for i in ok if first <= i < last]
            part = [x for x in part if x > 0]
            queued = [timings[i]["queue"] for i in range(first, min(last, total)) if timings[i]]
            if part:
                spans.append(
                    f"{start}-{start + int(window)} s: {statistics.median(part) * 1000:.0f}/"
                    f"{percentile(part, 0.99) * 1000:.0f}"
                    + (f" (queue p99 {percentile(queued, 0.99):.0f})" if queued else "")
                )
        print(f"  median/p99 ms by send time: {'; '.join(spans)}")
        if args.warmup > 0:
            settled = [
                f.arrivals[i] - started[i]
                for f in feeds
                for i in ok
                if f.counts[i] and i >= args.warmup * args.rate
            ]
            if settled:
                print(
                    f"  after the first {args.warmup:g} s: median "
                    f"{statistics.median(settled) * 1000:.0f} ms, p99 "
                    f"{percentile(settled, 0.99) * 1000:.0f} ms"
                )
    print(f"  lost {lost}, duplicated {duplicated}, reconnects {reconnects}")
    if len(servers) > 1:
        for host in servers:
            mine = [f for f in feeds if f.name.endswith(f"@{host.host}")]
            host_lost, host_duplicated, _ = delivery_counts(mine, ok)
            host_latencies = [f.arrivals[i] - started[i] for f in mine for i in ok if f.counts[i]]
            p99 = percentile(host_latencies, 0.99) * 1000 if host_latencies else float("nan")
            print(
                f"  clients on {host.host}: {len(mine)}, lost {host_lost}, duplicated "
                f"{host_duplicated}, p99 {p99:.0f} ms"
            )
    failed = collections.Counter(code for code in status if code not in (200, 201))
    if failed:
        described = ", ".join(
            f"{count} x {SEND_FAILURES.get(code, code)}" for code, count in failed.items()
        )
        print(f"  failed sends: {described}")
    print(cpu_report(cpu_before, cpu_after, client_cpu, len(pool.processes), len(latencies)))
    return lost == 0 and duplicated == 0 and len(ok) == total


# --- phase 2 ------------------------------------------------------------------------


async def phase_crash(server: Server, args: argparse.Namespace) -> bool:
    size = args.burst
    prefix = f"k{int(time.time())}-"
    pool = await ClientPool.open(
        [server], args.crash_clients_per_side, size, prefix, args.client_processes
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

    feeds, _ = await pool.drain(ok, args.drain)
    await sender.aclose()
    lost, duplicated, reconnects = delivery_counts(feeds, ok)
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
    parser.add_argument(
        "--window", type=float, default=10.0, help="seconds per line of the latency breakdown"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="also report latency without the messages of the first seconds (counted for "
        "loss and duplicates all the same)",
    )
    parser.add_argument(
        "--client-processes",
        type=int,
        default=1,
        help="child processes the SSE clients are spread over (each with its own loop)",
    )
    parser.add_argument(
        "--server-workers",
        type=int,
        help="passed to accord serve as --workers (default: its own, $ACCORD_WORKERS or 1)",
    )
    parser.add_argument(
        "--hosts",
        type=int,
        choices=[1, 2],
        default=1,
        help="2: a second accord serve on 127.0.0.2 sharing the PostgreSQL database (the "
        "multi-host layout of deploy/); half the clients stream from it",
    )
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

    if args.hosts > 1 and args.db != "postgres":
        raise SystemExit("--hosts 2 shares one PostgreSQL database: use --db postgres")
    server, data_dir = server_for(args.db, args.poll, args.server_workers)
    servers = [server]
    if args.hosts > 1:
        other_dir = data_dir / "second-host"
        other_dir.mkdir()
        servers.append(
            Server(
                env=server.env | {"ACCORD_DATA_DIR": str(other_dir)},
                port=free_port(),
                log_path=other_dir / "server.log",
                workers=args.server_workers,
                host="127.0.0.2",
            )
        )
    print(
        f"channels bench on {args.db}: {args.clients_per_side} SSE clients per side, "
        f"{args.rate:g} msg/s for {args.duration:g} s; feed poll {args.poll:g} s"
        + (" (PostgreSQL: LISTEN/NOTIFY)" if args.db == "postgres" else "")
        + f"; clients in {args.client_processes} process(es) on "
        + ("uvloop" if uvloop is not None else "asyncio")
        + (f"; server workers {args.server_workers}" if args.server_workers else "")
        + (f"; {args.hosts} hosts (127.0.0.1, 127.0.0.2)" if args.hosts > 1 else "")
    )
    good = True
    try:
        for each in servers:
            each.start()
        if not args.skip_throughput:
            print("phase 1: throughput and latency")
            good &= loop_run(phase_throughput(servers, args))
        if not args.skip_crash:
            print(
                f"phase 2: SIGKILL mid-burst ({args.workers} concurrent senders, kill after "
                f"{args.kill_after} successes, {args.crash_clients_per_side} clients per side)"
            )
            good &= loop_run(phase_crash(server, args))
    finally:
        for each in servers:
            each.stop()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print("RESULT:", "OK" if good else "FAILED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
