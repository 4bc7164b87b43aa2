"""Notes a page at a time: cursors stable under inserts, bounded panels, fixed query counts."""

import pytest
from django.test import Client

from accord import pagination
from accord.notes import services
from accord.testing.queries import link_to, query_counts


def _write(actor, count: int, *, body: str = "WG-NUC", start: int = 0) -> None:
    for i in range(start, start + count):
        services.note_write(actor=actor, text=f"Note {i:03}", body_code=body)


def _texts(response) -> list[str]:
    return [note["text"] for note in response.json()]


@pytest.fixture
def expert(cast) -> Client:
    client = Client()
    client.force_login(cast["us-expert"])
    return client


def test_the_api_pages_notes_by_cursor_and_a_note_written_meanwhile_shifts_nothing(cast, expert):
    # Given seven notes
    _write(cast["us-expert"], 7)
    # When the first page of three is read, two notes are written, then the next pages
    first = expert.get("/api/notes/", {"limit": 3})
    _write(cast["us-expert"], 2, start=100)
    second = expert.get(link_to(first, "next"))
    third = expert.get(link_to(second, "next"))
    # Then each page goes on exactly where the one before stopped, newest first
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 200)
    assert _texts(first) == ["Note 006", "Note 005", "Note 004"]
    assert _texts(second) == ["Note 003", "Note 002", "Note 001"]
    assert _texts(third) == ["Note 000"]
    assert link_to(first, "next") and link_to(first, "prev") is None
    assert link_to(third, "next") is None and link_to(third, "prev")
    # And going back from the last page gives the page before it again
    back = expert.get(link_to(third, "prev"))
    assert back.status_code == 200
    assert _texts(back) == ["Note 003", "Note 002", "Note 001"]


def test_the_api_lists_fifty_notes_by_default(cast, expert):
    _write(cast["us-expert"], 52)
    response = expert.get("/api/notes/")
    assert response.status_code == 200
    assert len(response.json()) == pagination.DEFAULT_LIMIT
    assert 'rel="next"' in response["Link"]


@pytest.mark.parametrize("limit", ["0", "501", "-3"])
def test_a_limit_outside_one_to_five_hundred_is_refused_in_words(expert, limit):
    response = expert.get("/api/notes/", {"limit": limit})
    assert response.status_code == 422
    assert response.json()["code"] == pagination.LIMIT_INVALID.code
    assert "500" in response.json()["detail"]


@pytest.mark.parametrize(
    "cursor",
    [
        "forged",
        pagination.cursor_encode(list_name="documents", direction="older", key=["x", "y"]),
        pagination.cursor_encode(list_name="notes", direction="older", key=["x"]),
    ],
)
def test_a_forged_or_foreign_cursor_is_refused_on_the_api_and_the_page(expert, cursor):
    response = expert.get("/api/notes/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == pagination.CURSOR_INVALID.code
    page = expert.get("/notes/", {"cursor": cursor})
    assert page.status_code == 400


def test_the_notes_page_shows_fifty_notes_and_links_to_older_ones(cast, expert):
    # Given 53 notes
    _write(cast["us-expert"], 53)
    # When the notes page is opened, then its older link followed
    first = expert.get("/notes/")
    page = first.context["page"]
    older = expert.get("/notes/", {"cursor": page.older})
    # Then the first page holds the newest fifty and says where the rest are
    assert first.status_code == 200
    assert first.text.count('class="note"') == 50
    assert "Note 052" in first.text and "Note 002" not in first.text
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert older.status_code == 200
    assert older.text.count('class="note"') == 3
    assert "Note 002" in older.text and 'rel="prev"' in older.text


def test_a_bodys_notes_panel_shows_the_latest_and_links_to_the_rest(cast, expert):
    _write(cast["us-expert"], 25)
    response = expert.get("/bodies/WG-NUC/")
    assert response.status_code == 200
    panel = response.text.split('id="notes-panel"')[1]
    assert panel.count('class="note"') == 20
    assert "/notes/?body=WG-NUC" in panel
    listed = expert.get("/notes/", {"body": "WG-NUC"})
    assert listed.status_code == 200
    assert listed.text.count('class="note"') == 25


def test_the_notes_page_and_api_cost_the_same_queries_for_five_notes_and_fifty(cast, expert):
    # Given five notes, counted; when 45 more are written, counted again
    _write(cast["us-expert"], 5)
    urls = ("/notes/", "/notes/?body=WG-NUC", "/api/notes/", "/bodies/WG-NUC/")
    counts = query_counts(expert, urls, lambda: _write(cast["us-expert"], 45))
    # Then every page and list costs what it cost before
    for url, (before, after) in counts.items():
        assert before == after, url
