"""The benchmark script still works: its smoke mode runs and ends with its RESULT line."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "analysis_bench.py"


def test_the_analysis_benchmark_runs_in_smoke_mode():
    # When the benchmark runs in smoke mode
    done = subprocess.run(
        [sys.executable, str(BENCH), "--smoke"], capture_output=True, text=True, check=False
    )
    # then it succeeds and its last line says the frontiers are identical
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("RESULT: frontier identical: yes; speed-up at 8x5: ")
