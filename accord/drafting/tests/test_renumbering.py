"""Renumbering gives every provision the number of its place, and every heading kind
keeps its word: a chapter stays a chapter, an annex an annex, a section a section."""

import pytest

from accord.drafting import numbering, selectors, services
from accord.drafting.reading import parse_text


@pytest.mark.parametrize(
    ("nodes", "kept"),
    [
        ([("part", "Chapter III"), ("part", "Chapter IIIbis")], ["Chapter I", "Chapter II"]),
        ([("part", "Chapter II"), ("part", "Part IV")], ["Chapter I", "Part I"]),
        ([("part", "Chapter 5"), ("part", "Chapter 9")], ["Chapter 1", "Chapter 2"]),
        ([("part", "Annex B"), ("part", "Annex C")], ["Annex A", "Annex B"]),
        ([("part", "Annex")], ["Annex"]),
        ([("heading", "Section 4"), ("heading", "Option II")], ["Section 1", "Option II"]),
        ([("article", "Article 2bis"), ("subparagraph", "(g)")], ["", ""]),
    ],
)
def test_renumbering_keeps_the_word_of_each_heading_kind_in_its_own_sequence(nodes, kept):
    given = [numbering.Node(str(i), None, kind, written) for i, (kind, written) in enumerate(nodes)]
    assert list(numbering.renumbered_written(given).values()) == kept


def test_renumbering_an_imported_text_writes_chapter_for_a_chapter(cast, islamabad):
    # Given a text with chapters, an annex, sections and an inserted article
    source = (
        "Chapter II — General\n"
        "Section 3 — Scope\n"
        "Article 1\n1. A.\n"
        "Article 1bis\n1. B.\n"
        "Chapter IV — Final\n"
        "Article 2\n1. C.\n"
        "Annex B — Schedule\n"
    )
    document = services.document_import(
        actor=cast["qa-chair"], body_code="WG-SAN", title="T", report=parse_text(source)
    )
    # When the pen-holder renumbers
    services.document_renumber(actor=cast["qa-chair"], document_id=str(document.public_id))
    # Then each keeps its word, with the number of its place
    labels = [
        p["label"]
        for p in selectors.document_snapshot(document)["provisions"]
        if p["kind"] in ("part", "heading", "article")
    ]
    assert labels == [
        "Chapter I",
        "Section 1",
        "Article 1",
        "Article 2",
        "Chapter II",
        "Article 3",
        "Annex A",
    ]
