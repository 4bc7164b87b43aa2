"""Exports of a snapshot (.docx, PDF, Akoma Ntoso XML, plain text) and the .docx import.

A snapshot is what ``selectors.document_snapshot`` returns and a revision stores; exporting the
current text and exporting "Rev. 3" are the same code. The .docx keeps the bracket
conventions as text (sponsor tags included), coloured per sponsor, so a delegation can
edit it in Word and import it back: ``docx_import(docx_export(x))`` reproduces ``x``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.drafting import brackets
from accord.drafting.textformat import ImportReport, marker_for, parse_text, render_text

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
STATUS_LABELS = {
    "open": gettext_lazy("Open"),
    "converging": gettext_lazy("Converging"),
    "agreed_ad_ref": gettext_lazy("Agreed ad referendum"),
    "agreed": gettext_lazy("Agreed"),
}


def text_export(snapshot: Mapping[str, Any]) -> str:
    return render_text(snapshot)


# --- .docx -------------------------------------------------------------------------------


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _hex(colour: str | None) -> str | None:
    value = (colour or "").lstrip("#").upper()
    return value if re.fullmatch(r"[0-9A-F]{6}", value) else None


def _run(text: str, *, bold: bool = False, italic: bool = False, colour: str | None = None) -> str:
    """One ``<w:r>``; line breaks in ``text`` become ``<w:br/>``."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if colour:
        props += f'<w:color w:val="{colour}"/>'
    pieces = []
    for i, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if i:
            pieces.append("<w:br/>")
        if line:
            pieces.append(f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>')
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _runs(text: str, colours: Mapping[str, str]) -> list[str]:
    """``text`` as runs: each top-level option coloured by its first sponsor (italic if none)."""
    try:
        segments = brackets.parse(text)
    except brackets.BracketError:
        return [_run(text)]
    runs, at = [], 0
    for segment in segments:
        if not isinstance(segment, brackets.Group):
            continue
        if segment.start > at:
            runs.append(_run(text[at : segment.start]))
        cursor = segment.start
        for option in segment.options:
            if option.start > cursor:
                runs.append(_run(text[cursor : option.start]))
            colour = _hex(colours.get(option.sponsors[0])) if option.sponsors else None
            runs.append(_run(text[option.start : option.end], colour=colour, italic=not colour))
            cursor = option.end
        at = segment.end
    if at < len(text):
        runs.append(_run(text[at:]))
    return runs


def _paragraph(runs: list[str], *, style: str = "", indent_twips: int = 0) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if indent_twips:
        props += f'<w:ind w:left="{indent_twips}"/>'
    ppr = f"<w:pPr>{props}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def _table(rows: list[list[str]], header: bool = True) -> str:
    columns = len(rows[0]) if rows else 1
    grid = "".join("<w:gridCol/>" for _ in range(columns))
    body = []
    for n, row in enumerate(rows):
        cells = "".join(
            f"<w:tc>{_paragraph([_run(cell, bold=header and n == 0)])}</w:tc>" for cell in row
        )
        body.append(f"<w:tr>{cells}</w:tr>")
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )


