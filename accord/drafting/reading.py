"""Reading a negotiating text as secretariats publish it (pure: of Django only its translation).

``parse_lines`` turns lines (of a plain-text file, or the paragraphs of a .docx) into
provisions, tolerant of what real drafts do, every guess and every change written into
the report with its line:

- markers in any case and spacing: ``PP1`` ``pp 1`` ``OP3``; ``Article 2bis``,
  ``Article 2 bis``, ``1bis.``, ``3 bis``, ``7.bis``, ``ter``, ``quater`` … are provisions
  of their own and keep the number as written (``written``), as does lettering ((g) after
  (e) stays (g)); renumbering is the pen-holder's explicit act;
- ``Article 1 (DEFINITIONS)`` is Article 1 with the heading "Definitions"; a short line
  right after a bare ``Article 3`` is its heading (a guess, reported);
- third and fourth levels ((a) -> (i) -> (A) -> (1));
- a bracket before a marker (``[(c) Pursue …]``) brackets that provision whole;
- the chapeau ("The Parties to this Agreement,"), the formula ("Have agreed as
  follows:"), unnumbered sub-headings (``{Individual efforts}``), chapters, sections,
  annexes, ``* * *`` separators and structural alternatives (``Option I:`` /
  ``Option II: No text``) each have a place;
- footnote references pasted from a PDF (``Parties[ 14]``) are footnotes (``{^14}``),
  never brackets;
- brackets that do not balance in a provision are never a reason to refuse: a bracket
  opened in one provision and closed in a later one is a bracket over that range of
  provisions (``ranges``); any other stray bracket is kept as a literal (escaped) and
  reported with its line, provision and context.

Only what cannot be read at all is an error (``errors``). The plain-text syntax that
``textformat.render_text`` writes is a subset, so an export imports back unchanged.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accord.drafting import brackets
from accord.drafting.numbering import SUFFIXES

_SUFFIX = "|".join(SUFFIXES)
_TITLE = re.compile(r"^Title:\s*(.*)$")
_SEPARATOR = re.compile(r"^\*(?:\s*\*){2,}$")
_SUBHEADING = re.compile(r"^\{([^{}\[\]]+)\}$")
_OPTION = re.compile(
    r"^(Option|Alt\.?|Alternative)\s+([IVXLC]+|\d+|\([a-zA-Z]\)|[a-zA-Z])\s*(?:[:.\u2014\u2013-]\s*|$)(.*)$"
)
_PP = re.compile(rf"^(PP|OP)\s*(\d+)(\s*\.?\s*(?:{_SUFFIX}))?\s*[.:)]?(?=\s|$)", re.I)
_PART = re.compile(r"^(Part|Chapter|Annex)(?:\s+([IVXLCDM]+|\d+|[A-Z])\b)?", re.I)
_SECTION = re.compile(r"^(Section)\s+([IVXLCDM]+|\d+|[A-Z])\b", re.I)
_ARTICLE = re.compile(rf"^(Article)\s+(\d+)(\s*\.?\s*(?:{_SUFFIX}))?\b", re.I)
_TOP_PARAGRAPH = re.compile(r"^Paragraph\s+(\d+)\.\s*")
_PARAGRAPH = re.compile(rf"^(\d+)(?:(\s*\.?\s*(?:{_SUFFIX}))\.?|\.)(?=\s|$)", re.I)
_SUBPARAGRAPH = re.compile(r"^\(([a-z]{1,4}|[A-Z]{1,3}|\d{1,2})\)(?=\s|$)")
_FORMULA = re.compile(r"\b(?:ha(?:ve|s)\s+)?(?:agreed|decided)\s+as\s+follows\s*:?$", re.I)
_FOOTNOTE = re.compile(r"(?<=[A-Za-z.,;:)])\[\s*(\d{1,3})\s*\](?![{\[/])")
_ROMAN = re.compile(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")
_DASHES = " \t:.\u2014\u2013-"
INDENT = "    "


@dataclass(frozen=True)
class Line:
    """One line of a file or one paragraph of a .docx; ``style``: "title", "heading"
    (a Word heading style) or ""."""

    number: int
    text: str
    style: str = ""


@dataclass
class ImportedProvision:
    """One provision read from a file: ``parent`` is the index of its parent in the list;
    ``written`` its number as written (kept until the pen-holder renumbers)."""

    kind: str
    text: str = ""
    heading: str = ""
    parent: int | None = None
    status: str = "open"
    line: int = 0
    written: str = ""
    # (file line, column offset) of each line of ``text``, to place bracket errors.
    origins: list[tuple[int, int]] = field(default_factory=list)
    # Where it is, as a reader names it: "Article 2bis.1(c)".
    place: str = ""

    @property
    def where(self) -> str:
        return self.place or self.written or self.heading[:40] or self.kind


def _located(error: str) -> dict[str, Any]:
    """An error sentence with its line number apart, where it names one."""
    match = re.search(r"(\d+)", error) if re.match(r"\W*\w+ \d+", error) else None
    return {"line": int(match.group(1)) if match else None, "message": error}


@dataclass(frozen=True)
class Notice:
    """A warning or a transformation, where it happened: line (or .docx paragraph),
    provision, and the text around it."""

    line: int
    where: str
    message: str
    context: str = ""
    # Where in the line, roughly (0-based), when the problem is one character (a stray
    # bracket): the preview marks it inside the text. -1: the line as a whole.
    column: int = -1

    def __str__(self) -> str:
        text = _("Line %(line)s (%(where)s): %(message)s") % {
            "line": self.line,
            "where": self.where,
            "message": self.message,
        }
        return f"{text} «{self.context}»" if self.context else text

    def as_dict(self) -> dict[str, object]:
        return {
            "line": self.line,
            "provision": self.where,
            "message": self.message,
            "context": self.context,
        }


@dataclass(frozen=True)
class TrackedProposal:
    """One author's tracked changes to one provision of a .docx, read as a proposed change
    against the text before the changes: ``kind`` "replace" (``text`` is the wording with
    that author's changes), "delete", or "insert" (a new provision of ``new_kind`` after
    the provision ``provision``, None at the start); ``provision`` is an index into the
    report's provisions; ``date`` the latest of the changes as Word wrote it."""

    author: str
    date: str
    line: int
    provision: int | None
    kind: str
    text: str
    new_kind: str

    def as_dict(self) -> dict[str, object]:
        return {
            "author": self.author,
            "date": self.date,
            "line": self.line,
            "kind": self.kind,
            "text": self.text,
        }


