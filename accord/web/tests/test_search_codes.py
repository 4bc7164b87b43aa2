"""Search finds things by the codes and labels people use ("D-1", "Article 4.2",
"NUC-2"), and still only what the searcher may see."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts import access
from accord.divergences import services as divergences
from accord.drafting.search import label_query
from accord.drafting.tests.conftest import by_label
from accord.search_base import numbered
from accord.testing.need_to_know import assert_learns_nothing_of_others
from accord.web.search import search

US_SECRET = "our fallback is five per cent"


def _page(user, query: str):
    client = Client()
    client.force_login(user)
    return client.get(reverse("web:search"), {"q": query})


@pytest.fixture
def d1(cast, islamabad):
    """D-1 in WG-NUC, with an internal US position the other party must never read."""
    row = divergences.divergence_open(
        actor=cast["pk-chair"], body_code="WG-NUC", title="Enrichment ceiling"
    )
    divergences.position_set(
        actor=cast["us-head"], divergence_id=row.public_id, text=US_SECRET, shared=False
    )
    return row


def test_codes_are_read_forgivingly():
    assert [numbered(q, "D") for q in ["D-1", "d1", "D 12", "D-", "ND-1", "D-1x"]] == [
        1, 1, 12, None, None, None,
    ]  # fmt: skip
    assert label_query("Article 4.2") == ("Article 4.2", "")
    assert label_query("art. 4.2 of the nuclear annex") == ("Article 4.2", "nuclear annex")
    assert label_query("pp3") == ("PP3", "")
    assert label_query("part ii") == ("Part II", "")
    assert label_query("enrichment") is None


def test_a_divergence_is_found_by_its_number(cast, d1):
    # Given D-1; when a participant searches "D-1"; then it is the first hit.
    page = _page(cast["ir-head"], "D-1")
    assert page.status_code == 200
    assert "D-1: Enrichment ceiling" in page.text
    assert reverse("divergences:detail", args=[d1.public_id]) in page.text


def test_searching_a_divergences_number_shows_no_internal_position_of_the_other_party(cast, d1):
    # Given D-1 with an internal US position; when Iran searches its number or the words.
    for query in ["D-1", "five per cent"]:
        page = _page(cast["ir-head"], query)
        # Then the position's words are nowhere, nor any hidden row.
        assert page.status_code == 200
        assert US_SECRET not in page.text
        assert_learns_nothing_of_others(page.content)
    # While the United States find their own position by its words.
    assert US_SECRET in _page(cast["us-head"], "five per cent").text


def test_a_provision_is_found_by_its_label_and_its_documents_title(cast, texts):
    annex = texts["annex"]
    provision = by_label(annex, "Article 1.1")
    reader = next(
        u
        for u in cast.values()
        if access.can_see(u, process_id=annex.process_id, scope=annex.scope)
    )
    # When someone who may read the annex searches its article by label.
    hits = search(actor=reader, query="Article 1.1")
    found = [h for h in hits if h.subject == f"provision:{provision.wid}"]
    assert found and found[0].title.startswith("Article 1.1 — ")
    # With words of the title, only that document's article.
    narrowed = search(actor=reader, query=f"Article 1.1 of {annex.title}")
    first = next(h for h in narrowed if h.kind == "provision")
    assert first.subject == f"provision:{provision.wid}"


def test_a_provision_label_finds_nothing_in_a_text_the_searcher_may_not_see(cast, texts):
    annex = texts["annex"]
    outsider = next(
        u
        for u in cast.values()
        if access.clearance(u).process_id == annex.process_id
        and not access.can_see(u, process_id=annex.process_id, scope=annex.scope)
    )
    hidden = list(annex.provisions.all())
    page = _page(outsider, "Article 1.1")
    assert page.status_code == 200
    assert annex.title not in page.text
    assert search(actor=outsider, query=f"Article 1.1 {annex.title}") == []
    assert_learns_nothing_of_others(page.content, hidden=[annex, *hidden])


def test_a_milestone_is_found_by_its_code(cast, islamabad):
    page = _page(cast["ir-head"], "NUC-2")
    assert page.status_code == 200
    assert "Nuclear matters: draft proposals" in page.text
    assert [h.subject for h in search(actor=cast["ir-head"], query="NUC-2")] == ["milestone:NUC-2"]


def test_a_body_is_found_by_its_code(cast, islamabad):
    hits = search(actor=cast["ir-head"], query="WG-NUC")
    assert "body:WG-NUC" in [h.subject for h in hits]
