"""Reading a .docx safely, as Word shows it (pure: of Django only its translation).

A .docx is a zip of XML parts, and a hostile one is a zip bomb, a huge XML part or an
XML part that declares entities (billion laughs, external files). ``read_docx`` opens
it within bounds (entries, total and per-part size, compression ratio), parses every
part with lxml without entities, DTDs or network, and refuses a part with a DOCTYPE;
what it cannot read is one error sentence, never an exception.

What Word shows is what is read: the visible number of automatic numbering
(``numbering.xml``, counters per list and level), heading styles (a paragraph in a
Heading or Subtitle style that is not a marker is a heading), the Title style (the
title), footnotes (``{^…}``, never brackets), line breaks, tables (read cell by cell,
and reported; the handout's own legend and status tables are skipped) and tracked
changes (``w:ins``/``w:del``): never accepted silently; the pen-holder rejects them
(the text before the changes, the default) or accepts them, and each is reported
with its author.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.drafting.numbering import letters, roman
from accord.drafting.reading import ImportReport, Line, Notice, TrackedProposal, parse_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_BYTES = 20 * 1024 * 1024  # the upload itself
MAX_ENTRIES = 1000
MAX_PART = 60 * 1024 * 1024  # one XML part, uncompressed
MAX_TOTAL = 120 * 1024 * 1024  # every part read, uncompressed
MAX_RATIO = 150  # uncompressed / compressed, per part: beyond it, a zip bomb
HANDOUT_TABLES = ("Legend", "Revision", "Provision", "Légende", "Révision", "Disposition")


class Unreadable(ValueError):
    """The file cannot be read at all; ``str()`` is the translated reason."""


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


@dataclass
class _Package:
    zf: zipfile.ZipFile
    read_total: int = 0

    def part(self, name: str) -> Any | None:
        from lxml import etree

        try:
            info = self.zf.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_PART:
            raise Unreadable(_("A part of the file (%(name)s) is too large.") % {"name": name})
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise Unreadable(
                _("A part of the file (%(name)s) expands too much: refused as a zip bomb.")
                % {"name": name}
            )
        with self.zf.open(info) as handle:
            data = handle.read(MAX_PART + 1)  # the declared size may lie
        if len(data) > MAX_PART:
            raise Unreadable(_("A part of the file (%(name)s) is too large.") % {"name": name})
        self.read_total += len(data)
        if self.read_total > MAX_TOTAL:
            raise Unreadable(_("The file expands too much: refused as a zip bomb."))
        if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
            raise Unreadable(
                _("A part of the file (%(name)s) declares a DTD or entities, which are not read.")
                % {"name": name}
            )
        try:
            return etree.fromstring(data, parser=_parser())
        except etree.XMLSyntaxError as error:
            raise Unreadable(
                _("A part of the file (%(name)s) is not well-formed XML (line %(line)s).")
                % {"name": name, "line": error.lineno}
            ) from error


def _open(data: bytes) -> _Package:
    if len(data) > MAX_BYTES:
        raise Unreadable(_("The file is larger than 20 MB."))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        entries = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Unreadable(
            _("This is not a readable .docx file (it is not a zip archive).")
        ) from error
    if len(entries) > MAX_ENTRIES:
        raise Unreadable(_("The file has too many parts to be a .docx."))
    if sum(i.file_size for i in entries) > MAX_TOTAL * 4:
        raise Unreadable(_("The file expands too much: refused as a zip bomb."))
    return _Package(zf)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """Word's automatic numbering: what number a list paragraph shows."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Any | None) -> _Numbering:
        out = cls()
        if root is None:
            return out
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iterchildren(_q("abstractNum")):
            lvls: dict[int, _Level] = {}
            for lvl in node.iterchildren(_q("lvl")):
                level = _Level()
                fmt = lvl.find(_q("numFmt"))
                text = lvl.find(_q("lvlText"))
                start = lvl.find(_q("start"))
                if fmt is not None:
                    level.fmt = fmt.get(_q("val"), "decimal")
                if text is not None:
                    level.text = text.get(_q("val"), "")
                if start is not None and (start.get(_q("val")) or "").isdigit():
                    level.start = int(start.get(_q("val")))
                lvls[int(lvl.get(_q("ilvl"), "0") or 0)] = level
            abstract[node.get(_q("abstractNumId"), "")] = lvls
        for num in root.iterchildren(_q("num")):
            ref = num.find(_q("abstractNumId"))
            if ref is not None:
                out.levels[num.get(_q("numId"), "")] = abstract.get(ref.get(_q("val"), ""), {})
        return out

    def visible(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or levels[ilvl].fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(num_id, [0] * 10)
        ilvl = max(0, min(ilvl, 9))
        if counters[ilvl] == 0:
            counters[ilvl] = levels[ilvl].start
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0
        text = levels[ilvl].text
        for n in range(ilvl + 1):
            level = levels.get(n, _Level())
            value = counters[n] or level.start
            text = text.replace(f"%{n + 1}", _format(value, level.fmt))
        return text


def _format(value: int, fmt: str) -> str:
    return {
        "lowerLetter": letters(value),
        "upperLetter": letters(value).upper(),
        "lowerRoman": roman(value).lower(),
        "upperRoman": roman(value),
    }.get(fmt, str(value))


@dataclass(frozen=True)
class _Tracked:
    """One tracked change: ``w:ins`` or ``w:del``, its author and date as Word wrote them."""

    tag: str
    author: str
    date: str


# A piece of a paragraph's text, inside a tracked change or not.
_Piece = tuple[str, "_Tracked | None"]


@dataclass
class _Reader:
    package: _Package
    report_changes: list[Notice]
    mode: str  # "reject", "accept" or "propose" (rejected now, proposals by author later)
    numbering: _Numbering
    styles: dict[str, tuple[str, Any]]  # styleId -> (name, numPr)
    footnotes: dict[str, str]
    paragraph: int = 0
    notes: list[str] = field(default_factory=list)  # the footnotes met, in order
    # Every paragraph read: (number, style name, numPr, pieces), for each view of it.
    paragraphs: list[tuple[int, str, Any, list[_Piece]]] = field(default_factory=list)
    authors: dict[str, int] = field(default_factory=dict)  # tracked changes per author
    # Paragraphs with bold, italic or underline, which the text model does not keep
    # (decision 0138): reported, never dropped silently.
    formatted: dict[int, set[str]] = field(default_factory=dict)

    def pieces(self, p: Any) -> list[_Piece]:
        out: list[_Piece] = []
        self._walk(p, out, None)
        return out

    def _walk(self, node: Any, out: list[_Piece], change: _Tracked | None) -> None:
        for child in node:
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag in ("ins", "del"):
                self._change(child, tag, out)
            elif tag == "t" or tag == "delText":
                out.append((child.text or "", change))
            elif tag == "tab":
                out.append(("\t", change))
            elif tag in ("br", "cr"):
                out.append(("\n", change))
            elif tag == "footnoteReference":
                note = self.footnotes.get(child.get(_q("id"), ""), "")
                self.notes.append(note)
                note = re.sub(r"([\[\]{}\\])", r"\\\1", note.strip())
                out.append(("{^" + (note or child.get(_q("id"), "")) + "}", change))
            elif tag == "rPr":
                self._marks(child)
            elif tag in ("pPr", "instrText"):
                continue
            else:
                self._walk(child, out, change)

    def _marks(self, rpr: Any) -> None:
        for mark in ("b", "i", "u"):
            node = rpr.find(_q(mark))
            if node is not None and node.get(_q("val"), "true") not in ("0", "false", "none"):
                self.formatted.setdefault(self.paragraph, set()).add(mark)

    def _change(self, node: Any, tag: str, out: list[_Piece]) -> None:
        author = node.get(_q("author"), "") or _("an unknown author")
        change = _Tracked(tag, author, node.get(_q("date"), "") or "")
        piece: list[_Piece] = []
        self._walk(node, piece, change)
        out.extend(piece)
        text = "".join(t for t, _c in piece)
        self.authors[author] = self.authors.get(author, 0) + 1
        if self.mode == "propose":
            done = _("kept apart: a proposal of its author's delegation where one is chosen")
        elif self.mode == "accept":
            done = _("accepted")
        else:
            done = _("rejected")
        if tag == "ins":
            message = _("a tracked insertion by %(author)s was %(done)s.") % {
                "author": author,
                "done": done,
            }
        else:
            message = _("a tracked deletion by %(author)s was %(done)s.") % {
                "author": author,
                "done": done,
            }
        self.report_changes.append(
            Notice(self.paragraph, _("paragraph %(n)s") % {"n": self.paragraph}, message, text[:60])
        )

    def style_of(self, p: Any) -> tuple[str, Any]:
        ref = p.find(f"{_q('pPr')}/{_q('pStyle')}")
        if ref is None:
            return "", None
        return self.styles.get(ref.get(_q("val"), ""), ("", None))

    def number_of(self, num_pr: Any) -> str:
        if num_pr is None:
            return ""
        num_id = num_pr.find(_q("numId"))
        ilvl = num_pr.find(_q("ilvl"))
        if num_id is None:
            return ""
        level = ilvl.get(_q("val"), "0") if ilvl is not None else "0"
        return self.numbering.visible(
            num_id.get(_q("val"), ""), int(level) if level.isdigit() else 0
        )


def _styles(root: Any | None) -> dict[str, tuple[str, Any]]:
    out: dict[str, tuple[str, Any]] = {}
    if root is None:
        return out
    for style in root.iterchildren(_q("style")):
        name = style.find(_q("name"))
        num = style.find(f"{_q('pPr')}/{_q('numPr')}")
        out[style.get(_q("styleId"), "")] = (
            name.get(_q("val"), "") if name is not None else "",
            num,
        )
    return out


def _footnotes(root: Any | None, reader: _Reader | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    if root is None:
        return out
    for note in root.iterchildren(_q("footnote")):
        if note.get(_q("type")) in ("separator", "continuationSeparator"):
            continue
        text = "".join(t.text or "" for t in note.iter(_q("t")))
        out[note.get(_q("id"), "")] = text
    return out


def _style_kind(name: str) -> str:
    lowered = name.lower()
    if lowered == "title":
        return "title"
    if lowered.startswith(("heading", "subtitle")):
        return "heading"
    return ""


def read_docx(
    data: bytes,
    *,
    parties: Iterable[str] | None = None,
    accept_changes: bool = False,
    changes: str = "",
) -> ImportReport:
    """Read a .docx (see the module docstring); a file that cannot be read at all is a
    report with one error and no provision.

    ``changes``: "reject" (the default: the text before the tracked changes), "accept",
    or "propose": the text before the changes, and in ``report.tracked`` each author's
    changes to each provision as one proposed change (decision 0135)."""
    mode = changes or ("accept" if accept_changes else "reject")
    try:
        package = _open(data)
        document = package.part("word/document.xml")
        if document is None:
            raise Unreadable(_("This is not a readable .docx file (it has no document part)."))
        found: list[Notice] = []
        reader = _Reader(
            package,
            found,
            mode,
            _Numbering.read(package.part("word/numbering.xml")),
            _styles(package.part("word/styles.xml")),
            _footnotes(package.part("word/footnotes.xml")),
        )
        body = document.find(_q("body"))
        if body is None:
            raise Unreadable(_("This is not a readable .docx file (it has no body)."))
        warnings = _read_body(reader, body)
    except Unreadable as error:
        report = ImportReport()
        report.errors.append(str(error))
        return report
    keep = _accepted if mode == "accept" else _rejected
    report = parse_lines(_lines(reader, keep), parties=parties)
    report.footnotes[:0] = reader.notes
    if report.understood and reader.notes:
        report.understood = _summary_again(report)
    report.changes[:0] = found
    if reader.formatted:
        first = min(reader.formatted)
        report.changes.append(
            Notice(
                first,
                _("paragraph %(n)s") % {"n": first},
                ngettext(
                    "bold, italic or underline in %(n)s paragraph was kept as plain text "
                    "(the text keeps no formatting).",
                    "bold, italic or underline in %(n)s paragraphs was kept as plain text "
                    "(the text keeps no formatting).",
                    len(reader.formatted),
                )
                % {"n": len(reader.formatted)},
            )
        )
    report.warnings[:0] = warnings
    report.authors = dict(reader.authors)
    if mode == "propose" and reader.authors:
        report.tracked = _by_author(reader, report, parties)
    return report


def _accepted(change: _Tracked | None) -> bool:
    return change is None or change.tag == "ins"


def _rejected(change: _Tracked | None) -> bool:
    return change is None or change.tag == "del"


def _by_author(
    reader: _Reader, base: ImportReport, parties: Iterable[str] | None
) -> list[TrackedProposal]:
    """Each author's changes, provision by provision, against the text before the changes:
    the text read with only that author's changes accepted, compared paragraph by
    paragraph (a deletion and an insertion of one author in one provision are one
    replacement)."""
    out: list[TrackedProposal] = []
    base_at: dict[int, int] = {}
    for index, item in enumerate(base.provisions):
        base_at.setdefault(item.line, index)
    for author in reader.authors:
        dates: dict[int, str] = {}
        for number, _name, _num, pieces in reader.paragraphs:
            for _text, change in pieces:
                if change is not None and change.author == author:
                    dates[number] = max(dates.get(number, ""), change.date)

        def keep(change: _Tracked | None, author: str = author) -> bool:
            if change is None:
                return True
            return (change.tag == "ins") == (change.author == author)

        variant = parse_lines(_lines(reader, keep), parties=parties)
        seen: set[int] = set()
        previous: int | None = None
        for item in variant.provisions:
            if item.line in seen:
                continue
            seen.add(item.line)
            at = base_at.get(item.line)
            if at is None:
                if item.line in dates:
                    out.append(
                        TrackedProposal(
                            author,
                            dates[item.line],
                            item.line,
                            previous,
                            "insert",
                            item.text,
                            item.kind,
                        )
                    )
                continue
            previous = at
            mine = base.provisions[at]
            if item.line in dates and (item.text, item.heading) != (mine.text, mine.heading):
                out.append(
                    TrackedProposal(
                        author, dates[item.line], item.line, at, "replace", item.text, item.kind
                    )
                )
        for line, at in base_at.items():
            if line in dates and line not in seen:
                out.append(TrackedProposal(author, dates[line], line, at, "delete", "", ""))
    return out


def _summary_again(report: ImportReport) -> list[str]:
    from accord.drafting.reading import _summary

    return _summary(report)


def _read_body(reader: _Reader, body: Any) -> list[Notice]:
    warnings: list[Notice] = []
    for node in body:
        tag = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""
        if tag == "p":
            _paragraph(reader, node)
        elif tag == "tbl":
            reader.paragraph += 1
            first = "".join(t.text or "" for t in node.iter(_q("t"))).strip()
            if first.startswith(HANDOUT_TABLES):
                continue
            rows = list(node.iter(_q("tr")))
            warnings.append(
                Notice(
                    reader.paragraph,
                    _("table"),
                    _(
                        "a table of %(n)s rows: each cell is read as a paragraph of the text; "
                        "check where it belongs."
                    )
                    % {"n": len(rows)},
                    first[:60],
                )
            )
            for p in node.iter(_q("p")):
                _paragraph(reader, p)
        elif tag == "sdt":
            for p in node.iter(_q("p")):
                _paragraph(reader, p)
    return warnings


def _paragraph(reader: _Reader, p: Any) -> None:
    reader.paragraph += 1
    name, style_num = reader.style_of(p)
    num_pr = p.find(f"{_q('pPr')}/{_q('numPr')}")
    reader.paragraphs.append(
        (reader.paragraph, name, num_pr if num_pr is not None else style_num, reader.pieces(p))
    )


def _lines(reader: _Reader, keep: Any) -> list[Line]:
    """The lines of one view of the file (which tracked changes it keeps): Word's
    automatic numbers counted afresh, over the paragraphs that view shows."""
    reader.numbering.counters = {}
    lines: list[Line] = []
    for number, name, num_pr, pieces in reader.paragraphs:
        text = "".join(t for t, change in pieces if keep(change))
        if not text.strip():
            continue
        visible = reader.number_of(num_pr)
        if visible:
            text = f"{visible} {text.lstrip()}"
        first, *rest = text.split("\n")
        lines.append(Line(number, first, _style_kind(name)))
        lines.extend(Line(number, "    " + r) for r in rest if r.strip())
    return lines