@dataclass
class ImportReport:
    provisions: list[ImportedProvision] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)
    title: str = ""
    # Recoverable problems (an unbalanced bracket, a guess): never a reason to refuse.
    warnings: list[Notice] = field(default_factory=list)
    # Every transformation made to the text as read.
    changes: list[Notice] = field(default_factory=list)
    # Brackets over a range of provisions: (index of the first, index of the last).
    ranges: list[tuple[int, int]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    rule: str = ""
    # Tracked changes of a .docx: how many per author, and (when they are to become
    # proposals) each author's changes per provision.
    authors: dict[str, int] = field(default_factory=dict)
    tracked: list[TrackedProposal] = field(default_factory=list)
    # The lines as read (a file's lines, a .docx's paragraphs), for the preview to show
    # each problem inside the text.
    lines: list[Line] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, document: str | None) -> dict[str, Any]:
        """One object for the API and ``accord text import --json``: the document's public
        id (None on a dry run or a refusal), the counts, and every warning, change and
        error with its place."""
        return {
            "document": document,
            **self.counts(),
            "ranges": len(self.ranges),
            "rule": self.rule,
            "understood": self.understood,
            "warnings": [n.as_dict() for n in self.warnings],
            "changes": [n.as_dict() for n in self.changes],
            "authors": self.authors,
            "tracked": [t.as_dict() for t in self.tracked],
            "errors": [_located(e) for e in self.errors],
        }

    def counts(self) -> dict[str, int]:
        """Every ``[ … ]`` pair (options of a set each count, nested ones included, and
        the brackets over ranges), bracketed spans and option sets."""
        pairs = spans = sets = 0
        for item in self.provisions:
            with contextlib.suppress(brackets.BracketError):
                for group in brackets.groups(brackets.parse(item.text)):
                    pairs += len(group.options)
                    if group.is_choice:
                        sets += 1
                    else:
                        spans += 1
        return {
            "provisions": len(self.provisions),
            "brackets": pairs + len(self.ranges),
            "bracketed_spans": spans + len(self.ranges),
            "option_sets": sets,
            "footnotes": len(self.footnotes),
        }


# The rule for adjacent brackets, stated in every report (decision 0126).
ADJACENCY_RULE = gettext_lazy(
    "Adjacent brackets with nothing between them ([a][b]) or a slash ([a] / [b]) are "
    "alternatives; brackets separated by a space ([a] [b]) are two independent spans, "
    "unless they are labelled options ([Option 1: a] [Option 2: b])."
)


