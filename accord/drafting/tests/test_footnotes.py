"""Footnotes ``{^…}`` are real footnotes wherever the text goes: numbered references and
notes at the foot on the page, Word footnotes in .docx, ``authorialNote`` in Akoma Ntoso,
page footnotes in the PDF; never brackets."""

import io
import zipfile

from django.test import Client
from django.urls import reverse
from lxml import etree

from accord.drafting import brackets, exports, selectors, services
from accord.drafting.reading import parse_text
from accord.drafting.tests.test_reading import _akn_schema
from accord.drafting.wordfile import read_docx

SOURCE = (
    "Title: Water\n"
    "Article 1 — Scope\n"
    "1. Parties{^See A/79/1, para. 3.} shall [cooperate]{^Proposed by two delegations.}.\n"
    "2. No note here, and [one] bracket.\n"
    "3. A last note{^On the \\[draft\\] text.}.\n"
)


def _document(cast):
    return services.document_import(
        actor=cast["qa-chair"], body_code="WG-SAN", title="", report=parse_text(SOURCE)
    )


def test_footnotes_are_never_counted_as_brackets():
    assert brackets.count("Parties{^14} shall [act]{^See \\[x\\].}.").total == 1
    assert brackets.footnote_texts("a{^One.} b{^Two \\[x\\].}") == ["One.", "Two [x]."]


def test_the_page_numbers_footnotes_through_the_text_and_sets_each_at_the_foot(cast, islamabad):
    document = _document(cast)
    client = Client()
    client.force_login(cast["qa-chair"])
    page = client.get(reverse("drafting:document", args=[document.public_id]))
    assert page.status_code == 200
    text = page.text
    assert "{^" not in text
    first = document.provisions.get(label="Article 1.1").wid
    last = document.provisions.get(label="Article 1.3").wid
    assert f'<a href="#fn-{first}-1" role="doc-noteref">1</a>' in text
    assert f'<a href="#fn-{first}-2" role="doc-noteref">2</a>' in text
    assert f'<li id="fn-{first}-1" value="1" role="doc-footnote">See A/79/1, para. 3.' in text
    # numbered through the page: the third provision's note is 3, with its brackets literal
    assert f'<li id="fn-{last}-3" value="3" role="doc-footnote">On the [draft] text.' in text
    assert f'href="#fnref-{last}-3"' in text
    provision = client.get(reverse("drafting:provision", args=[first]))
    assert provision.status_code == 200
    assert 'role="doc-footnote">Proposed by two delegations.' in provision.text


def test_a_word_handout_carries_real_footnotes_that_import_back(cast, islamabad):
    document = _document(cast)
    data = exports.docx_export(selectors.document_snapshot(document))
    package = zipfile.ZipFile(io.BytesIO(data))
    notes = package.read("word/footnotes.xml").decode()
    assert "See A/79/1, para. 3." in notes and "On the [draft] text." in notes
    body = package.read("word/document.xml").decode()
    assert body.count("<w:footnoteReference") == 3 and "{^" not in body
    assert "footnotes.xml" in package.read("word/_rels/document.xml.rels").decode()
    assert "footnotes+xml" in package.read("[Content_Types].xml").decode()
    back = read_docx(data)
    assert back.ok, back.errors
    texts = [p.text for p in back.provisions if p.kind == "paragraph"]
    assert (
        texts[0]
        == "Parties{^See A/79/1, para. 3.} shall [cooperate]{^Proposed by two delegations.}."
    )
    assert texts[2] == "A last note{^On the \\[draft\\] text.}."
    assert back.counts()["footnotes"] == 3


def test_akoma_ntoso_carries_numbered_authorial_notes_and_stays_valid(cast, islamabad):
    document = _document(cast)
    root = etree.fromstring(exports.akn_export(selectors.document_snapshot(document)))
    schema = _akn_schema()
    assert schema.validate(root), list(schema.error_log)[:5]
    ns = {"a": exports.AKN_NS}
    notes = root.findall(".//a:authorialNote", ns)
    assert [n.get("marker") for n in notes] == ["1", "2", "3"]
    assert notes[2].find("a:p", ns).text == "On the [draft] text."


def test_the_pdf_sets_footnotes_at_the_foot_of_the_page(cast, islamabad):
    document = _document(cast)
    client = Client()
    client.force_login(cast["qa-chair"])
    response = client.get(reverse("drafting:export", args=[document.public_id, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    from accord.drafting import export_views as views

    html = views._print_html(
        None,
        document,
        selectors.document_snapshot(document),
        {},
        {"label": "Rev.1", "issued": "", "note": "", "names": {}},
    )
    assert '<span class="fn">See A/79/1, para. 3.</span>' in html
    assert "float: footnote" in html and "{^" not in html


def test_the_command_line_exports_a_pdf_as_the_page_makes_it(cast, islamabad, tmp_path):
    from django.core.management import call_command

    document = _document(cast)
    services.revision_issue(actor=cast["qa-chair"], document_id=str(document.public_id))
    for rev in ([], ["--rev", "1"]):
        out = tmp_path / f"text{len(rev)}.pdf"
        call_command(
            "text",
            "export",
            str(document.public_id),
            "--format",
            "pdf",
            *rev,
            "--as",
            cast["qa-chair"].username,
            "-o",
            str(out),
        )
        assert out.read_bytes().startswith(b"%PDF")


ALTERNATIVES = (
    "Title: Relief\n"
    "Article 1 — Staging\n"
    "1. Relief shall be [staged]{US} / [immediate]{IR} and [reviewed].\n"
    "Option I: Relief in three tranches.\n"
    "Option II: No text\n"
    "Article 2 — Review\n"
    "1. A review [each year]{US,IR}.\n"
)


def test_akoma_ntoso_alternatives_point_to_the_first_option_and_name_their_sponsors(
    cast, islamabad
):
    document = services.document_import(
        actor=cast["qa-chair"], body_code="WG-SAN", title="", report=parse_text(ALTERNATIVES)
    )
    root = etree.fromstring(exports.akn_export(selectors.document_snapshot(document)))
    schema = _akn_schema()
    assert schema.validate(root), list(schema.error_log)[:5]
    ns = {"a": exports.AKN_NS}
    staged, immediate = root.findall(".//a:inline[@class='optionSet']/a:inline", ns)
    assert (staged.get("refersTo"), staged.get("alternativeTo")) == ("#US", None)
    assert (immediate.get("refersTo"), immediate.get("alternativeTo")) == ("#IR", staged.get("eId"))
    joint = root.findall(".//a:inline[@class='bracketedSpan']/a:inline", ns)[-1]
    assert joint.get("refersTo") == "#US #IR" and joint.get("alternativeTo") is None
    # every sponsor named is declared, even when the export is given no names
    declared = {o.get("eId") for o in root.findall(".//a:references/a:TLCOrganization", ns)}
    assert {"US", "IR"} <= declared
    first, second = root.xpath("//a:*[@class='alternative' or @name='alternative']", namespaces=ns)
    assert second.get("alternativeTo") == first.get("eId") and first.get("alternativeTo") is None
