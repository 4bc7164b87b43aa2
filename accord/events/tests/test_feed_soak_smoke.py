"""The live-feed soak still runs, and in its short form already finds no 5xx, nothing
lost and nothing duplicated under the two-worker server (figures are printed; the full
run is ``bench/feed_soak.py``)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# The soak serves its own demo on SQLite (DATABASE_URL dropped) in either leg.
pytestmark = pytest.mark.own_server


def test_a_short_soak_of_streams_and_pages_finds_no_5xx_no_loss_and_no_duplicate():
    # Before decision 0070 this answered 500 about five times in its twelve seconds.
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "feed_soak.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5xx 0, lost 0, duplicated 0, leaked to the other side 0" in result.stdout
    assert "server log: 0 tracebacks" in result.stdout