@dataclass
class _State:
    report: ImportReport
    part: int | None = None
    article: int | None = None
    paragraph: int | None = None
    subs: list[int] = field(default_factory=list)  # open sub-paragraphs by level
    current: ImportedProvision | None = None


def _heading(rest: str) -> str:
    """ "— Definitions", ": Definitions", "(DEFINITIONS)" -> "Definitions"."""
    text = rest.strip(_DASHES).strip()
    inner = re.fullmatch(r"\((.+)\)", text)
    if inner:
        text = inner.group(1).strip()
    if text.isupper() and len(text) > 3:
        text = text[:1] + text[1:].lower()
    return text


def _sub_level(mark: str, state: _State, items: list[ImportedProvision]) -> int:
    if mark.isdigit():
        return 3
    if mark.isupper():
        return 2
    if _ROMAN.match(mark) and state.subs:
        first = items[state.subs[0]].written.strip("()")
        # (i) right after (h) is a letter; after (a)…(c) it opens the next level.
        if len(mark) == 1 and len(first) == 1 and ord(first) == ord(mark) - 1:
            return 0
        return 1
    return 0


def parse_lines(lines: Iterable[Line], *, parties: Iterable[str] | None = None) -> ImportReport:
    """Read ``lines``; the report lists what was understood, every guess and every problem."""
    report = ImportReport(rule=str(ADJACENCY_RULE))
    state = _State(report)
    items = report.provisions
    lines = list(lines)
    report.lines = lines
    for line in lines:
        raw = line.text.rstrip()
        stripped = raw.strip()
        if not stripped:
            continue
        if line.style == "title" or (_TITLE.match(stripped) and not items and not report.title):
            match = _TITLE.match(stripped)
            report.title = (match.group(1) if match else stripped).strip()
            continue
        if raw.startswith((" ", "\t")) and state.current is not None:
            _continue(state, line.number, stripped, len(raw) - len(raw.lstrip()))
            continue
        _line(state, line, stripped)
    if not items and not report.errors:
        report.errors.append(
            _("No provision was found: each starts with PP1, Part I, Article 1, 1. or (a).")
        )
    _footnotes(report)
    _balance(report)
    known = set(parties) if parties is not None else None
    for item in items:
        _check_sponsors(item, report, known)
    report.understood = _summary(report)
    return report


def _continue(state: _State, number: int, piece: str, offset: int) -> None:
    current = state.current
    assert current is not None
    current.text = f"{current.text}\n{piece}" if current.text else piece
    current.origins.append((number, offset))


def _add(state: _State, item: ImportedProvision, column: int) -> None:
    items = state.report.provisions
    mark = item.written.strip().rstrip(".")
    parent = items[item.parent] if item.parent is not None else None
    if parent is not None and parent.kind == "article" and item.kind == "paragraph":
        item.place = f"{parent.where}.{mark}"
    elif parent is not None and item.kind == "subparagraph":
        item.place = f"{parent.where}{mark}"
    elif item.kind == "paragraph" and mark.isdigit():
        item.place = f"Paragraph {mark}"
    if item.text:
        item.origins.append((item.line, column))
    state.report.provisions.append(item)
    state.current = item