def docx_export(
    snapshot: Mapping[str, Any],
    *,
    colours: Mapping[str, str] | None = None,
    revision: str = "",
    positions: Mapping[str, Mapping[str, str]] | None = None,
) -> bytes:
    """A Word document: the title, a legend, the provisions, and a status table at the end.

    The body is written as WordprocessingML in one piece (python-docx's element-by-element
    API takes seconds for a treaty); the legend and the status table are tables, which
    the import skips.
    """
    from docx import Document as Docx
    from docx.oxml import parse_xml

    colours = colours or {}
    doc = Docx()
    doc.add_paragraph(snapshot.get("title", ""), style="Title")
    parts = [
        _table(
            [["Revision", revision or "current text"]]
            + [[f"{{{code}}}", f"[options sponsored by {code}]"] for code in colours],
            header=False,
        )
    ]
    seen: set[str] = set()
    for provision in snapshot.get("provisions", []):
        marker = marker_for(provision, seen)
        seen.add(provision["kind"])
        kind, text = provision["kind"], provision.get("text", "")
        if kind in ("part", "article"):
            runs = [_run(marker)]
            if text:
                runs += [_run("\n"), *_runs(text, colours)]
            parts.append(_paragraph(runs, style="Heading1" if kind == "part" else "Heading2"))
            continue
        runs = [_run(marker, bold=True), _run(" "), *_runs(text, colours)]
        parts.append(_paragraph(runs, indent_twips=480 if kind == "subparagraph" else 0))
    status_rows = [["Provision", "Status", "Brackets", "Positions"]]
    for provision in snapshot.get("provisions", []):
        stated = (positions or {}).get(provision["wid"], {})
        status_rows.append(
            [
                provision.get("label", ""),
                str(STATUS_LABELS.get(provision.get("status", ""), provision.get("status", ""))),
                str(provision.get("brackets", 0)),
                ", ".join(f"{code}: {stance}" for code, stance in stated.items()),
            ]
        )
    parts.append(_table(status_rows))
    fragment = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(parts)}</w:body>')
    body = doc.element.body
    section = body.sectPr
    for child in list(fragment):
        if section is not None:
            section.addprevious(child)
        else:
            body.append(child)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraph_text(p: Any) -> str:
    out = []
    for node in p.iter(f"{{{W_NS}}}t", f"{{{W_NS}}}br", f"{{{W_NS}}}cr", f"{{{W_NS}}}tab"):
        tag = node.tag.rsplit("}", 1)[1]
        if tag == "t":
            out.append(node.text or "")
        elif tag == "tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def docx_import(data: bytes, *, parties: list[str] | None = None) -> ImportReport:
    """Read a .docx: each paragraph is a provision line (line breaks inside it continue it).

    Tables (legend, status table) are skipped; a paragraph styled "Title" gives the title.
    Paragraphs are read straight from the XML (python-docx's ``paragraph.text`` and style
    look-ups are slow at treaty size).
    """
    from docx import Document as Docx

    try:
        doc = Docx(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a bad file
        report = ImportReport()
        report.errors.append(
            _("This is not a readable .docx file (%(kind)s).") % {"kind": type(error).__name__}
        )
        return report
    title_ids = {s.style_id for s in doc.styles if s.name == "Title"}
    lines: list[str] = []
    for p in doc.element.body.iterchildren(f"{{{W_NS}}}p"):
        style = p.find(f"{{{W_NS}}}pPr/{{{W_NS}}}pStyle")
        text = _paragraph_text(p)
        if style is not None and style.get(f"{{{W_NS}}}val") in title_ids:
            lines.append(f"Title: {text.strip()}")
            continue
        if not text.strip():
            continue
        first, *rest = text.split("\n")
        lines.append(first)
        lines.extend("    " + r for r in rest)
    return parse_text("\n".join(lines), parties=parties)


# --- Akoma Ntoso -------------------------------------------------------------------------


def akn_export(
    snapshot: Mapping[str, Any],
    *,
    delegations: Mapping[str, str] | None = None,
    revision: str = "",
    body: str = "",
) -> bytes:
    """Akoma Ntoso 3.0 XML: the tree with eId/wId, options as alternatives with sponsors.

    A bracket group is ``<inline name="brackets">``; each option ``<inline name="option">``
    whose ``refersTo`` lists its sponsors, declared as TLCOrganization references.
    """
    from lxml import etree

    def el(parent: Any, tag: str, **attrs: str) -> Any:
        return etree.SubElement(parent, f"{{{AKN_NS}}}{tag}", **attrs)

    root = etree.Element(f"{{{AKN_NS}}}akomaNtoso", nsmap={None: AKN_NS})
    doc = el(root, "doc", name="negotiatingText")
    meta = el(doc, "meta")
    identification = el(meta, "identification", source="#accord")
    work = el(identification, "FRBRWork")
    el(work, "FRBRthis", value=f"/accord/{body}/{snapshot.get('title', '')}")
    el(work, "FRBRname", value=snapshot.get("title", ""))
    if revision:
        expression = el(identification, "FRBRExpression")
        el(expression, "FRBRversionNumber", value=revision)
    references = el(meta, "references", source="#accord")
    el(
        references,
        "TLCOrganization",
        eId="accord",
        href="/ontology/organization/accord",
        showAs="Accord",
    )
    for code, name in (delegations or {}).items():
        el(
            references,
            "TLCOrganization",
            eId=code,
            href=f"/ontology/organization/{code}",
            showAs=name,
        )
    preface = el(doc, "preface")
    title = el(el(preface, "p"), "docTitle")
    title.text = snapshot.get("title", "")
    main = el(doc, "mainBody")
    tags = {
        "preamble": "paragraph",
        "part": "part",
        "article": "article",
        "paragraph": "paragraph",
        "subparagraph": "subparagraph",
    }
    nodes: dict[str, Any] = {}
    group_counter = [0]
    for provision in snapshot.get("provisions", []):
        parent = nodes.get(provision.get("parent") or "", main)
        node = el(
            parent,
            tags[provision["kind"]],
            eId=provision.get("eid", ""),
            wId=provision["wid"],
            status=provision.get("status", "open"),
        )
        if provision["kind"] == "preamble":
            node.set("class", "preamble")
        num = el(node, "num")
        num.text = provision.get("num") or provision.get("label", "")
        if provision.get("heading"):
            heading = el(node, "heading")
            heading.text = provision["heading"]
        if provision.get("text"):
            content = el(node, "intro" if provision["kind"] in ("part", "article") else "content")
            p = el(content, "p")
            try:
                _akn_segments(
                    p,
                    brackets.parse(provision["text"]),
                    el,
                    group_counter,
                    provision.get("eid", ""),
                )
            except brackets.BracketError:
                p.text = provision["text"]
        nodes[provision["wid"]] = node
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _akn_segments(parent: Any, segments: Any, el: Any, counter: list[int], eid: str) -> None:
    last = None
    for segment in segments:
        if isinstance(segment, brackets.Literal):
            if last is None:
                parent.text = (parent.text or "") + segment.text
            else:
                last.tail = (last.tail or "") + segment.text
            continue
        counter[0] += 1
        group = el(parent, "inline", name="brackets", eId=f"{eid}__brackets_{counter[0]}")
        group.set("class", "optionSet" if segment.is_choice else "bracketedSpan")
        for i, option in enumerate(segment.options, start=1):
            node = el(group, "inline", name="option", eId=f"{group.get('eId')}__opt_{i}")
            if option.sponsors:
                node.set("refersTo", " ".join(f"#{code}" for code in option.sponsors))
            if option.label:
                node.set("title", option.label)
            _akn_segments(node, option.segments, el, counter, eid)
        last = group


# --- PDF ---------------------------------------------------------------------------------


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
