"""Import and export: plain text, .docx, Akoma Ntoso, PDF; import(export(x)) == x."""

import re

import pytest
from lxml import etree

from accord.drafting import brackets, exports, selectors, services
from accord.drafting.models import Provision
from accord.drafting.textformat import parse_text, render_text

SAMPLE = """Title: Annex II — Sanctions

PP1 Recalling the Islamabad Memorandum of Understanding,
PP2 Determined to [act]{US}[cooperate]{IR},
Part I — General
Article 1 — Scope
    The following applies "as if [quoted]" in full.
1. Relief shall be [staged]{US} / [immediate]{IR}.
(a) first \\[sic\\] item;
(b) second item
    spanning two lines [with [nested] brackets].
2. [Option 1: The Parties shall meet.]{US,IR} [Option 2: The Parties may meet.]{IR}
Article 2 — Review
1. Reviews every [90]{US}[180]{IR} days.
Paragraph 3. A top-level paragraph after the articles.
"""


def _shape(items):
    return [(i.kind, i.heading, i.text, i.parent) for i in items]


def test_plain_text_is_understood_with_its_tree_and_bracket_counts():
    report = parse_text(SAMPLE, parties=["US", "IR"])
    assert report.ok, report.errors
    assert report.title == "Annex II — Sanctions"
    kinds = [(i.kind, i.parent) for i in report.provisions]
    assert kinds == [
        ("preamble", None),
        ("preamble", None),
        ("part", None),
        ("article", 2),
        ("paragraph", 3),
        ("subparagraph", 4),
        ("subparagraph", 4),
        ("paragraph", 3),
        ("article", 2),
        ("paragraph", 8),
        ("paragraph", None),
    ]
    assert report.provisions[6].text == (
        "second item\nspanning two lines [with [nested] brackets]."
    )
    assert "2 sub-paragraphs" in report.understood
    assert {"2 bracketed spans", "4 option sets"} <= set(report.understood)


def test_a_bracket_across_provisions_is_a_range_and_unknown_sponsors_are_errors():
    report = parse_text(
        "Article 1\n1. Up to [5 per cent\n2. Fine.\n(a) ok]\n3. [x]{ZZ}\n", parties=["US", "IR"]
    )
    assert report.errors == ["Line 5: options are sponsored by parties (IR, US); not by ZZ."]
    assert report.ranges == [(1, 3)]
    assert str(report.warnings[0]).startswith(
        "Line 2 (Article 1.1): a bracket opened here closes in Article 1.2(a) (line 4)"
    )


def test_a_line_before_any_provision_is_the_title_and_nothing_at_all_is_an_error():
    report = parse_text("just words\n1. Text.\n")
    assert report.ok and report.title == "just words"
    assert parse_text("just words\n").errors[0].startswith("No provision was found")


def _import(cast, islamabad, report, title="Imported"):
    from accord.process.models import Body

    body = Body.objects.get(process=islamabad, code="WG-SAN")
    return services.document_import(
        actor=cast["qa-chair"], body_code=body.code, title=title, report=report
    )


def test_plain_text_round_trips_through_a_document(cast, islamabad):
    document = _import(cast, islamabad, parse_text(SAMPLE, parties=["US", "IR"]))
    snapshot = selectors.document_snapshot(document)
    exported = render_text(snapshot)
    again = parse_text(exported, parties=["US", "IR"])
    assert _shape(again.provisions) == _shape(parse_text(SAMPLE).provisions)
    assert render_text(selectors.document_snapshot(_import(cast, islamabad, again))) == exported
    labels = list(Provision.objects.filter(document=document).values_list("label", flat=True))
    assert "Article 1.1(b)" in labels and "Paragraph 3" in labels  # kept as written


def _meaning(text):
    """What a reader of ``text`` sees: the wording with its brackets, without option labels
    (the .docx writes out the labels the page shows), and the sponsors of each group."""
    if not text:
        return text, []
    plain = re.sub(r"Option \d+:\s*", "", brackets.plain(text))
    sponsors = [[o.sponsors for o in g.options] for g in brackets.groups(brackets.parse(text))]
    return plain, sponsors