def _line(state: _State, line: Line, stripped: str) -> None:
    report, items, number = state.report, state.report.provisions, line.number
    # A bracket before a marker brackets the provision whole: "[(c) Pursue …]".
    lead = re.match(r"^((?:\[\s*)+)(?=[(\dA-Za-z])", stripped)
    opening = ""
    body = stripped
    if lead and not stripped.startswith("[Option") and _is_marker(stripped[lead.end() :]):
        opening = "[" * lead.group(1).count("[")
        body = stripped[lead.end() :]
    column = len(line.text) - len(line.text.lstrip())

    def where_rest(match: re.Match[str]) -> str:
        return body[match.end() :].strip()

    if _SEPARATOR.match(body):
        item = ImportedProvision("heading", heading="* * *", line=number, parent=state.part)
        state.article = state.paragraph = None
        state.subs = []
        _add(state, item, column)
        return
    sub = _SUBHEADING.match(body)
    if sub and not opening:
        parent: int | None = state.article if state.article is not None else state.part
        _add(
            state,
            ImportedProvision("heading", heading=sub.group(1).strip(), line=number, parent=parent),
            column,
        )
        state.paragraph = None
        state.subs = []
        return
    option = _OPTION.match(body)
    if option:
        label = f"{option.group(1)} {option.group(2)}"
        parent = state.article if state.article is not None else state.part
        item = ImportedProvision(
            "heading",
            heading=label,
            text=opening + option.group(3).strip(),
            line=number,
            parent=parent,
            written=label,
        )
        state.paragraph = None
        state.subs = []
        _add(state, item, column)
        report.changes.append(
            Notice(number, label, _("read as an alternative of the provisions that follow."))
        )
        return
    pp = _PP.match(body)
    if pp:
        written = pp.group(1).upper() + pp.group(2) + (pp.group(3) or "").strip(" .")
        if pp.group(0).rstrip(".:) ") != written:
            report.changes.append(
                Notice(
                    number,
                    written,
                    _("the marker %(marker)s is read as %(written)s.")
                    % {"marker": pp.group(0).strip(), "written": written},
                )
            )
        if pp.group(1).upper() == "PP":
            item = ImportedProvision(
                "preamble", text=opening + where_rest(pp), line=number, written=written
            )
        else:
            item = ImportedProvision(
                "paragraph", text=opening + where_rest(pp), line=number, written=written
            )
            state.paragraph = len(items)
            state.subs = []
        _add(state, item, column + pp.end())
        return
    part = _PART.match(body)
    if part and (part.group(2) or body.strip().lower() == part.group(1).lower()):
        written = " ".join(x for x in (part.group(1).capitalize(), part.group(2)) if x)
        item = ImportedProvision(
            "part", heading=_heading(where_rest(part)), line=number, written=written, text=opening
        )
        state.part, state.article, state.paragraph, state.subs = len(items), None, None, []
        _add(state, item, column)
        return
    section = _SECTION.match(body)
    if section:
        written = f"{section.group(1).capitalize()} {section.group(2)}"
        item = ImportedProvision(
            "heading",
            heading=_heading(where_rest(section)),
            line=number,
            written=written,
            parent=state.part,
            text=opening,
        )
        state.article, state.paragraph, state.subs = None, None, []
        _add(state, item, column)
        return
    article = _ARTICLE.match(body)
    if article:
        written = f"Article {article.group(2)}{article.group(3) or ''}"
        item = ImportedProvision(
            "article",
            heading=_heading(where_rest(article)),
            line=number,
            written=written,
            parent=state.part,
            text=opening,
        )
        state.article, state.paragraph, state.subs = len(items), None, []
        _add(state, item, column)
        return
    top = _TOP_PARAGRAPH.match(body)
    if top:
        item = ImportedProvision(
            "paragraph", text=opening + where_rest(top), line=number, written=top.group(1)
        )
        state.paragraph, state.subs = len(items), []
        _add(state, item, column + top.end())
        return
    para = _PARAGRAPH.match(body)
    if para:
        written = para.group(0).strip()
        parent = state.article if state.article is not None else state.part
        item = ImportedProvision(
            "paragraph",
            text=opening + where_rest(para),
            line=number,
            written=written,
            parent=parent,
        )
        state.paragraph, state.subs = len(items), []
        _add(state, item, column + para.end())
        return
    subp = _SUBPARAGRAPH.match(body)
    if subp:
        mark = subp.group(1)
        level = _sub_level(mark, state, items)
        state.subs = state.subs[:level]
        if level and len(state.subs) == level:
            parent = state.subs[level - 1]
        else:
            parent = state.paragraph if state.paragraph is not None else state.article
            state.subs = []
            level = 0
        if parent is None:
            report.errors.append(
                _("Line %(line)s: a sub-paragraph needs a paragraph or an article before it.")
                % {"line": number}
            )
            return
        item = ImportedProvision(
            "subparagraph",
            text=opening + where_rest(subp),
            line=number,
            written=f"({mark})",
            parent=parent,
        )
        state.subs.append(len(items))
        _add(state, item, column + subp.end())
        return
    # Not a marker: a chapeau, a formula, a heading, a title, or more of the provision.
    if _FORMULA.search(stripped) and len(stripped) < 80:
        _add(state, ImportedProvision("formula", text=stripped, line=number), column)
        state.article = state.paragraph = None
        state.subs = []
        return
    if line.style == "heading":
        _add(
            state,
            ImportedProvision("heading", heading=stripped, line=number, parent=state.part),
            column,
        )
        state.article = state.paragraph = None
        state.subs = []
        return
    current = state.current
    if (
        current is not None
        and current.kind == "article"
        and not current.heading
        and not current.text
        and len(stripped) < 100
        and not stripped.endswith((".", ";", ",", ":"))
        and "[" not in stripped
    ):
        current.heading = _heading(stripped)
        report.changes.append(
            Notice(number, current.where, _("this line is read as the article's heading."))
        )
        return
    if current is None:
        if stripped.endswith(","):
            _add(state, ImportedProvision("chapeau", text=stripped, line=number), column)
            report.changes.append(Notice(number, _("chapeau"), _("read as the chapeau.")))
            state.current = None
        elif not report.title:
            report.title = stripped
            report.changes.append(Notice(number, _("title"), _("read as the title.")))
        else:
            _add(state, ImportedProvision("heading", heading=stripped[:300], line=number), column)
            state.current = None
            report.changes.append(
                Notice(number, _("heading"), _("read as a heading (a subtitle or session line)."))
            )
        return
    if current.kind in ("chapeau", "formula", "heading") and not current.text:
        current.text = stripped
        current.origins.append((number, column))
        return
    _continue(state, number, stripped, column)


