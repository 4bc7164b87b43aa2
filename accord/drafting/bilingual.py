"""Bilingual handouts of equally authentic texts: a .docx in two columns, each in its own
direction and fonts (issue 20, points 4 and 5; decisions 0162, 0163).

Pure (python-docx and WordprocessingML): a row per provision, the original on one side
and the language version on the other. A right-to-left column's paragraphs are
``w:bidi`` and its runs ``w:rtl`` with the script's font (``w:rFonts w:cs``) and
language (``w:lang w:bidi``); labels and numbers inside it are isolated left to right
(LRI … PDI), so "Article 4.2" and "1." keep their order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from accord import bidi
from accord.drafting.exports import docx_with_parts

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The face Word uses for complex scripts (w:cs) per language; Latin text keeps Word's own.
DOCX_FONTS = {"fa": "Vazirmatn", "ar": "Noto Naskh Arabic", "ur": "Noto Nastaliq Urdu"}
BIDI_LANG = {"fa": "fa-IR", "ar": "ar-QA", "ur": "ur-PK"}


@dataclass(frozen=True)
class Side:
    """One column's words for a provision: its label, heading and wording."""

    label: str
    heading: str
    text: str


@dataclass(frozen=True)
class Row:
    left: Side
    right: Side
    stale: bool = False


def _base(language: str) -> str:
    return (language or "").split("-")[0].lower()


def run_xml(text: str, language: str, *, bold: bool = False) -> str:
    """One ``<w:r>`` of ``text`` in ``language``: right to left with its script's font
    where it is written so."""
    rtl = bidi.language_direction(language) == "rtl"
    props = "<w:b/><w:bCs/>" if bold else ""
    if rtl:
        font = DOCX_FONTS.get(_base(language), "Vazirmatn")
        props = (
            f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>{props}<w:rtl/>'
            f'<w:lang w:bidi="{BIDI_LANG.get(_base(language), language)}"/>'
        )
    pieces = []
    for i, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if i:
            pieces.append("<w:br/>")
        if line:
            pieces.append(f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>')
    return f"<w:r><w:rPr>{props}</w:rPr>{''.join(pieces)}</w:r>"


def paragraph_xml(runs: Sequence[str], language: str) -> str:
    """A ``<w:p>``, right to left (``w:bidi``) for a language written so."""
    rtl = bidi.language_direction(language) == "rtl"
    ppr = "<w:pPr><w:bidi/></w:pPr>" if rtl else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def _cell(side: Side, language: str, note: str = "") -> str:
    rtl = bidi.language_direction(language) == "rtl"
    label = bidi.isolate_label(side.label) if rtl and side.label else side.label
    head = [run_xml(label, language, bold=True)]
    if side.heading:
        head += [run_xml(" — ", language), run_xml(side.heading, language, bold=True)]
    paragraphs = [paragraph_xml(head, language)]
    if side.text:
        paragraphs.append(paragraph_xml([run_xml(side.text, language)], language))
    if note:
        paragraphs.append(paragraph_xml([run_xml(note, language)], language))
    width = '<w:tcPr><w:tcW w:w="4819" w:type="dxa"/></w:tcPr>'
    return f"<w:tc>{width}{''.join(paragraphs)}</w:tc>"


def bilingual_docx(
    *,
    title: str,
    left_language: str,
    right_language: str,
    left_heading: str,
    right_heading: str,
    rows: Sequence[Row],
    stale_note: str = "",
    right_title: str = "",
) -> bytes:
    """A Word document: ``title`` and the two languages' columns, a row per provision.
    ``stale_note`` is written under a translation of earlier wording."""
    from docx import Document as Docx
    from docx.oxml import parse_xml

    doc = Docx()
    doc.add_paragraph(title, style="Title")
    parts = []
    if right_title:
        parts.append(
            paragraph_xml([run_xml(right_title, right_language, bold=True)], right_language)
        )
    header = (
        f"<w:tr>{_cell(Side(left_heading, '', ''), left_language)}"
        f"{_cell(Side(right_heading, '', ''), right_language)}</w:tr>"
    )
    body = [header]
    for row in rows:
        note = stale_note if row.stale else ""
        body.append(
            f"<w:tr>{_cell(row.left, left_language)}{_cell(row.right, right_language, note)}</w:tr>"
        )
    parts.append(
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="9638" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="4819"/><w:gridCol w:w="4819"/></w:tblGrid>'
        f"{''.join(body)}</w:tbl>"
    )
    return docx_with_parts(doc, parts, parse_xml)


def bilingual_text(
    *,
    title: str,
    left_language: str,
    right_language: str,
    rows: Sequence[Row],
    stale_note: str = "",
) -> str:
    """The two versions as plain text, a provision after another: its label, the original,
    then the version. Every label and each version's wording is isolated (LRI/FSI … PDI),
    so a reader's editor keeps "1." and "Article 4.2" in order beside right-to-left words."""
    lines = [bidi.isolate(title), ""]
    for row in rows:
        lines.append(bidi.isolate_label(row.left.label))
        for side, language in ((row.left, left_language), (row.right, right_language)):
            words = " — ".join(part for part in (side.heading, side.text) if part)
            if words:
                lines.append(f"[{language}] {bidi.isolate(words)}")
        if row.stale and stale_note:
            lines.append(f"[{right_language}] {bidi.isolate(stale_note)}")
        lines.append("")
    return "\n".join(lines)
