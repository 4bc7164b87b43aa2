"""A year of talks, generated through the services, then every page and API list crawled.

Phase 1 (seed): ``accord demo --setup-only`` (the default charter, its accounts, the demo
content), then ``accord.web.year.seed`` (what ``accord demo --scale year`` seeds):
through the services only (each write its event, as in real use), what a year of talks
leaves in the record (issue 18, at ``--scale 1``, about 200,000 events):

- 20,000 internal notes (both delegations, on the working groups);
- 50,000 hotline messages on the DCC, each with its delivery and read receipts;
- 50 documents with 30 revisions each, and 2,000 proposals;
- 300 held sessions with minutes approved by both parties, 5,000 action items in them,
  and 30 sessions to come;
- 500 divergences, each with both parties' positions;

and prints how long each kind took and how many events the log holds.

Phase 2 (crawl): every page and API list as each role (delegate, head of delegation,
duty officer, facilitator, rapporteur), ``--repeats`` times each, through Django's test
client in this process (server time without a network): p95 in ms and the answer's size,
and each p95 as a ratio to the home page's, measured in the same run (the baseline: a
page whose cost does not depend on the record). Pages over 300 ms, API lists over
200 ms and HTML over 500 KB are flagged, and listed again at the end.

``--table`` instead re-measures the issue's table: internal notes only, at 2,000 then
20,000 (the issue's sizes), ``/notes/``, the WG-NUC body page and ``GET /api/notes/`` as
the US expert, with the home page and search as the baseline.

Usage::

    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py            # a year
    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py --seed-only
    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py --crawl-only
    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py --scale 0.1
    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py --table
    .venv/bin/python bench/year_bench.py --smoke     # seconds; the test suite runs it

Figures only: nothing here asserts a timing. The data dir must be fresh (or the
database empty): the seed adds to what is there (``--crawl-only`` reads a seeded one).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]

if TYPE_CHECKING:
    from accord.web.year import Year


ROLES = {
    "delegate": "us-expert",
    "head of delegation": "us-head",
    "duty officer": "us-duty",
    "facilitator": "pk-chair",
    "rapporteur": "pk-rapporteur",
}
PAGES = [
    "/",
    "/roadmap/",
    "/drafting/",
    "/drafting/referrals/",
    "/divergences/",
    "/meetings/",
    "/meetings/action-items/",
    "/channels/",
    "/channels/DCC/",
    "/notes/",
    "/bodies/WG-NUC/",
    "/bodies/HLC/",
    "/search/?q=ceiling",
    "/events/",
    "/reports/briefing/",
    "/meetings/caucuses/",
    "/meetings/calendar/",
    "/maritime/",
    "/incidents/",
    "/compliance/",
    "/deconfliction/",
    "/analysis/",
    # A year's own records (filled in by ``year_urls``).
    "{document}",
    "{session}",
    "{round}",
]
API_LISTS = [
    "/api/notes/",
    "/api/bodies",
    "/api/mechanisms",
    "/api/divergences/",
    "/api/divergences/board",
    "/api/drafting/documents",
    "/api/drafting/referrals",
    "/api/meetings/rounds",
    "/api/meetings/sessions",
    "/api/meetings/action-items",
    "/api/meetings/queued",
    "/api/channels/",
    "/api/channels/DCC/messages",
    "/api/channels/DCC/topics",
    "/api/events/",
    "/api/drafting/documents/{document_id}/proposals",
    "/api/drafting/documents/{document_id}/revisions",
    "/api/meetings/sessions/{session_id}/agenda",
]


def year_urls() -> dict[str, str]:
    """The URLs of records the seed wrote (the first working paper: 30 revisions and 40
    proposals; the last held sitting; the demo's round), to fill in the lists above."""
    from accord.drafting.models import Document
    from accord.meetings.models import Round, Session

    document = Document.objects.filter(title="Working paper 0").first()
    session = Session.objects.filter(title__startswith="WG-NUC sitting ").order_by("-starts_at")
    held = session.exclude(title__contains="to come").first()
    the_round = Round.objects.order_by("starts_on").first()
    return {
        "document": f"/drafting/{document.public_id}/" if document else "/drafting/none/",
        "document_id": str(document.public_id) if document else "none",
        "session": f"/meetings/sessions/{held.pk}/" if held else "/meetings/sessions/none/",
        "session_id": str(held.pk) if held else "none",
        "round": f"/meetings/rounds/{the_round.pk}/" if the_round else "/meetings/rounds/none/",
    }


AIMS = {"page": 300.0, "api": 200.0, "html_kb": 500.0}


def setup_django(data_dir: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    if data_dir:
        os.environ["ACCORD_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    for exemption in ("ACCORD_DEMO_WITHOUT_SECOND_FACTOR", "ACCORD_DEMO_WITHOUT_PASSWORD_POLICY"):
        os.environ[exemption] = "1"
    os.environ.setdefault("ACCORD_API_RATE", "1000000/m")
    os.environ.setdefault("ACCORD_API_ADDRESS_RATE", "1000000/m")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def demo_setup(out: Callable[[str], None]) -> None:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("demo", "--setup-only", stdout=open(os.devnull, "w"))  # noqa: SIM115
    out(f"demo set up in {time.perf_counter() - start:.1f} s")


def _users() -> dict:
    from accord.web.year import _users as users

    return users()


def seed(size: Year, out: Callable[[str], None]) -> dict[str, float]:
    from accord.web.year import seed as year_seed

    return year_seed(size, out)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def measure(client, url: str, repeats: int) -> tuple[int, float, int]:
    """(status, p95 ms, bytes) of ``repeats`` GETs of ``url`` (after one warm-up when
    more than one)."""
    if repeats > 1:
        client.get(url)
    samples = []
    size = 0
    status = 0
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        status = response.status_code
        size = len(response.content)
    return status, _p95(samples), size


def crawl(
    size: Year, out: Callable[[str], None], roles: dict[str, str] = ROLES
) -> dict[tuple[str, str], tuple[int, float, int]]:
    """Every page and API list as each of ``roles``. A 403 or 404 is a page that is not
    the role's (a delegate is in no hotline, the briefing is the HLC's): listed, not timed
    against the aims."""
    from django.test import Client

    users = _users()
    named = year_urls()
    flagged: list[str] = []
    results: dict[tuple[str, str], tuple[int, float, int]] = {}
    for role, username in roles.items():
        client = Client()
        client.force_login(users[username])
        out(f"\n{role} ({username}): p95 ms, KB, x the home page")
        home = measure(client, "/", size.repeats)[1]
        for url in [u.format(**named) for u in PAGES + API_LISTS]:
            status, p95, length = measure(client, url, size.repeats)
            results[(role, url)] = (status, p95, length)
            aim = AIMS["api"] if url.startswith("/api/") else AIMS["page"]
            flags = []
            if status in (403, 404):
                out(f"  {url:<30} not this role's ({status})")
                continue
            if status != 200:
                flags.append(f"status {status}")
            if p95 > aim:
                flags.append(f"over {aim:.0f} ms")
            if not url.startswith("/api/") and length > AIMS["html_kb"] * 1024:
                flags.append("over 500 KB")
            line = (
                f"{url:<30} {p95:>8.1f} ms {length / 1024:>8.1f} KB "
                f"{p95 / max(home, 1e-9):>6.1f}x  {' '.join(flags)}"
            )
            out(f"  {line}")
            if flags:
                flagged.append(f"{role:<20} {line}")
    out(f"\n{len(flagged)} over an aim (pages 300 ms, API lists 200 ms, HTML 500 KB):")
    for line in flagged:
        out(f"  {line}")
    return results


def table(out: Callable[[str], None], sizes: tuple[int, ...] = (2_000, 20_000)) -> None:
    """The issue's table: notes only, at its sizes, against the home page and search."""
    from django.test import Client

    from accord.notes import services as notes

    users = _users()
    client = Client()
    client.force_login(users["us-expert"])
    written = 0
    for target in sizes:
        start = time.perf_counter()
        for i in range(written, target):
            notes.note_write(
                actor=users["us-expert"] if i % 2 else users["us-head"],
                text=f"Note {i}: follow up the figures on item {i % 97}.",
                body_code="WG-NUC" if i % 3 else "HLC",
            )
        written = target
        out(f"\n{target:,} notes (written in {time.perf_counter() - start:.1f} s), as us-expert:")
        base = measure(client, "/", 5)[1]
        for url in ("/", "/search/?q=ceiling", "/notes/", "/bodies/WG-NUC/", "/api/notes/"):
            status, p95, length = measure(client, url, 5)
            out(
                f"  {url:<22} {p95:>8.1f} ms {length / 1e6:>6.2f} MB "
                f"{p95 / max(base, 1e-9):>5.1f}x home  (status {status})"
            )


def run(
    size: Year,
    *,
    out: Callable[[str], None] = print,
    do_seed: bool = True,
    do_crawl: bool = True,
    roles: dict[str, str] = ROLES,
) -> dict:
    took: dict[str, float] = {}
    if do_seed:
        demo_setup(out)
        out(f"seeding a year at {size}:")
        took = seed(size, out)
    results = crawl(size, out, roles) if do_crawl else {}
    return {"seed": took, "crawl": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run (CI)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of a year")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--table", action="store_true", help="the issue's table (notes only)")
    parser.add_argument("--seed-only", action="store_true", help="seed, do not crawl")
    parser.add_argument("--crawl-only", action="store_true", help="crawl a seeded data dir")
    parser.add_argument(
        "--roles", default=None, help="comma-separated roles to crawl (default: all five)"
    )
    parser.add_argument("--skip", default="", help="comma-separated URLs not to crawl")
    args = parser.parse_args(argv)
    data_dir = os.environ.get("ACCORD_DATA_DIR")
    if args.smoke and not data_dir:
        data_dir = tempfile.mkdtemp(prefix="accord-year-")
    setup_django(data_dir)
    if args.table:
        demo_setup(print)
        table(print)
        return 0
    from accord.web.year import SMOKE, Year

    size = SMOKE if args.smoke else Year().scaled(args.scale)
    if args.repeats:
        size = replace(size, repeats=args.repeats)
    for url in filter(None, args.skip.split(",")):
        PAGES.remove(url) if url in PAGES else API_LISTS.remove(url)
    roles = ROLES
    if args.roles:
        roles = {name: ROLES[name] for name in args.roles.split(",")}
    results = run(size, do_seed=not args.crawl_only, do_crawl=not args.seed_only, roles=roles)
    failed = [key for key, (status, _, _) in results["crawl"].items() if status >= 500]
    if failed:
        print(f"\n{len(failed)} answers were server errors: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
