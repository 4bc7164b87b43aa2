"""The shared leak check finds each kind of leak it names, and passes a clean body."""

import uuid
from types import SimpleNamespace

from accord.testing.need_to_know import leaks_of


def test_a_clean_body_gives_nothing_away():
    body = {"items": [{"id": str(uuid.uuid4()), "title": "Draft"}], "next": None}
    assert leaks_of(body, shown=1) == []


def test_an_integer_key_is_a_leak_and_a_declared_number_is_not():
    assert leaks_of({"items": [{"id": 2}]}) == ["$.items[0].id is an integer key (2)"]
    assert (
        leaks_of({"items": [{"number": 2, "revision_id": 4}]}, allowed_integer_keys=["revision_id"])
        == []
    )


def test_a_hidden_rows_public_id_is_a_leak():
    hidden = SimpleNamespace(public_id=uuid.uuid4(), pk=7)
    problems = leaks_of(f"<a href='/x/{hidden.public_id}/'>", hidden=[hidden])
    assert len(problems) == 1 and str(hidden.public_id) in problems[0]


def test_a_total_above_what_was_shown_is_a_leak():
    assert leaks_of({"count": 3, "items": []}, shown=2) == [
        "$.count counts 3, more than the 2 shown"
    ]
    assert leaks_of({"count": 2, "items": []}, shown=2) == []


def test_a_numeric_link_and_an_integer_subject_are_leaks():
    assert leaks_of('<a href="/drafting/documents/2/">Doc</a>')
    assert leaks_of('<span class="chip">document:2</span>')
    assert leaks_of({"subject": "document:2"})
    assert leaks_of({"subject": "body:WG-NUC"}) == []
