"""Exports of a snapshot (.docx, PDF, Akoma Ntoso XML, plain text) and the .docx import.

A snapshot is what ``selectors.document_snapshot`` returns and a revision stores; exporting the
current text and exporting "Rev. 3" are the same code. The .docx is a handout that reads
like the page (options labelled, coloured per sponsor, sponsors as superscripts, a legend,
the revision and its date in the header and footer) and still carries the bracket
conventions, the sponsor tags' braces as hidden text, so a delegation can edit it in Word
and import it back: ``docx_import(docx_export(x))`` has the same brackets, options and
sponsors as ``x`` (decision 0077).
"""

from __future__ import annotations

import contextvars
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.drafting import brackets
from accord.drafting.textformat import ImportReport, marker_for, render_text

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
# The footnotes of the handout being written (None: write ``{^…}`` as text).
_NOTES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "accord_docx_notes", default=None
)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _hex(colour: str | None) -> str | None:
    value = (colour or "").lstrip("#").upper()
    return value if re.fullmatch(r"[0-9A-F]{6}", value) else None


def _run(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    colour: str | None = None,
    superscript: bool = False,
    hidden: bool = False,
) -> str:
    """One ``<w:r>``; line breaks in ``text`` become ``<w:br/>``. ``hidden``: Word does not
    show it (``w:vanish``), the import still reads it. A footnote (``{^…}``) becomes a
    Word footnote where a handout collects them (``_NOTES``), each a run of its own."""
    notes = _NOTES.get()
    if notes is not None and "{^" in text:
        pieces_ = _FOOTNOTE_MARK.split(text)
        runs = []
        for i, piece in enumerate(pieces_):
            if i % 2:
                notes.append(brackets.footnote_texts("{^" + piece + "}")[0])
                runs.append(
                    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>'
                    '<w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{len(notes)}"/></w:r>'
                )
            elif piece:
                runs.append(
                    _run(
                        piece,
                        bold=bold,
                        italic=italic,
                        colour=colour,
                        superscript=superscript,
                        hidden=hidden,
                    )
                )
        return "".join(runs)
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props += "<w:vanish/>" if hidden else ""
    if colour:
        props += f'<w:color w:val="{colour}"/>'
    if superscript:
        props += '<w:vertAlign w:val="superscript"/>'
    pieces = []
    for i, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if i:
            pieces.append("<w:br/>")
        if line:
            pieces.append(f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>')
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _option_runs(
    text: str, group: brackets.Group, index: int, colours: Mapping[str, str]
) -> list[str]:
    """One option as the page shows it: ``[Option 2: 5]`` in its sponsor's colour (italic
    if none), the sponsors as a superscript. The braces of the sponsor tag are hidden
    text, so Word shows the page's reading and a re-import still finds ``{IR}``."""
    option = group.options[index]
    colour = _hex(colours.get(option.sponsors[0])) if option.sponsors else None
    italic = not colour
    runs = [_run("[", bold=True, colour=colour, italic=italic)]
    label = text[option.start + 1 : option.inner_start]
    if label.strip():
        runs.append(_run(label, colour=colour, italic=True))
    elif group.is_choice:  # the page numbers a choice's options; so does the handout
        runs.append(_run(_("Option {n}").format(n=index + 1) + ": ", colour=colour, italic=True))
    runs.append(_run(text[option.inner_start : option.inner_end], colour=colour, italic=italic))
    runs.append(_run("]", bold=True, colour=colour, italic=italic))
    tag = text[option.inner_end + 1 : option.end]
    if tag.startswith("{") and tag.endswith("}"):
        runs += [
            _run("{", hidden=True),
            _run(tag[1:-1], bold=True, colour=colour, superscript=True),
            _run("}", hidden=True),
        ]
    elif tag:
        runs.append(_run(tag))
    return runs


def _runs(text: str, colours: Mapping[str, str]) -> list[str]:
    """``text`` as runs, each top-level option labelled and coloured as on the page."""
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
        for i, option in enumerate(segment.options):
            between = text[cursor : option.start]
            if i and not between.strip():
                between = " / " if not segment.labelled else (between or " ")
            if between:
                runs.append(_run(between))
            runs += _option_runs(text, segment, i, colours)
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


def _table(
    rows: list[list[str]],
    header: bool = True,
    colours: Mapping[str, str | None] | None = None,
) -> str:
    """A table; a first cell that is a key of ``colours`` is written bold in that colour
    (a legend's sponsor codes)."""
    colours = colours or {}
    columns = len(rows[0]) if rows else 1
    grid = "".join("<w:gridCol/>" for _ in range(columns))
    body = []
    for n, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            colour = colours.get(cell) if i == 0 else None
            bold = (header and n == 0) or colour is not None
            cells.append(f"<w:tc>{_paragraph([_run(cell, bold=bold, colour=colour)])}</w:tc>")
        body.append(f"<w:tr>{''.join(cells)}</w:tr>")
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )


