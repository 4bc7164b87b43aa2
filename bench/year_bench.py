"""A year of talks, generated through the services, then every page and API list crawled.

Phase 1 (seed): ``accord demo --setup-only`` (the default charter, its accounts, the demo
content), then, through the services only (each write its event, as in real use), what
a year of talks leaves in the record (issue 18, at ``--scale 1``):

- 20,000 internal notes (both delegations, on the working groups);
- 50,000 hotline messages on the DCC, each with its delivery and read receipts;
- 50 documents with 30 revisions each, and 2,000 proposals;
- 300 sessions;
- 500 divergences, each with both parties' positions;

and prints how long each kind took and how many events the log holds. (Minutes and the
5,000 action items they carry are not generated yet: they need a held session each.)

Phase 2 (crawl): every page and API list as each role (delegate, head of delegation,
duty officer, facilitator, rapporteur), ``--repeats`` times each, through Django's test
client in this process (server time without a network): p95 in ms and the answer's size,
and each p95 as a ratio to the home page's, measured in the same run (the baseline: a
page whose cost does not depend on the record).

``--table`` instead re-measures the issue's table: internal notes only, at 2,000 then
20,000 (the issue's sizes), ``/notes/``, the WG-NUC body page and ``GET /api/notes/`` as
the US expert, with the home page and search as the baseline.

Usage::

    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py            # a year
    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py --scale 0.1
    ACCORD_DATA_DIR=/tmp/year .venv/bin/python bench/year_bench.py --table
    .venv/bin/python bench/year_bench.py --smoke     # seconds; the test suite runs it

Figures only: nothing here asserts a timing. The data dir must be fresh (or the
database empty): the seed adds to what is there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Year:
    notes: int = 20_000
    messages: int = 50_000
    documents: int = 50
    revisions: int = 30  # per document
    proposals: int = 2_000
    sessions: int = 300
    divergences: int = 500
    repeats: int = 5

    def scaled(self, factor: float) -> Year:
        def size(n: int) -> int:
            return max(1, math.ceil(n * factor))

        return Year(
            notes=size(self.notes),
            messages=size(self.messages),
            documents=size(self.documents),
            revisions=size(self.revisions),
            proposals=size(self.proposals),
            sessions=size(self.sessions),
            divergences=size(self.divergences),
            repeats=self.repeats,
        )


SMOKE = Year(
    notes=6, messages=6, documents=1, revisions=2, proposals=2, sessions=2, divergences=2, repeats=1
)

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
]
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
    from accord.accounts.models import User

    return {u.username: u for u in User.objects.select_related("delegation")}


def seed(size: Year, out: Callable[[str], None]) -> dict[str, float]:
    """Write ``size``'s record through the services; seconds per kind."""
    from accord.channels import services as channels
    from accord.divergences import services as divergences
    from accord.drafting import services as drafting
    from accord.events.models import Event
    from accord.meetings import services as meetings
    from accord.notes import services as notes

    users = _users()
    took: dict[str, float] = {}

    def timed(name: str, count: int, write: Callable[[], None]) -> None:
        start = time.perf_counter()
        write()
        took[name] = time.perf_counter() - start
        out(f"  {name:<28} {count:>7,} in {took[name]:>7.1f} s")

    def write_notes() -> None:
        writers = [users["us-expert"], users["ir-expert"], users["us-head"], users["ir-head"]]
        bodies = ["WG-NUC", "WG-VER", "HLC"]
        for i in range(size.notes):
            notes.note_write(
                actor=writers[i % len(writers)],
                text=f"Note {i}: follow up the figures on item {i % 97}.",
                body_code=bodies[i % len(bodies)],
            )

    def write_messages() -> None:
        sender, reader = users["us-duty"], users["ir-duty"]
        batch: list[str] = []
        for i in range(size.messages):
            message, _ = channels.message_send(
                actor=sender,
                channel="DCC",
                text=f"Routine report {i}: nothing to note on the line of contact.",
                precedence="ROUTINE",
                client_id=f"year-{i}",
            )
            batch.append(str(message.public_id))
            if len(batch) == 50 or i == size.messages - 1:
                for state in ("delivered", "read"):
                    channels.receipts_record(
                        actor=reader, channel="DCC", message_ids=batch, state=state
                    )
                batch = []

    def write_documents() -> None:
        rapporteur = users["pk-rapporteur"]
        expert = users["us-expert"]
        proposals_each = max(1, size.proposals // size.documents)
        for d in range(size.documents):
            document = drafting.document_create(
                actor=rapporteur, body_code="WG-NUC", title=f"Working paper {d}"
            )
            provision = drafting.provision_add(
                actor=rapporteur,
                document_id=document.public_id,
                kind="article",
                heading=f"Article {d}",
                text="The Parties shall [cooperate] [consult] in good faith.",
            )
            for r in range(size.revisions):
                drafting.provision_edit(
                    actor=rapporteur,
                    provision_id=provision.wid,
                    text=f"The Parties shall [cooperate] [consult] in good faith ({r + 1}).",
                )
                drafting.revision_issue(
                    actor=rapporteur, document_id=document.public_id, note=f"Rev. {r + 1}"
                )
            for p in range(proposals_each):
                drafting.proposal_submit(
                    actor=expert,
                    document_id=document.public_id,
                    kind="replace",
                    provision_id=provision.wid,
                    text=f"The Parties shall cooperate fully ({p}).",
                    justification="Clearer.",
                )

    def write_sessions() -> None:
        chair = users["pk-chair"]
        first = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
        for s in range(size.sessions):
            starts = first + dt.timedelta(days=s)
            meetings.session_schedule(
                actor=chair,
                title=f"WG-NUC sitting {s}",
                venue="Lucerne",
                venue_timezone="Europe/Zurich",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                body="WG-NUC",
            )

    def write_divergences() -> None:
        chair, us, ir = users["pk-chair"], users["us-head"], users["ir-head"]
        for i in range(size.divergences):
            row = divergences.divergence_open(
                actor=chair, body_code="WG-NUC", title=f"Point of divergence {i}"
            )
            for head in (us, ir):
                divergences.position_set(
                    actor=head,
                    divergence_id=row.public_id,
                    text=f"Our position on point {i}.",
                    shared=True,
                )

    before = Event.objects.count()
    start = time.perf_counter()
    timed("internal notes", size.notes, write_notes)
    timed("hotline messages + receipts", size.messages, write_messages)
    timed(
        "documents, revisions, proposals",
        size.documents * (1 + size.revisions) + size.proposals,
        write_documents,
    )
    timed("sessions", size.sessions, write_sessions)
    timed("divergences + positions", size.divergences, write_divergences)
    total = time.perf_counter() - start
    events = Event.objects.count() - before
    out(f"  seeded {events:,} events in {total:.1f} s ({events / max(total, 1e-9):,.0f} a second)")
    took["total"] = total
    return took


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
    results: dict[tuple[str, str], tuple[int, float, int]] = {}
    for role, username in roles.items():
        client = Client()
        client.force_login(users[username])
        out(f"\n{role} ({username}): p95 ms, KB, x the home page")
        home = measure(client, "/", size.repeats)[1]
        for url in PAGES + API_LISTS:
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
            out(
                f"  {url:<30} {p95:>8.1f} ms {length / 1024:>8.1f} KB "
                f"{p95 / max(home, 1e-9):>6.1f}x  {' '.join(flags)}"
            )
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


def run(size: Year, *, out: Callable[[str], None] = print) -> dict:
    demo_setup(out)
    out(f"seeding a year at {size}:")
    took = seed(size, out)
    results = crawl(size, out)
    return {"seed": took, "crawl": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run (CI)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of a year")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--table", action="store_true", help="the issue's table (notes only)")
    args = parser.parse_args(argv)
    data_dir = os.environ.get("ACCORD_DATA_DIR")
    if args.smoke and not data_dir:
        data_dir = tempfile.mkdtemp(prefix="accord-year-")
    setup_django(data_dir)
    if args.table:
        demo_setup(print)
        table(print)
        return 0
    size = SMOKE if args.smoke else Year().scaled(args.scale)
    if args.repeats:
        size = Year(**{**size.__dict__, "repeats": args.repeats})
    results = run(size)
    failed = [key for key, (status, _, _) in results["crawl"].items() if status >= 500]
    if failed:
        print(f"\n{len(failed)} answers were server errors: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
