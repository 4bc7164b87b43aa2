"""Every meetings list page and API list costs the same queries for 5 items or 50
(issue 18), and rounds, upcoming sessions and caucuses are read a page at a time."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from accord.meetings import services
from accord.meetings.tests.conftest import GENEVA
from accord.testing.queries import queries_of


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Record:
    """A round, a held WG-NUC sitting whose minutes carry the action items, a caucus with
    the US, and ``grow(n)`` adding n of each list's items."""

    def __init__(self, cast):
        self.cast = cast
        self.chair = cast["pk-chair"]
        self.rapporteur = cast["pk-rapporteur"]
        self.today = timezone.now().date()
        self.round = self.new_round(0)
        self.held = self.session("Held sitting", days=-3)
        services.minutes_draft(actor=self.rapporteur, session_id=self.held.pk, text="Met.")
        self.caucus = services.session_schedule(
            actor=self.chair,
            caucus_party="US",
            title="Caucus with the US",
            venue="Villa, Geneva",
            venue_timezone=GENEVA,
            starts_at=self.when(days=2),
            ends_at=self.when(days=2, hours=1),
        )
        self.count = 0

    def when(self, *, days: int, hours: int = 0) -> dt.datetime:
        start = dt.datetime.combine(self.today + dt.timedelta(days=days), dt.time(9))
        return start.replace(tzinfo=dt.UTC) + dt.timedelta(hours=hours)

    def new_round(self, n: int):
        return services.round_create(
            actor=self.chair,
            title=f"Round {n}",
            venue="Geneva",
            venue_timezone=GENEVA,
            starts_on=self.today + dt.timedelta(days=n),
            ends_on=self.today + dt.timedelta(days=n + 1),
        )

    def session(self, title: str, *, days: int, **kw):
        return services.session_schedule(
            actor=self.chair,
            body="WG-NUC",
            title=title,
            venue="Palais des Nations, Geneva",
            venue_timezone=GENEVA,
            starts_at=self.when(days=days),
            ends_at=self.when(days=days, hours=2),
            **kw,
        )

    def grow(self, n: int) -> None:
        for _ in range(n):
            self.count += 1
            i = self.count
            self.new_round(i)
            upcoming = self.session(f"Upcoming sitting {i:02d}", days=i, round_id=self.round.pk)
            services.agenda_item_add(actor=self.chair, session_id=upcoming.pk, title=f"Item {i}")
            self.session(f"Past sitting {i:02d}", days=-10 - i)
            services.action_item_record(
                actor=self.rapporteur,
                session_id=self.held.pk,
                text=f"Action {i}",
                owner="us-head",
                due_on=self.today + dt.timedelta(days=i),
            )
            services.caucus_note_write(
                actor=self.chair, session_id=self.caucus.pk, text=f"Caucus note {i}"
            )
            services.session_schedule(
                actor=self.chair,
                caucus_party="US" if i % 2 else "IR",
                title=f"Caucus {i:02d}",
                venue="Villa, Geneva",
                venue_timezone=GENEVA,
                starts_at=self.when(days=i + 3),
                ends_at=self.when(days=i + 3, hours=1),
            )


def _counted(client: Client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url)  # warm per-process caches
        status, counts[url] = queries_of(client, url)
        assert status == 200, url
    return counts


def test_every_meetings_list_costs_the_same_queries_for_5_items_or_50(cast):
    # Given five of everything that lists, read by a facilitator and the US head
    record = Record(cast)
    record.grow(5)
    held, caucus, the_round = record.held.pk, record.caucus.pk, record.round.pk
    urls = [
        "/meetings/",
        "/meetings/caucuses/",
        "/meetings/action-items/",
        "/meetings/action-items/?mine=1",
        f"/meetings/rounds/{the_round}/",
        f"/meetings/sessions/{held}/",
        f"/meetings/sessions/{caucus}/",
        "/meetings/calendar/",
        "/api/meetings/rounds",
        "/api/meetings/sessions",
        "/api/meetings/action-items",
        "/api/meetings/queued?body=WG-NUC",
        f"/api/meetings/sessions/{held}",
        f"/api/meetings/sessions/{held}/minutes",
        f"/api/meetings/sessions/{caucus}/notes",
    ]
    clients = {name: _client(cast[name]) for name in ("pk-chair", "us-head")}
    before = {name: _counted(client, urls) for name, client in clients.items()}
    # When 45 more of each are written
    record.grow(45)
    # Then every page and list costs what it did, for each
    after = {name: _counted(client, urls) for name, client in clients.items()}
    grown = {
        (name, url): (count, after[name][url])
        for name, counts in before.items()
        for url, count in counts.items()
        if after[name][url] != count
    }
    assert grown == {}


def _next(html: str, param: str) -> str:
    return html.split(f'href="?{param}=')[1].split('"')[0].split("#")[0]


def test_rounds_upcoming_sessions_and_caucuses_show_the_rest_on_their_second_pages(cast):
    # Given 14 rounds (12 a page), 51 sessions to come and 51 caucuses (50 a page)
    record = Record(cast)
    for n in range(1, 14):
        record.new_round(n)
    for i in range(51):
        record.session(f"Sitting to come {i:02d}", days=i + 1)
        services.session_schedule(
            actor=record.chair,
            caucus_party="US",
            title=f"Caucus number {i:02d}",
            venue="Villa, Geneva",
            venue_timezone=GENEVA,
            starts_at=record.when(days=-i - 1),
            ends_at=record.when(days=-i - 1, hours=1),
        )
    chair = _client(cast["pk-chair"])
    index = chair.get("/meetings/")
    caucuses = chair.get("/meetings/caucuses/")
    assert (index.status_code, caucuses.status_code) == (200, 200)
    # Then the first pages show the newest rounds, the soonest sessions, the latest caucuses
    rounds = [n for n in range(14) if f"<h3>Round {n}</h3>" in index.text]
    assert rounds == list(range(2, 14))
    # (the caucus with the US, in two days, is one of the 50 sessions to come)
    soon = [i for i in range(51) if f"Sitting to come {i:02d}" in index.text]
    assert soon == list(range(49))
    assert "Later →" in index.text
    # (the caucus with the US, to come, is the latest of all)
    latest = [i for i in range(51) if f"Caucus number {i:02d}" in caucuses.text]
    assert latest == list(range(49))
    # When a session is scheduled meanwhile and the chair follows each list's next link
    record.session("Scheduled meanwhile", days=100)
    more_rounds = chair.get("/meetings/?rounds=" + _next(index.text, "rounds"))
    later = chair.get("/meetings/?upcoming=" + _next(index.text, "upcoming"))
    older = chair.get("/meetings/caucuses/?cursor=" + _next(caucuses.text, "cursor"))
    # Then each second page shows what the first did not, none twice
    assert (more_rounds.status_code, later.status_code, older.status_code) == (200, 200, 200)
    assert [n for n in range(14) if f"<h3>Round {n}</h3>" in more_rounds.text] == [0, 1]
    assert [i for i in range(51) if f"Sitting to come {i:02d}" in later.text] == [49, 50]
    assert "Scheduled meanwhile" in later.text  # after the last one on the first page
    assert [i for i in range(51) if f"Caucus number {i:02d}" in older.text] == [49, 50]
    assert "← Sooner" in later.text and "← Newer" in older.text