def legend_rows(names: Mapping[str, str]) -> list[tuple[str, str]]:
    """What the marks of a text mean, for a handout (the .docx and the PDF): brackets,
    options, and each sponsor's colour, named."""
    rows = [
        ("[ ]", _("Bracketed: wording not yet agreed.")),
        (
            _("[Option 1: …] / [Option 2: …]"),
            _("Alternatives: one of them is to be kept; the others go."),
        ),
    ]
    rows += [
        (code, _("Wording sponsored by {name}, in its colour.").format(name=name))
        for code, name in names.items()
    ]
    rows.append((_("italic"), _("Wording no party sponsors.")))
    return rows


def revision_line(revision: str, issued: str) -> str:
    """ "Rev.2 · 1 Dec 2026" for headers and footers (the current text: its export date)."""
    return " · ".join(part for part in (revision, issued) if part)


def docx_export(
    snapshot: Mapping[str, Any],
    *,
    colours: Mapping[str, str] | None = None,
    revision: str = "",
    positions: Mapping[str, Mapping[str, str]] | None = None,
    issued: str = "",
    note: str = "",
    names: Mapping[str, str] | None = None,
) -> bytes:
    """A Word document to hand out: the title, the revision and a legend, the provisions
    (options labelled and coloured per sponsor, as on the page), and a status table;
    the revision and its date in every page's header and footer.

    The body is written as WordprocessingML in one piece (python-docx's element-by-element
    API takes seconds for a treaty); the legend and the status table are tables, which
    the import skips, and the header and footer are outside the body it reads. The
    sponsor tags' braces are hidden text, so the import reads the bracket conventions
    back (an option the page numbers comes back with its label written out).
    """
    from docx import Document as Docx
    from docx.oxml import parse_xml

    colours = colours or {}
    names = names or {code: code for code in colours}
    doc = Docx()
    title = snapshot.get("title", "")
    line = revision_line(revision or _("current text"), issued)
    page = doc.sections[0]
    page.header.paragraphs[0].text = f"{title} — {line}"
    page.footer.paragraphs[0].text = line
    doc.add_paragraph(title, style="Title")
    notes: list[str] = []
    reset = _NOTES.set(notes)
    try:
        return _with_footnotes(
            _docx_body(doc, snapshot, colours, names, line, note, positions, parse_xml), notes
        )
    finally:
        _NOTES.reset(reset)


def _docx_body(
    doc: Any,
    snapshot: Mapping[str, Any],
    colours: Mapping[str, str],
    names: Mapping[str, str],
    line: str,
    note: str,
    positions: Mapping[str, Mapping[str, str]] | None,
    parse_xml: Any,
) -> bytes:
    about = [[_("Revision"), line]]
    if note:
        about.append([_("Note"), note])
    parts = [
        _table(about, header=False),
        _table(
            [[_("Legend"), ""], *[list(row) for row in legend_rows(names)]],
            colours={code: _hex(colour) for code, colour in colours.items()},
        ),
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
    status_rows = [[_("Provision"), _("Status"), _("Brackets"), _("Positions")]]
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
    return docx_with_parts(doc, parts, parse_xml)


def docx_with_parts(doc: Any, parts: list[str], parse_xml: Any) -> bytes:
    """The Word document with the body parts (WordprocessingML strings) appended before
    its section properties, saved to bytes."""
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


_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _with_footnotes(data: bytes, notes: list[str]) -> bytes:
    """The saved .docx with a footnotes part (``word/footnotes.xml``, its relationship and
    content type) holding ``notes``, numbered from 1 as the body's references are."""
    if not notes:
        return data
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    )
    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {xml_escape(_XML_INVALID.sub("", text))}</w:t></w:r>'
        "</w:p></w:footnote>"
        for n, text in enumerate(notes, start=1)
    )
    part = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{W_NS}">{separators}{body}</w:footnotes>'
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="'
                    + _FOOTNOTES_TYPE.encode()
                    + b'"/></Types>',
                )
            elif info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdAccordFootnotes" Type="'
                    + _FOOTNOTES_REL.encode()
                    + b'" Target="footnotes.xml"/></Relationships>',
                )
            target.writestr(info, content)
        target.writestr("word/footnotes.xml", part)
    return out.getvalue()


