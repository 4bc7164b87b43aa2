"""The channel benchmark still runs (tiny sizes; figures are printed, never asserted)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# The benchmark serves its own demo on SQLite (DATABASE_URL dropped) in either leg.
pytestmark = pytest.mark.own_server


def test_the_channel_benchmark_runs_in_smoke_mode():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "channels_bench.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lost 0, duplicated 0" in result.stdout
    assert "chain: OK" in result.stdout
    # Every send's answer said where its time went (Server-Timing from `accord serve`).
    assert "server side of a send, ms: waiting for a request thread median" in result.stdout
