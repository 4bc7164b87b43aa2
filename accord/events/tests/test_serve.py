"""``manage.py serve`` as an operator runs it: a real process, stopped by a signal."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from accord.serving import listening_sockets, per_worker_sockets_supported

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    # Its own data directory: the server must not touch the developer's database.
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, str(MANAGE), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    found: list[str] = []

    def read_url() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            match = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if match:
                found.append(match.group())
                return

    reader = threading.Thread(target=read_url, daemon=True)
    reader.start()
    reader.join(timeout=20)
    if not found:
        process.kill()
        process.wait(timeout=5)
        pytest.fail("manage.py serve printed no URL within 20 s")
    return process, found[0]


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_its_url_serves_and_stops_cleanly_on_a_signal(tmp_path, stop_signal):
    process, url = _start(tmp_path, "--no-sweeper")
    try:
        response = httpx.get(f"{url}events/stream", timeout=5)
        assert response.status_code == 401
        process.send_signal(stop_signal)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)


def _start_two_workers(tmp_path: Path) -> tuple[subprocess.Popen[str], str, list[int]]:
    """Start a server with two worker processes that answer; return it, its URL, the workers."""
    process, url = _start(tmp_path, "--no-sweeper", "--workers", "2")
    try:
        assert httpx.get(f"{url}events/stream", timeout=10).status_code == 401
        workers = _children(process.pid)
        assert len(workers) == 2, workers
    except BaseException:
        process.kill()
        process.wait(timeout=5)
        raise
    return process, url, workers


def test_serve_with_workers_leaves_no_worker_serving_after_its_parent_is_killed(tmp_path):
    # Given a server with two worker processes
    process, url, workers = _start_two_workers(tmp_path)
    # When its parent is killed outright
    process.kill()
    process.wait(timeout=5)
    # Then no worker is left serving on the port
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}events/stream", timeout=2)


def test_serve_with_workers_stops_cleanly_on_sigterm(tmp_path):
    process, _url, workers = _start_two_workers(tmp_path)
    try:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)


@pytest.mark.skipif(not per_worker_sockets_supported(), reason="SO_REUSEPORT groups: Linux")
def test_a_worker_killed_outright_is_replaced_on_its_own_socket(tmp_path):
    # Given two workers, each accepting on its own socket of the port's group
    process, url, workers = _start_two_workers(tmp_path)
    try:
        # When one is killed outright
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        replaced: list[int] = []
        while time.monotonic() < deadline:
            replaced = [pid for pid in _children(process.pid) if _alive(pid)]
            if len(replaced) == 2 and workers[0] not in replaced:
                break
            time.sleep(0.2)
        assert len(replaced) == 2 and workers[0] not in replaced, replaced
        # Then every new connection is answered: the kernel hashes about half of them to
        # the dead worker's socket, which only its replacement accepts on.
        for _ in range(30):
            with httpx.Client(timeout=5) as fresh:
                assert fresh.get(f"{url}events/stream").status_code == 401
    finally:
        process.kill()
        process.wait(timeout=5)


def test_per_worker_sockets_share_the_port_and_a_taken_port_is_refused():
    if not per_worker_sockets_supported():
        assert len(listening_sockets("127.0.0.1", 0, 2)) == 1
        return
    group = listening_sockets("127.0.0.1", 0, 3)
    try:
        ports = {sock.getsockname()[1] for sock in group}
        assert len(group) == 3 and len(ports) == 1
        # Another group of the same user on the same port would silently share it.
        with pytest.raises(OSError):
            listening_sockets("127.0.0.1", ports.pop(), 2)
    finally:
        for sock in group:
            sock.close()


def _children(pid: int) -> list[int]:
    """The worker processes of ``pid`` (multiprocessing's resource tracker excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"resource_tracker" not in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("serving", [True, False])
def test_the_garbage_collector_is_tuned_in_a_serving_process_only(tmp_path, serving):
    from accord.worker import GC_YOUNG_THRESHOLD, SERVING_ENV

    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop(SERVING_ENV, None)
    if serving:
        env[SERVING_ENV] = "1"
    probe = "import gc, accord.asgi; print(gc.get_freeze_count(), gc.get_threshold()[0])"
    shown = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    frozen, young = map(int, shown.stdout.split())
    if serving:
        # Django and the app were loaded before the freeze: far more than a few objects.
        assert frozen > 10_000 and young == GC_YOUNG_THRESHOLD
    else:
        assert frozen == 0 and young == 700
