"""The year-of-talks benchmark still works: a tiny year seeded and crawled on the test
database (figures are printed, never asserted; the full year runs by hand, bench/)."""

import importlib.util
import sys
from pathlib import Path

from accord.channels.demo import demo_rosters_ensure
from accord.meetings.models import ActionItem, Minutes
from accord.web.year import SMOKE

BENCH = Path(__file__).resolve().parents[2] / "bench" / "year_bench.py"


def test_a_tiny_year_is_seeded_through_the_services_and_every_page_answers(
    cast, islamabad, monkeypatch
):
    # Given the benchmark, the demo cast and its rosters on watch
    spec = importlib.util.spec_from_file_location("year_bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "year_bench", bench)  # dataclasses need it
    spec.loader.exec_module(bench)
    demo_rosters_ensure(process=islamabad)
    lines: list[str] = []
    roles = {"duty officer": "us-duty"}
    # When a tiny year is seeded and crawled once as one role (the full run has five)
    took = bench.seed(SMOKE, lines.append)
    results = bench.crawl(SMOKE, lines.append, roles=roles)
    # Then every kind was written, and every page and list answered
    assert set(took) >= {
        "internal notes",
        "hotline messages + receipts",
        "sessions, minutes, action items",
        "total",
    }
    approved = Minutes.objects.filter(
        status=Minutes.Status.APPROVED, session__title__startswith="WG-NUC sitting"
    )
    assert approved.count() == SMOKE.sessions
    assert ActionItem.objects.filter(minutes__in=approved).count() == SMOKE.action_items
    assert any("seeded" in line for line in lines), lines
    assert len(results) == len(roles) * (len(bench.PAGES) + len(bench.API_LISTS))
    assert ("duty officer", bench.year_urls()["document"]) in results
    statuses = {key: status for key, (status, _, _) in results.items()}
    assert {key: s for key, s in statuses.items() if s not in (200, 403, 404)} == {}
    assert statuses[("duty officer", "/api/channels/DCC/messages")] == 200
    # (a duty officer sees no working paper, sitting or briefing; this charter has no round)
    assert sum(s == 200 for s in statuses.values()) >= len(statuses) - 8