def test_docx_round_trips_and_keeps_brackets_sponsors_and_the_status_table(cast, islamabad):
    document = _import(cast, islamabad, parse_text(SAMPLE, parties=["US", "IR"]))
    snapshot = selectors.document_snapshot(document)
    data = exports.docx_export(
        snapshot, colours={"US": "#1f4e9c", "IR": "#1b7a3a"}, revision="Rev.1"
    )
    report = exports.docx_import(data, parties=["US", "IR"])
    assert report.ok, report.errors
    assert report.title == "Imported"
    again = [(i.kind, i.heading, _meaning(i.text), i.parent) for i in report.provisions]
    expected = [
        (i.kind, i.heading, _meaning(i.text), i.parent) for i in parse_text(SAMPLE).provisions
    ]
    assert again == expected

    import io

    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    status_table = doc.tables[-1]
    assert [c.text for c in status_table.rows[0].cells] == [
        "Provision",
        "Status",
        "Brackets",
        "Positions",
    ]
    coloured = [r for p in doc.paragraphs for r in p.runs if r.font.color.rgb is not None]
    assert any(r.text == "staged" and str(r.font.color.rgb) == "1F4E9C" for r in coloured)


def test_the_docx_reads_like_the_page_with_labelled_options_and_the_revision(cast, islamabad):
    # Given a text with an option set "[90]{US}[180]{IR}"
    document = _import(cast, islamabad, parse_text(SAMPLE, parties=["US", "IR"]))
    snapshot = selectors.document_snapshot(document)
    # When it is exported as Rev.2 of 1 Dec 2026 with a note
    data = exports.docx_export(
        snapshot,
        colours={"US": "#1f4e9c", "IR": "#1b7a3a"},
        revision="Rev.2",
        issued="1 Dec 2026",
        note="After the second round",
        names={"US": "United States", "IR": "Iran"},
    )
    import io

    from docx import Document as Docx

    doc = Docx(io.BytesIO(data))
    shown = ["".join(r.text for r in p.runs if not r.font.hidden) for p in doc.paragraphs]
    line = next(t for t in shown if "Reviews every" in t)
    # Then Word shows the options labelled with their sponsors, and no sponsor markup
    assert line.endswith("Reviews every [Option 1: 90]US / [Option 2: 180]IR days.")
    assert not any("{US}" in t or "{IR}" in t for t in shown)
    sponsor = next(r for p in doc.paragraphs for r in p.runs if r.text == "IR")
    assert sponsor.font.superscript and str(sponsor.font.color.rgb) == "1B7A3A"
    # And the revision and its date are in the header and the footer, the note and a
    # legend at the top
    section = doc.sections[0]
    assert "Rev.2 · 1 Dec 2026" in section.header.paragraphs[0].text
    assert section.footer.paragraphs[0].text == "Rev.2 · 1 Dec 2026"
    cells = [c.text for t in doc.tables[:2] for row in t.rows for c in row.cells]
    assert "After the second round" in cells
    assert "Wording sponsored by Iran, in its colour." in cells
    assert "Bracketed: wording not yet agreed." in cells


def test_a_file_that_is_not_a_docx_is_a_clear_error():
    report = exports.docx_import(b"not a zip")
    assert report.errors == ["This is not a readable .docx file (PackageNotFoundError)."] or (
        report.errors and "not a readable .docx" in report.errors[0]
    )


def test_akoma_ntoso_has_ids_alternatives_and_sponsors(cast, islamabad):
    document = _import(cast, islamabad, parse_text(SAMPLE, parties=["US", "IR"]))
    xml = exports.akn_export(
        selectors.document_snapshot(document), delegations={"US": "United States"}
    )
    root = etree.fromstring(xml)
    ns = {"a": exports.AKN_NS}
    article = root.find(".//a:article[@eId='art_1']", ns)
    assert article is not None and article.get("wId")
    assert root.find(".//a:paragraph[@eId='art_1__para_1']", ns) is not None
    options = root.findall(
        ".//a:paragraph[@eId='art_1__para_1']/a:intro//a:inline[@name='option']", ns
    )
    assert [o.get("refersTo") for o in options] == ["#US", "#IR"]
    assert root.find(".//a:TLCOrganization[@eId='US']", ns).get("showAs") == "United States"


@pytest.mark.parametrize("bad", ["", "(a) A sub-paragraph with nothing above it.\n"])
def test_importing_a_bad_text_writes_nothing(cast, islamabad, bad):
    from accord.drafting.models import Document
    from accord.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        _import(cast, islamabad, parse_text(bad))
    assert not Document.objects.exists()