def _is_marker(text: str) -> bool:
    return any(
        p.match(text) for p in (_PP, _ARTICLE, _TOP_PARAGRAPH, _PARAGRAPH, _SUBPARAGRAPH, _SECTION)
    ) or bool(_PART.match(text) and re.match(r"^\w+\s+\S", text))


def _footnotes(report: ImportReport) -> None:
    """``Parties[ 14]`` (a footnote reference copied from a PDF) -> ``Parties{^14}``."""
    for item in report.provisions:
        found = _FOOTNOTE.findall(item.text)
        if not found:
            continue
        item.text = _FOOTNOTE.sub(lambda m: "{^" + m.group(1) + "}", item.text)
        report.footnotes.extend(found)
        report.changes.append(
            Notice(
                item.line,
                item.where,
                ngettext(
                    "%(n)s footnote reference kept as a footnote, not a bracket.",
                    "%(n)s footnote references kept as footnotes, not brackets.",
                    len(found),
                )
                % {"n": len(found)},
            )
        )


def _stray(text: str) -> tuple[list[int], list[int]]:
    """Offsets of the unmatched ``[`` and ``]`` of ``text``, by the parser's rules
    (escapes, quotations on one line)."""
    opened: list[int] = []
    closers: list[int] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            i += 2
            continue
        if c in brackets.QUOTES:
            end = text.find(brackets.QUOTES[c], i + 1)
            newline = text.find("\n", i + 1)
            if end > 0 and (newline < 0 or end < newline):
                i = end + 1
                continue
        if c == "[":
            opened.append(i)
        elif c == "]":
            if opened:
                opened.pop()
            else:
                closers.append(i)
        i += 1
    return opened, closers


def _escape_at(text: str, offsets: Iterable[int]) -> str:
    for at in sorted(set(offsets), reverse=True):
        text = text[:at] + "\\" + text[at:]
    return text


def _context(text: str, at: int) -> str:
    return text[max(0, at - 30) : at + 30].replace("\n", " ")


def _line_of(item: ImportedProvision, at: int) -> int:
    row = item.text.count("\n", 0, at)
    return item.origins[row][0] if row < len(item.origins) else item.line


def _column_of(item: ImportedProvision, at: int) -> int:
    """Roughly where offset ``at`` of the provision's text is in its line of the file."""
    row = item.text.count("\n", 0, at)
    if row >= len(item.origins):
        return -1
    return item.origins[row][1] + at - (item.text.rfind("\n", 0, at) + 1)