def docx_import(
    data: bytes,
    *,
    parties: list[str] | None = None,
    accept_changes: bool = False,
    changes: str = "",
) -> ImportReport:
    """Read a .docx safely, as Word shows it (``drafting.wordfile``): each paragraph is a
    provision line (line breaks inside it continue it); tables are read and reported,
    the handout's legend and status table skipped; a paragraph styled "Title" gives the
    title; tracked changes are rejected unless ``accept_changes``, each one reported."""
    from accord.drafting.wordfile import read_docx

    return read_docx(data, parties=parties, accept_changes=accept_changes, changes=changes)


# --- Word with tracked changes ------------------------------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


def _tracked(tag: str, text: str, author: str, date: str, n: list[int]) -> str:
    """``<w:ins>``/``<w:del>`` around one run (a deletion's text is ``w:delText``)."""
    n[0] += 1
    inner = "delText" if tag == "del" else "t"
    pieces = []
    for i, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if i:
            pieces.append("<w:br/>")
        if line:
            pieces.append(f'<w:{inner} xml:space="preserve">{xml_escape(line)}</w:{inner}>')
    who = xml_escape(author, {'"': "&quot;"})
    return (
        f'<w:{tag} w:id="{n[0]}" w:author="{who}" w:date="{date}"><w:r>{"".join(pieces)}</w:r>'
        f"</w:{tag}>"
    )


def _line_of(provision: Mapping[str, Any], seen: set[str]) -> str:
    marker = marker_for(provision, seen)
    seen.add(provision["kind"])
    text = provision.get("text", "")
    if provision["kind"] in ("part", "article"):
        return "\n".join(x for x in (marker, text) if x)
    return " ".join(x for x in (marker, text) if x)


def redline_docx(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    author: str,
    date: str,
    title: str = "",
) -> bytes:
    """The comparison of two snapshots as a .docx with Word's own tracked changes: every
    word inserted is a ``w:ins``, every word deleted a ``w:del``, by ``author`` (the later
    revision, "Rev.3") at ``date`` (ISO 8601), so a delegation reviews it in Word.
    Provisions are matched by ``wid``; a provision deleted or inserted whole is one change."""
    import difflib

    from docx import Document as Docx
    from docx.oxml import parse_xml

    stamp = date if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+Z?", date) else f"{date[:10]}T00:00:00Z"
    counter = [0]
    old_rows = list(old.get("provisions", []))
    new_rows = list(new.get("provisions", []))
    new_wids = {p["wid"] for p in new_rows}
    old_lines: dict[str, str] = {}
    seen: set[str] = set()
    for p in old_rows:
        old_lines[p["wid"]] = _line_of(p, seen)
    # Deleted provisions follow the provision that preceded them in the old text.
    after: dict[str | None, list[str]] = {}
    previous: str | None = None
    for p in old_rows:
        if p["wid"] in new_wids:
            previous = p["wid"]
        else:
            after.setdefault(previous, []).append(p["wid"])
    parts: list[str] = []

    def deleted(wid: str) -> None:
        who = xml_escape(author, {'"': "&quot;"})
        mark = f'<w:rPr><w:del w:id="{counter[0] + 1000000}" w:author="{who}" w:date="{stamp}"/>'
        run = _tracked("del", old_lines[wid], author, stamp, counter)
        parts.append(f"<w:p><w:pPr>{mark}</w:rPr></w:pPr>{run}</w:p>")

    for wid in after.get(None, []):
        deleted(wid)
    seen = set()
    for p in new_rows:
        line = _line_of(p, seen)
        before = old_lines.get(p["wid"])
        if before is None:
            parts.append(f"<w:p>{_tracked('ins', line, author, stamp, counter)}</w:p>")
        else:
            a, b = _TOKEN.findall(before), _TOKEN.findall(line)
            runs: list[str] = []
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op == "equal":
                    runs.append(_run("".join(a[i1:i2])))
                    continue
                if i2 > i1:
                    runs.append(_tracked("del", "".join(a[i1:i2]), author, stamp, counter))
                if j2 > j1:
                    runs.append(_tracked("ins", "".join(b[j1:j2]), author, stamp, counter))
            parts.append(f"<w:p>{''.join(runs)}</w:p>")
        for gone in after.get(p["wid"], []):
            deleted(gone)
    doc = Docx()
    doc.add_paragraph(title or new.get("title", ""), style="Title")
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


