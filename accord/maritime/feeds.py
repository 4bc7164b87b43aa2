"""Where lines come from: sockets (TCP client or server, UDP), a paced replay, a background
thread for the demo. Decision 0109.

Readers run in their own threads and put lines into one bounded ``queue.Queue``; the
caller's thread (the only one that touches the database) takes them, feeds the
``Picture`` and flushes a batch every ``flush_every`` seconds. A full buffer blocks a TCP
reader (the kernel's window then pushes back on the sender) and makes a UDP reader drop
and count (UDP has no back-pressure).
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import close_old_connections, connection

STOP = b""


class Counters:
    def __init__(self) -> None:
        self.dropped = 0
        self.connections = 0


def _split_host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def _tcp_reader(sock: socket.socket, lines: queue.Queue[bytes], stop: threading.Event) -> None:
    buffered = b""
    sock.settimeout(0.5)
    while not stop.is_set():
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        buffered += chunk
        *complete, buffered = buffered.split(b"\n")
        for line in complete:
            lines.put(line)  # blocks when full: back-pressure
    sock.close()


def _tcp_client(
    address: str, lines: queue.Queue[bytes], stop: threading.Event, log: Callable[[str], Any]
) -> None:
    host, port = _split_host_port(address)
    delay = 1.0
    while not stop.is_set():
        try:
            sock = socket.create_connection((host, port), timeout=5)
        except OSError as error:
            log(f"ais: cannot connect to {address}: {error}; retrying in {delay:.0f} s")
            stop.wait(delay)
            delay = min(delay * 2, 60.0)
            continue
        delay = 1.0
        _tcp_reader(sock, lines, stop)


def _tcp_server(
    address: str,
    lines: queue.Queue[bytes],
    stop: threading.Event,
    counters: Counters,
    ready: threading.Event,
) -> None:
    host, port = _split_host_port(address)
    server = socket.create_server((host, port), reuse_port=False)
    server.settimeout(0.5)
    ready.port = server.getsockname()[1]  # type: ignore[attr-defined]
    ready.set()
    while not stop.is_set():
        try:
            sock, _peer = server.accept()
        except TimeoutError:
            continue
        counters.connections += 1
        threading.Thread(target=_tcp_reader, args=(sock, lines, stop), daemon=True).start()
    server.close()


def _udp(
    port: int,
    lines: queue.Queue[bytes],
    stop: threading.Event,
    counters: Counters,
    ready: threading.Event,
    host: str = "0.0.0.0",  # noqa: S104  (a receiver sends from the network)
) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((host, port))
    sock.settimeout(0.5)
    ready.port = sock.getsockname()[1]  # type: ignore[attr-defined]
    ready.set()
    while not stop.is_set():
        try:
            datagram = sock.recv(65536)
        except TimeoutError:
            continue
        for line in datagram.split(b"\n"):
            try:
                lines.put_nowait(line)
            except queue.Full:
                counters.dropped += 1
    sock.close()


def listen(
    picture: Any,
    *,
    tcp: str | None = None,
    tcp_listen: str | None = None,
    udp: int | None = None,
    udp_host: str = "0.0.0.0",  # noqa: S104
    buffer_lines: int = 50_000,
    flush_every: float = 1.0,
    log: Callable[[str], Any] = print,
    stop: threading.Event | None = None,
    ready: threading.Event | None = None,
) -> Counters:
    """Read lines until ``stop`` is set (or forever), flushing batches; lines without a
    receiver timestamp are stamped with their arrival time."""
    stop = stop or threading.Event()
    ready = ready or threading.Event()
    lines: queue.Queue[bytes] = queue.Queue(maxsize=buffer_lines)
    counters = Counters()
    if tcp:
        target: Any = (_tcp_client, (tcp, lines, stop, log))
        ready.set()
    elif tcp_listen:
        target = (_tcp_server, (tcp_listen, lines, stop, counters, ready))
    elif udp is not None:
        target = (_udp, (udp, lines, stop, counters, ready, udp_host))
    else:
        raise ValueError("listen needs tcp, tcp_listen or udp")
    reader = threading.Thread(target=target[0], args=target[1], daemon=True)
    reader.start()
    feed = picture.ingest.feed_line
    clock = picture.clock
    next_flush = time.monotonic() + flush_every
    try:
        while not stop.is_set() or not lines.empty():
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                line = None
            if line:
                feed(line, clock())
            if time.monotonic() >= next_flush:
                picture.flush()
                next_flush = time.monotonic() + flush_every
    finally:
        stop.set()
        picture.flush()
        reader.join(timeout=2)
    return counters


def replay(
    picture: Any,
    lines: Iterable[bytes],
    *,
    speed: float = 1.0,
    flush_every: float = 1.0,
    untimed_rate: float = 50.0,
    stop: threading.Event | None = None,
    sleep: Callable[[float], Any] = time.sleep,
) -> None:
    """Feed recorded ``lines`` live at ``speed`` times real time, shifted to now: a line's
    receiver time paces it; lines without one go at ``untimed_rate`` a second."""
    from accord.maritime.ingest import line_time

    stop = stop or threading.Event()
    ingest = picture.ingest
    started = time.monotonic()
    first: float | None = None
    next_flush = started + flush_every
    for count, line in enumerate(lines):
        if stop.is_set():
            break
        stamped = line_time(line)
        if stamped is not None:
            if first is None:
                first = stamped
                ingest.time_offset = picture.clock() - stamped
            due = (stamped - first) / speed
        else:
            due = count / (untimed_rate * speed)
        wait = due - (time.monotonic() - started)
        if wait > 0:
            sleep(wait)
        ingest.feed_line(line, None if stamped is not None else picture.clock())
        if time.monotonic() >= next_flush:
            picture.flush()
            next_flush = time.monotonic() + flush_every
    ingest.finish()
    picture.flush()


def run_in_background(work: Callable[[threading.Event], Any], name: str = "ais") -> threading.Event:
    """Run ``work(stop)`` in a daemon thread with its own database connection (the demo's
    feed inside the serving process); returns the event that stops it."""
    stop = threading.Event()

    def run() -> None:
        close_old_connections()
        try:
            work(stop)
        finally:
            connection.close()

    threading.Thread(target=run, name=name, daemon=True).start()
    return stop
