"""The plain-text form of a negotiating text (pure: of Django only its translation).

One provision per line, starting with its marker; numbers in markers are informative
(the text is renumbered on import). Continuation lines are indented by four spaces.

    Title: Annex I — Nuclear
    PP1 Recalling the Islamabad Memorandum of Understanding,
    Part I — General provisions
    Article 1 — Enrichment
    1. Enrichment shall not exceed [3.67]{US}[5]{IR} per cent.
    (a) the number of centrifuges shall not exceed [5,060]{US};
    Paragraph 7. A top-level paragraph that follows an article.

A paragraph belongs to the last article (else the last part, else the top level); a
sub-paragraph to the last paragraph of that article (else the article); an article to
the last part. "N." before any article or part, and "Paragraph N." anywhere, is a
top-level paragraph. Brackets follow ``drafting.brackets``; an error names its line and
column in the file. The report's errors are shown to the user, so each is one sentence
marked for translation (translated when the file is read, in the active language).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accord.drafting import brackets

_PREAMBLE = re.compile(r"^PP\s*(\d+)\.?(?:\s+|$)")
_PART = re.compile(r"^Part\s+([IVXLCDM]+|\d+)\b\s*(?:[\u2014\u2013:-]\s*)?")
_ARTICLE = re.compile(r"^Article\s+(\d+)\b\s*(?:[\u2014\u2013:-]\s*)?")
_TOP_PARAGRAPH = re.compile(r"^Paragraph\s+(\d+)\.\s*")
_PARAGRAPH = re.compile(r"^(\d+)\.(?:\s+|$)")
_SUBPARAGRAPH = re.compile(r"^\(([a-z]{1,3})\)(?:\s+|$)")
_TITLE = re.compile(r"^Title:\s*(.*)$")
INDENT = "    "


@dataclass
class ImportedProvision:
    """One provision read from a file: ``parent`` is the index of its parent in the list."""

    kind: str
    text: str = ""
    heading: str = ""
    parent: int | None = None
    status: str = "open"
    line: int = 0
    # (file line, column offset) of each line of ``text``, to place bracket errors.
    origins: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ImportReport:
    provisions: list[ImportedProvision] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_text(content: str, *, parties: Iterable[str] | None = None) -> ImportReport:
    """Read ``content``; the report lists what was understood and every error, by line."""
    report = ImportReport()
    items = report.provisions
    last: dict[str, int | None] = {"part": None, "article": None, "paragraph": None}
    current: ImportedProvision | None = None
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        title = _TITLE.match(line)
        if title and not items and not report.title:
            report.title = title.group(1).strip()
            continue
        if raw.startswith((" ", "\t")) or not _marker(line):
            if current is None:
                report.errors.append(
                    _("Line %(line)s: text before the first provision.") % {"line": number}
                )
                continue
            piece = line.strip()
            if current.text:
                current.text += "\n" + piece
            else:
                current.text = piece
            current.origins.append((number, len(line) - len(line.lstrip())))
            continue
        kind, match = _marker(line)  # type: ignore[misc]
        rest = line[match.end() :]
        item = ImportedProvision(kind=kind, line=number)
        if kind == "preamble":
            item.text = rest.strip()
        elif kind == "part":
            item.heading = rest.strip()
            last.update(part=len(items), article=None, paragraph=None)
        elif kind == "article":
            item.heading = rest.strip()
            item.parent = last["part"]
            last.update(article=len(items), paragraph=None)
        elif kind == "top_paragraph":
            item.kind = "paragraph"
            item.text = rest.strip()
            last.update(paragraph=len(items))
        elif kind == "paragraph":
            item.text = rest.strip()
            item.parent = last["article"] if last["article"] is not None else last["part"]
            last.update(paragraph=len(items))
        else:
            item.text = rest.strip()
            item.parent = last["paragraph"] if last["paragraph"] is not None else last["article"]
            if item.parent is None:
                report.errors.append(
                    _("Line %(line)s: a sub-paragraph needs a paragraph or an article before it.")
                    % {"line": number}
                )
                continue
        if item.text:
            item.origins.append((number, match.end() + (len(rest) - len(rest.lstrip()))))
        items.append(item)
        current = item
    known = set(parties) if parties is not None else None
    for item in items:
        _check_brackets(item, report, known)
    if not items and not report.errors:
        report.errors.append(
            _("No provision was found: each starts with PP1, Part I, Article 1, 1. or (a).")
        )
    report.understood = _summary(items)
    return report


def _marker(line: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in (
        ("preamble", _PREAMBLE),
        ("part", _PART),
        ("article", _ARTICLE),
        ("top_paragraph", _TOP_PARAGRAPH),
        ("paragraph", _PARAGRAPH),
        ("subparagraph", _SUBPARAGRAPH),
    ):
        match = pattern.match(line)
        if match:
            return kind, match
    return None


# What ``brackets`` found wrong, as a whole sentence (the pure bracket module names the
# problem; it is put into words here).
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


def _check_brackets(item: ImportedProvision, report: ImportReport, known: set[str] | None) -> None:
    try:
        used = brackets.sponsors(item.text)
    except brackets.BracketError as error:
        line, column = item.line, error.column
        if 0 < error.line <= len(item.origins):
            line, offset = item.origins[error.line - 1]
            column = offset + error.column
        report.errors.append(str(BRACKET_ERRORS[error.problem]) % {"line": line, "column": column})
        return
    if known is not None and used - known:
        codes = ", ".join(sorted(used - known))
        report.errors.append(
            _("Line %(line)s: options are sponsored by parties (%(parties)s); not by %(codes)s.")
            % {"line": item.line, "parties": ", ".join(sorted(known)), "codes": codes}
        )


def _summary(items: Sequence[ImportedProvision]) -> list[str]:
    counts: dict[str, int] = {}
    total = brackets.Counts()
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
        with contextlib.suppress(brackets.BracketError):
            total = total + brackets.count(item.text)
    lines = [_counted(kind, n) for kind, n in counts.items()]
    lines.append(_counted("span", total.spans))
    lines.append(_counted("option_set", total.option_sets))
    return lines


def _counted(kind: str, n: int) -> str:
    """``n`` things of ``kind``, one translated phrase (the plural chosen by the language)."""
    singular, plural = {
        "preamble": ("%(n)s preambular paragraph", "%(n)s preambular paragraphs"),
        "part": ("%(n)s part", "%(n)s parts"),
        "article": ("%(n)s article", "%(n)s articles"),
        "paragraph": ("%(n)s paragraph", "%(n)s paragraphs"),
        "subparagraph": ("%(n)s sub-paragraph", "%(n)s sub-paragraphs"),
        "span": ("%(n)s bracketed span", "%(n)s bracketed spans"),
        "option_set": ("%(n)s option set", "%(n)s option sets"),
    }[kind]
    return ngettext(singular, plural, n) % {"n": n}


def marker_for(provision: Mapping[str, Any], previous_kinds: set[str]) -> str:
    """The line marker for one provision of a snapshot (see the module docstring)."""
    kind, num, label = provision["kind"], provision.get("num", ""), provision.get("label", "")
    heading = provision.get("heading", "")
    if kind in ("part", "article"):
        return f"{label} — {heading}" if heading else label
    if kind == "preamble":
        return label
    if kind == "paragraph" and provision.get("parent") is None:
        if previous_kinds & {"article", "part"}:
            return f"{label}."
        return num
    return num


def render_text(snapshot: Mapping[str, Any]) -> str:
    """The plain-text form of a snapshot (``selectors.document_snapshot`` or a revision's)."""
    lines = [f"Title: {snapshot.get('title', '')}", ""]
    seen: set[str] = set()
    for provision in snapshot.get("provisions", []):
        marker = marker_for(provision, seen)
        seen.add(provision["kind"])
        text_lines = provision.get("text", "").split("\n") if provision.get("text") else []
        if provision["kind"] in ("part", "article"):
            lines.append(marker)
            lines.extend(INDENT + t for t in text_lines)
        else:
            first = text_lines[0] if text_lines else ""
            lines.append(f"{marker} {first}".rstrip())
            lines.extend(INDENT + t for t in text_lines[1:])
    return "\n".join(lines) + "\n"
