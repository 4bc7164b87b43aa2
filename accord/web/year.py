"""A year of talks, written through the services (issue 18): what ``accord demo --scale
year`` and ``bench/year_bench.py`` seed on top of the demo.

At full size (``Year()``), for the default charter, about 200,000 events:

- 20,000 internal notes (both delegations, on the working groups);
- 50,000 hotline messages on the DCC, each with its delivery and read receipts;
- 50 documents with 30 revisions each, and 2,000 proposals;
- 300 held sessions of WG-NUC, each with minutes drafted, circulated and approved by
  every party, carrying the 5,000 action items between them (a third of them done),
  and 30 sessions to come;
- 500 divergences, each with both parties' positions.

Every write goes through its service (each with its event, as in real use), so the
record is one a year of use would leave. The seed adds to what is there: run it once on
a fresh demo database.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils import timezone


@dataclass(frozen=True)
class Year:
    notes: int = 20_000
    messages: int = 50_000
    documents: int = 50
    revisions: int = 30  # per document
    proposals: int = 2_000
    sessions: int = 300  # held, each with approved minutes
    upcoming: int = 30  # sessions still to come
    action_items: int = 5_000  # spread over the held sessions' minutes
    divergences: int = 500
    repeats: int = 5  # how often the crawl fetches each page

    def scaled(self, factor: float) -> Year:
        def size(n: int) -> int:
            return max(1, math.ceil(n * factor))

        return replace(
            self,
            **{
                name: size(getattr(self, name))
                for name in (
                    "notes",
                    "messages",
                    "documents",
                    "revisions",
                    "proposals",
                    "sessions",
                    "upcoming",
                    "action_items",
                    "divergences",
                )
            },
        )


SMOKE = Year(
    notes=6,
    messages=6,
    documents=1,
    revisions=2,
    proposals=2,
    sessions=2,
    upcoming=2,
    action_items=5,
    divergences=2,
    repeats=1,
)


def _users() -> dict:
    from accord.accounts.models import User

    return {u.username: u for u in User.objects.select_related("delegation")}


def seed(size: Year, out: Callable[[str], None] = print) -> dict[str, float]:
    """Write ``size``'s record through the services; seconds per kind (and ``total``)."""
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
        out(f"  {name:<32} {count:>7,} in {took[name]:>7.1f} s")

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

    def schedule(title: str, starts: dt.datetime):
        return meetings.session_schedule(
            actor=users["pk-chair"],
            title=title,
            venue="Lucerne",
            venue_timezone="Europe/Zurich",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            body="WG-NUC",
        )

    def write_sessions() -> None:
        # The held sessions end before today, a day apart; those to come start tomorrow.
        today = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
        first = today - dt.timedelta(days=size.sessions + 1)
        rapporteur = users["pk-rapporteur"]
        heads = [users["us-head"], users["ir-head"]]
        owners = [users["us-expert"], users["ir-expert"], users["us-head"], users["ir-head"]]
        recorded = 0
        for s in range(size.sessions):
            starts = first + dt.timedelta(days=s)
            session = schedule(f"WG-NUC sitting {s}", starts)
            meetings.minutes_draft(
                actor=rapporteur,
                session_id=session.pk,
                text=f"The working group met for its sitting {s} and reviewed the figures.",
            )
            meetings.decision_record(
                actor=rapporteur,
                session_id=session.pk,
                text=f"The working group takes note of the figures of sitting {s}.",
            )
            items = []
            for n in range(size.action_items * (s + 1) // size.sessions - recorded):
                owner = owners[(recorded + n) % len(owners)]
                items.append(
                    (
                        owner,
                        meetings.action_item_record(
                            actor=rapporteur,
                            session_id=session.pk,
                            text=f"Send the figures of item {recorded + n} to the group",
                            owner=owner.username,
                            due_on=(starts + dt.timedelta(days=14)).date(),
                        ),
                    )
                )
            recorded += len(items)
            meetings.minutes_circulate(actor=rapporteur, session_id=session.pk)
            for head in heads:
                meetings.minutes_approve(actor=head, session_id=session.pk)
            for owner, item in items[::3]:
                meetings.action_item_complete(actor=owner, action_id=item.pk)
        for u in range(size.upcoming):
            schedule(f"WG-NUC sitting to come {u}", today + dt.timedelta(days=u + 1))

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
    timed(
        "sessions, minutes, action items",
        size.sessions + size.upcoming + size.action_items,
        write_sessions,
    )
    timed("divergences + positions", size.divergences, write_divergences)
    total = time.perf_counter() - start
    events = Event.objects.count() - before
    out(f"  seeded {events:,} events in {total:.1f} s ({events / max(total, 1e-9):,.0f} a second)")
    took["total"] = total
    took["events"] = events
    return took