def _balance(report: ImportReport) -> None:
    """Make every provision's brackets balance without losing a character: a bracket
    opened in one provision and closed in a later one becomes a range; any other stray
    bracket is kept as a literal and reported where it is."""
    items = report.provisions
    escapes: dict[int, list[int]] = {}
    pending: list[tuple[int, int]] = []  # (item, offset) of openers not yet closed
    for index, item in enumerate(items):
        if brackets.validate(item.text) is None:
            continue
        opened, closers = _stray(item.text)
        for at in closers:
            if pending:
                first, first_at = pending.pop()
                escapes.setdefault(first, []).append(first_at)
                escapes.setdefault(index, []).append(at)
                report.ranges.append((first, index))
                report.warnings.append(
                    Notice(
                        items[first].line,
                        items[first].where,
                        _(
                            "a bracket opened here closes in %(last)s (line %(line)s): kept as "
                            "a bracket over the provisions from %(first)s to %(last)s."
                        )
                        % {
                            "first": items[first].where,
                            "last": item.where,
                            "line": _line_of(item, at),
                        },
                        _context(items[first].text, first_at),
                        _column_of(items[first], first_at),
                    )
                )
            else:
                escapes.setdefault(index, []).append(at)
                report.warnings.append(
                    Notice(
                        _line_of(item, at),
                        item.where,
                        _(
                            "a closing bracket has no opening bracket: kept as written, "
                            "to be checked."
                        ),
                        _context(item.text, at),
                        _column_of(item, at),
                    )
                )
        pending.extend((index, at) for at in opened)
    for index, at in pending:
        item = items[index]
        escapes.setdefault(index, []).append(at)
        report.warnings.append(
            Notice(
                _line_of(item, at),
                item.where,
                _("an opening bracket is never closed: kept as written, to be checked."),
                _context(item.text, at),
                _column_of(item, at),
            )
        )
    for index, offsets in escapes.items():
        item = items[index]
        item.text = _escape_at(item.text, offsets)
        error = brackets.validate(item.text)
        if error is not None:  # nested too deep: every bracket of it becomes literal
            item.text = re.sub(r"(?<!\\)([\[\]])", r"\\\1", item.text)
            report.warnings.append(
                Notice(item.line, item.where, str(error.reason), _context(item.text, 0))
            )
    report.ranges.sort()


def _check_sponsors(item: ImportedProvision, report: ImportReport, known: set[str] | None) -> None:
    try:
        used = brackets.sponsors(item.text)
    except brackets.BracketError as error:
        report.errors.append(
            str(BRACKET_ERRORS[error.problem]) % {"line": item.line, "column": error.column}
        )
        return
    if known is not None and used - known:
        codes = ", ".join(sorted(used - known))
        report.errors.append(
            _("Line %(line)s: options are sponsored by parties (%(parties)s); not by %(codes)s.")
            % {"line": item.line, "parties": ", ".join(sorted(known)), "codes": codes}
        )


BRACKET_ERRORS = {
    brackets.BracketProblem.UNOPENED: gettext_lazy(
        "Line %(line)s, column %(column)s: a closing bracket has no opening bracket."
    ),
    brackets.BracketProblem.UNCLOSED: gettext_lazy(
        "Line %(line)s, column %(column)s: an opening bracket is never closed."
    ),
    brackets.BracketProblem.TOO_DEEP: gettext_lazy(
        "Line %(line)s, column %(column)s: brackets are nested deeper than a negotiated text needs."
    ),
}


def _summary(report: ImportReport) -> list[str]:
    kinds: dict[str, int] = {}
    for item in report.provisions:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    counts = report.counts()
    lines = [_counted(kind, n) for kind, n in kinds.items()]
    lines.append(_counted("span", counts["bracketed_spans"]))
    lines.append(_counted("option_set", counts["option_sets"]))
    if report.footnotes:
        lines.append(_counted("footnote", len(report.footnotes)))
    return lines


def _counted(kind: str, n: int) -> str:
    """``n`` things of ``kind``, one translated phrase (the plural chosen by the language)."""
    singular, plural = {
        "preamble": ("%(n)s preambular paragraph", "%(n)s preambular paragraphs"),
        "part": ("%(n)s part", "%(n)s parts"),
        "article": ("%(n)s article", "%(n)s articles"),
        "paragraph": ("%(n)s paragraph", "%(n)s paragraphs"),
        "subparagraph": ("%(n)s sub-paragraph", "%(n)s sub-paragraphs"),
        "chapeau": ("%(n)s chapeau", "%(n)s chapeaux"),
        "formula": ("%(n)s formula", "%(n)s formulas"),
        "heading": ("%(n)s heading", "%(n)s headings"),
        "span": ("%(n)s bracketed span", "%(n)s bracketed spans"),
        "option_set": ("%(n)s option set", "%(n)s option sets"),
        "footnote": ("%(n)s footnote", "%(n)s footnotes"),
    }[kind]
    return ngettext(singular, plural, n) % {"n": n}


def text_lines(content: str) -> list[Line]:
    return [Line(n, raw) for n, raw in enumerate(content.splitlines(), start=1)]


def parse_text(content: str, *, parties: Iterable[str] | None = None) -> ImportReport:
    """Read plain text (one provision a line, continuation lines indented)."""
    return parse_lines(text_lines(content), parties=parties)


def kinds_in(items: Sequence[ImportedProvision]) -> list[str]:
    return [i.kind for i in items]
