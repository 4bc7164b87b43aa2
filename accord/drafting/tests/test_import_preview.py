"""The import preview shows each problem inside the text: the line marked, the stray
character marked, and the located sentence under it."""

from django.test import Client
from django.urls import reverse

from accord.drafting.import_views import source_rows
from accord.drafting.reading import parse_text

SOURCE = (
    "Article 1\n"
    "1. Parties shall [act] ] now.\n"
    "2. Fine.\n"
    "3. Also fine.\n"
    "4. Fine again.\n"
    "5. An [opening bracket never closed.\n"
)


def _marked(row):
    return [p["text"] for p in row["pieces"] if p["mark"]]


def test_each_stray_bracket_is_marked_in_its_line_with_its_sentence():
    rows = source_rows(parse_text(SOURCE))
    assert [(r["number"], r["problem"], r["gap"]) for r in rows] == [
        (1, False, False),
        (2, True, False),
        (3, False, False),
        (5, False, True),
        (6, True, False),
    ]
    stray = rows[1]
    assert _marked(stray) == ["]"]
    assert "".join(p["text"] for p in stray["pieces"]) == "1. Parties shall [act] ] now."
    before_mark = stray["pieces"][0]["text"]
    assert before_mark == "1. Parties shall [act] "  # the second bracket, not the first
    assert stray["notes"] == [
        "Line 2 (Article 1.1): a closing bracket has no opening bracket: kept as written, "
        "to be checked. «Parties shall [act] ] now.»"
    ]
    assert _marked(rows[4]) == ["["]


def test_an_error_marks_its_line_and_nothing_is_marked_in_a_clean_text():
    rows = source_rows(parse_text("(a) Orphan.\n"))
    assert [(r["number"], r["error"]) for r in rows] == [(1, True)]
    assert source_rows(parse_text("Article 1\n1. Clean [text].\n")) == []


def test_the_preview_page_shows_the_problems_inside_the_text(cast, islamabad):
    client = Client()
    client.force_login(cast["qa-chair"])
    page = client.post(
        reverse("drafting:import_page"), {"body": "WG-SAN", "content": SOURCE, "preview": "1"}
    )
    assert page.status_code == 200
    assert 'data-problem-line="2"' in page.text and 'data-problem-line="6"' in page.text
    assert "1. Parties shall [act] <mark>]</mark> now." in page.text
    assert "5. An <mark>[</mark>opening bracket never closed." in page.text


def test_bold_italic_and_underline_are_read_as_plain_text_and_said_so():
    from accord.drafting.tests.test_reading import _docx, _p
    from accord.drafting.wordfile import read_docx

    def marked(mark, text):
        return f'<w:r><w:rPr><w:{mark}/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'

    body = (
        _p(
            "",
            inner=marked("i", "PP1 Recalling")
            + '<w:r><w:t xml:space="preserve"> its work,</w:t></w:r>',
        )
        + _p(
            "",
            inner=marked("b", "1. Decides") + '<w:r><w:t xml:space="preserve"> to act;</w:t></w:r>',
        )
        + _p("", inner='<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>2. Not bold.</w:t></w:r>')
    )
    report = read_docx(_docx(body))
    assert [p.text for p in report.provisions] == [
        "Recalling its work,",
        "Decides to act;",
        "Not bold.",
    ]
    notes = [str(c) for c in report.changes if "plain text" in str(c)]
    assert notes == [
        "Line 1 (paragraph 1): bold, italic or underline in 2 paragraphs was kept as plain text "
        "(the text keeps no formatting)."
    ]
