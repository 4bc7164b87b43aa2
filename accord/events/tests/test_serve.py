"""``manage.py serve`` as an operator runs it: a real process, stopped by a signal."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from django.conf import settings

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
