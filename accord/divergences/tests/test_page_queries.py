"""The register, its board and a body's page cost the same queries for 5 points or 50."""

from django.db import transaction
from django.test import Client

from accord.accounts.access import SHARED
from accord.divergences import services
from accord.events.services import event_append
from accord.testing.queries import link_to, query_counts


def _open(chair, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        services.divergence_open(actor=chair, body_code="WG-NUC", title=f"Point {i:03}")


def test_the_register_board_and_body_page_cost_the_same_queries_for_5_points_or_50(cast):
    # Given five points of divergence, and a delegate reading
    _open(cast["pk-chair"], 5)
    client = Client()
    client.force_login(cast["us-expert"])
    urls = (
        "/divergences/",
        "/api/divergences/",
        "/api/divergences/board",
        "/bodies/WG-NUC/",
        "/api/bodies",
    )
    # When 45 more are opened
    counts = query_counts(client, urls, lambda: _open(cast["pk-chair"], 45, start=5))
    # Then each page and list costs what it did
    for url, (before, after) in counts.items():
        assert before == after, url


def test_the_register_api_is_read_fifty_at_a_time_oldest_first(cast):
    _open(cast["pk-chair"], 52)
    client = Client()
    client.force_login(cast["us-expert"])
    first = client.get("/api/divergences/")
    second = client.get(link_to(first, "next"))
    assert (first.status_code, second.status_code) == (200, 200)
    titles = [row["title"] for row in first.json() + second.json()]
    assert titles == [f"Point {i:03}" for i in range(52)]
    assert link_to(second, "next") is None


def _body_events(count: int, islamabad) -> None:
    """``count`` shared events about the nuclear group (what its timeline shows)."""
    with transaction.atomic():
        for i in range(count):
            event_append(
                kind="MilestoneMet",
                subject="body:WG-NUC",
                scope=SHARED,
                payload={"n": i},
                process=islamabad,
            )


def test_a_body_timeline_shows_fifty_events_and_goes_back_with_show_earlier(cast, islamabad):
    # Given 60 events about the nuclear group
    _body_events(60, islamabad)
    client = Client()
    client.force_login(cast["us-expert"])
    # When the body page is opened, then "show earlier" followed
    latest = client.get("/bodies/WG-NUC/")
    earlier = client.get("/bodies/WG-NUC/", {"earlier": latest.context["timeline_earlier"]})
    # Then the page holds the newest fifty and the link brings the ones before, no more
    assert latest.status_code == 200
    assert len(latest.context["timeline"]) == 50
    assert "data-timeline-earlier" in latest.text
    assert earlier.status_code == 200
    newest = [e.seq for e in latest.context["timeline"]]
    before = [e.seq for e in earlier.context["timeline"]]
    assert before and max(before) < min(newest)
    assert client.get("/bodies/WG-NUC/", {"earlier": "forged"}).status_code == 400
