"""The benchmark script still works: its smoke mode runs on the test database."""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "drafting_bench.py"


@pytest.mark.django_db
def test_the_drafting_benchmark_runs_in_smoke_mode(monkeypatch):
    spec = importlib.util.spec_from_file_location("drafting_bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "drafting_bench", bench)  # dataclasses need it
    spec.loader.exec_module(bench)
    lines: list[str] = []
    results = bench.run(bench.SMOKE, out=lines.append)
    assert set(results) == {"page", "diff", "docx export", "docx import"}
    assert any("round trip: same meaning" in line for line in lines), lines


def test_the_documents_benchmark_runs_in_smoke_mode():
    path = BENCH.parent / "documents_bench.py"
    spec = importlib.util.spec_from_file_location("documents_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    lines: list[str] = []
    results = bench.run(smoke=True, out=lines.append)
    assert set(results) == {"docx import", "akn export + validation", "redline export"}
    assert any("valid: True" in line for line in lines), lines