# --- Akoma Ntoso -------------------------------------------------------------------------


ACCORD_NS = "https://accord.invalid/ns/akn-proprietary/1.0"
_FOOTNOTE_MARK = re.compile(r"\{\^([^{}]*)\}")


def akn_export(
    snapshot: Mapping[str, Any],
    *,
    delegations: Mapping[str, str] | None = None,
    revision: str = "",
    body: str = "",
    document_id: str = "",
    issued: str = "",
) -> bytes:
    """Akoma Ntoso 3.0 XML, valid against the official (strict) schema (decision 0128).

    A ``bill``: FRBR Work, Expression and Manifestation with IRIs; the chapeau,
    preambular paragraphs (``recitals``) and formula in ``<preamble>``; parts, chapters,
    articles, paragraphs and sub-paragraphs with ``eId``/``wId`` in ``<body>`` (``intro``
    when a provision has children); unnumbered headings as ``crossHeading``; a bracket
    group ``<inline name="brackets">`` whose options are ``<inline name="option">`` with
    ``refersTo`` their sponsors (``TLCOrganization``, every sponsor named declared), each
    option after the first ``alternativeTo`` the first (AKN's own attribute for an
    alternative version), as is each "Option II" heading of a whole provision's
    alternatives to its "Option I"; footnotes as numbered ``authorialNote``.
    A provision's negotiating status is not AKN's editorial ``status``: it travels in
    ``<proprietary>``.
    """
    import datetime as dt

    from lxml import etree

    def el(parent: Any, tag: str, **attrs: str) -> Any:
        return etree.SubElement(parent, f"{{{AKN_NS}}}{tag}", **attrs)

    date = issued[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", issued or "") else ""
    date = date or dt.date.today().isoformat()
    title = snapshot.get("title", "")
    name = re.sub(r"[^a-z0-9]+", "-", (document_id or title).lower()).strip("-") or "text"
    author = "#" + (re.sub(r"[^A-Za-z0-9-]", "", body) or "accord")
    work_uri = f"/akn/un/bill/{date}/{name}"
    expression_uri = f"{work_uri}/eng@{date}"
    root = etree.Element(f"{{{AKN_NS}}}akomaNtoso", nsmap={None: AKN_NS, "accord": ACCORD_NS})
    bill = el(root, "bill", name="negotiatingText")
    meta = el(bill, "meta")
    identification = el(meta, "identification", source="#accord")
    for level, this, uri, extra in (
        ("FRBRWork", f"{work_uri}/!main", work_uri, "work"),
        ("FRBRExpression", f"{expression_uri}/!main", expression_uri, "expression"),
        ("FRBRManifestation", f"{expression_uri}/!main.xml", f"{expression_uri}.akn", "m"),
    ):
        node = el(identification, level)
        el(node, "FRBRthis", value=this)
        el(node, "FRBRuri", value=uri)
        el(node, "FRBRdate", date=date, name="Generation" if extra == "m" else "Issue")
        el(node, "FRBRauthor", href=author if extra != "m" else "#accord")
        if extra == "work":
            el(node, "FRBRcountry", value="un")
            el(node, "FRBRname", value=title or "text")
        elif extra == "expression":
            if revision:
                el(node, "FRBRversionNumber", value=revision)
            el(node, "FRBRlanguage", language="eng")
    references = el(meta, "references", source="#accord")
    el(
        references,
        "TLCOrganization",
        eId="accord",
        href="/ontology/organization/accord",
        showAs="Accord",
    )
    if author != "#accord":
        el(
            references,
            "TLCOrganization",
            eId=author[1:],
            href=f"/ontology/organization/{author[1:]}",
            showAs=body,
        )
    declared = {author[1:]}

    def declare(code: str, shown: str) -> None:
        if code not in declared:
            declared.add(code)
            el(
                references,
                "TLCOrganization",
                eId=code,
                href=f"/ontology/organization/{code}",
                showAs=shown,
            )

    for code, shown in (delegations or {}).items():
        declare(code, shown)
    proprietary = el(meta, "proprietary", source="#accord")
    preface = el(bill, "preface")
    el(el(preface, "longTitle"), "p").append(_akn_title(el, title))
    provisions = list(snapshot.get("provisions", []))
    children: dict[str, list[Mapping[str, Any]]] = {}
    for provision in provisions:
        children.setdefault(provision.get("parent") or "", []).append(provision)
    top = children.get("", [])
    preamble_kinds = ("chapeau", "preamble", "formula")
    first_body = next(
        (i for i, p in enumerate(top) if p["kind"] not in (*preamble_kinds, "heading")), len(top)
    )
    seen: set[str] = set()
    counter = [0]

    def unique(eid: str) -> str:
        eid = re.sub(r"[^A-Za-z0-9_.-]", "", eid) or "x"
        candidate, n = eid, 1
        while candidate in seen:
            n += 1
            candidate = f"{eid}_{n}"
        seen.add(candidate)
        return candidate

    def keep_status(provision: Mapping[str, Any]) -> None:
        etree.SubElement(
            proprietary,
            f"{{{ACCORD_NS}}}provision",
            wid=provision["wid"],
            status=provision.get("status", "open"),
        )

    def wording(parent: Any, provision: Mapping[str, Any]) -> None:
        p = el(parent, "p")
        text = provision.get("text", "")
        try:
            segments = brackets.parse(text)
        except brackets.BracketError:
            segments = (brackets.Literal(text),)
        _akn_segments(p, segments, el, counter, provision.get("eid", ""), unique)
        for code in sorted(_akn_sponsors(segments)):  # every sponsor named is declared
            declare(code, code)

    if any(p["kind"] != "heading" for p in top[:first_body]):
        preamble = el(bill, "preamble")
        recitals = None
        for provision in top[:first_body]:
            kind = provision["kind"]
            keep_status(provision)
            if kind == "heading":  # a subtitle or session line
                line = el(preface, "p", eId=unique(provision.get("eid") or "p"))
                line.set("class", "subtitle")
                line.text = _XML_INVALID.sub(
                    "", provision.get("heading") or provision.get("text") or ""
                )
                continue
            if kind == "preamble":
                if recitals is None:
                    recitals = el(preamble, "recitals")
                node = el(
                    recitals,
                    "recital",
                    eId=unique(provision.get("eid") or "recital"),
                    wId=provision["wid"],
                )
                if provision.get("num"):
                    el(node, "num").text = provision["num"]
                wording(node, provision)
            else:
                recitals = None
                formula = el(
                    preamble, "formula", name="enactingFormula" if kind == "formula" else "chapeau"
                )
                wording(formula, provision)
    main = el(bill, "body")

    alternatives: dict[str, str] = {}  # parent wid -> eId of the first option of its set

    def alternative_to(node: Any, provision: Mapping[str, Any]) -> None:
        """ "Option II:" heading a whole provision's alternative: ``alternativeTo`` the
        set's first option (a label ending in I, 1, A or (a) starts a set)."""
        label = provision.get("label", "")
        if not label.startswith(("Option", "Alt")):
            return
        key = provision.get("parent") or ""
        if re.search(r"\s(?:I|1|A|a|\(a\)|\(A\))$", label) or key not in alternatives:
            alternatives[key] = node.get("eId")
        else:
            node.set("alternativeTo", alternatives[key])

    def hierarchy(parent: Any, provision: Mapping[str, Any]) -> None:
        kind = provision["kind"]
        kids = children.get(provision["wid"], [])
        keep_status(provision)
        if kind in ("heading", "chapeau", "formula") and parent is not main:
            cross = el(
                parent,
                "crossHeading",
                eId=unique(provision.get("eid") or "crossHeading"),
                wId=provision["wid"],
            )
            cross.set(
                "class",
                "alternative" if provision.get("label", "").startswith(("Option", "Alt")) else kind,
            )
            parts = [
                provision.get("label", ""),
                provision.get("heading", ""),
                provision.get("text", ""),
            ]
            shown = " ".join(dict.fromkeys(x for x in parts if x))
            cross.text = _XML_INVALID.sub("", shown)
            alternative_to(cross, provision)
            return
        label = provision.get("label", "")
        tag = {
            "part": "chapter" if label.startswith("Chapter") else "part",
            "article": "article",
            "paragraph": "paragraph",
            "subparagraph": "subparagraph",
            "preamble": "paragraph",
        }.get(kind, "hcontainer")
        attrs = {"eId": unique(provision.get("eid") or tag), "wId": provision["wid"]}
        if tag == "hcontainer":
            attrs["name"] = "alternative" if label.startswith(("Option", "Alt")) else kind
        node = el(parent, tag, **attrs)
        alternative_to(node, provision)
        if provision.get("num"):
            el(node, "num").text = provision["num"]
        if provision.get("heading") and provision.get("heading") != label:
            el(node, "heading").text = _XML_INVALID.sub("", provision["heading"])
        if kids:
            if provision.get("text"):
                wording(el(node, "intro"), provision)
            for kid in kids:
                hierarchy(node, kid)
            if all(k["kind"] in ("heading", "chapeau", "formula") for k in kids):
                el(el(node, "wrapUp"), "p")
        else:
            content = el(node, "content")
            if provision.get("text"):
                wording(content, provision)
            else:
                el(content, "p")

    for provision in top[first_body:]:
        hierarchy(main, provision)
    if not len(main):
        el(el(el(main, "hcontainer", name="empty", eId="hcontainer_empty"), "content"), "p")
    if not len(proprietary):
        proprietary.getparent().remove(proprietary)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _akn_title(el: Any, title: str) -> Any:
    from lxml import etree

    node = etree.Element(f"{{{AKN_NS}}}docTitle")
    node.text = _XML_INVALID.sub("", title)
    return node


def _akn_text(parent: Any, last: Any, text: str, el: Any, unique: Any) -> Any:
    """Append ``text`` after ``last`` (or into ``parent``), footnotes as authorialNote."""
    pieces = _FOOTNOTE_MARK.split(_XML_INVALID.sub("", text))
    for i, piece in enumerate(pieces):
        if i % 2:
            eid = unique("authorialNote")
            number = eid.rsplit("_", 1)[1] if "_" in eid else "1"
            note = el(parent, "authorialNote", marker=number, eId=eid)
            note.set("placement", "bottom")
            el(note, "p").text = brackets.footnote_texts("{^" + piece + "}")[0]
            last = note
        elif piece:
            if last is None:
                parent.text = (parent.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
    return last


def _akn_sponsors(segments: Any) -> set[str]:
    """Every sponsor of every option of ``segments``, nested ones included."""
    out: set[str] = set()
    for segment in segments:
        if isinstance(segment, brackets.Group):
            for option in segment.options:
                out.update(option.sponsors)
                out |= _akn_sponsors(option.segments)
    return out


def _akn_segments(
    parent: Any, segments: Any, el: Any, counter: list[int], eid: str, unique: Any
) -> None:
    last = None
    for segment in segments:
        if isinstance(segment, brackets.Literal):
            last = _akn_text(parent, last, segment.text, el, unique)
            continue
        counter[0] += 1
        group = el(parent, "inline", name="brackets", eId=unique(f"{eid}__brackets_{counter[0]}"))
        group.set("class", "optionSet" if segment.is_choice else "bracketedSpan")
        first = ""
        for i, option in enumerate(segment.options, start=1):
            node = el(group, "inline", name="option", eId=unique(f"{group.get('eId')}__opt_{i}"))
            if i == 1:
                first = node.get("eId")
            else:  # AKN's own construct: each further option is an alternative to the first
                node.set("alternativeTo", first)
            if option.sponsors:
                node.set("refersTo", " ".join(f"#{code}" for code in option.sponsors))
            if option.label:
                node.set("title", option.label)
            _akn_segments(node, option.segments, el, counter, eid, unique)
        last = group


# --- PDF ---------------------------------------------------------------------------------


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string for a ``content:`` property: quotes, backslashes,
    line breaks and ``<`` (which could close the style element) as CSS escapes; "-",
    "'", "&" and ">" stay as they are (``escapejs`` made them ``u002D``)."""
    out = []
    for c in _XML_INVALID.sub("", text):
        if c in '"\\<' or c in "\n\r\f":
            out.append(f"\\{ord(c):X} ")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def css_strings(**texts: str) -> dict[str, Any]:
    """CSS strings for a template, already escaped for a style element (marked safe)."""
    from django.utils.safestring import mark_safe

    return {k: mark_safe(css_string(v)) for k, v in texts.items()}  # noqa: S308 - escaped


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
