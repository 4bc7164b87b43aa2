"""The plain-text form of a negotiating text (pure: of Django only its translation).

One provision per line, starting with its marker; numbers are kept as written (decision
0127). Continuation lines are indented by four spaces. ``drafting.reading`` reads it,
and much more of what real drafts do; this module writes it.

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

from collections.abc import Mapping
from typing import Any

# The reader lives in ``drafting.reading``; its names are re-exported here, where the
# plain-text form has always been read and written.
from accord.drafting.reading import (  # noqa: F401
    BRACKET_ERRORS,
    ImportedProvision,
    ImportReport,
    Notice,
    parse_text,
)

INDENT = "    "


def marker_for(provision: Mapping[str, Any], previous_kinds: set[str]) -> str:
    """The line marker for one provision of a snapshot (see the module docstring)."""
    kind, num, label = provision["kind"], provision.get("num", ""), provision.get("label", "")
    heading = provision.get("heading", "")
    if kind in ("part", "article"):
        return f"{label} — {heading}" if heading else label
    if kind in ("chapeau", "formula"):
        return ""
    if kind == "heading":
        if heading == "* * *" or (label and not heading):
            return label or heading
        if label:
            return f"{label}: " if label.startswith(("Option", "Alt")) else f"{label} — {heading}"
        return "{" + heading + "}"
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
        if provision["kind"] in ("part", "article") or (
            provision["kind"] == "heading" and not marker.endswith(": ")
        ):
            lines.append(marker)
            lines.extend(INDENT + t for t in text_lines)
        else:
            first = text_lines[0] if text_lines else ""
            gap = "" if not marker or marker.endswith(" ") else " "
            lines.append(f"{marker}{gap}{first}".rstrip())
            lines.extend(INDENT + t for t in text_lines[1:])
    return "\n".join(lines) + "\n"
