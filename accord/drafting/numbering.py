"""Automatic numbering of a provision tree (pure: no Django).

Identity and numbering are separate, as in Akoma Ntoso: every provision keeps its
``wid`` (a uuid) for ever; its ``eid`` ("art_4__para_2") and its display label
("Article 4.2") are recomputed from its place in the tree after every change, so a
reference stored by ``wid`` still finds "Article 4.2" once Article 3 is gone — it is
then shown as "Article 3.2".

Articles, parts and preambular paragraphs are numbered through the whole document;
paragraphs within their parent (or through the document at top level); sub-paragraphs
with letters within their paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PREAMBLE = "preamble"
PART = "part"
ARTICLE = "article"
PARAGRAPH = "paragraph"
SUBPARAGRAPH = "subparagraph"
# Parts of a text that carry no number: "The Parties to this Agreement," (the chapeau),
# "Have agreed as follows:" (the formula), and unnumbered headings (a chapter's or
# section's title, "{Individual efforts}", an annex, "* * *", "Option I").
CHAPEAU = "chapeau"
FORMULA = "formula"
HEADING = "heading"
KINDS = (PREAMBLE, PART, ARTICLE, PARAGRAPH, SUBPARAGRAPH, CHAPEAU, FORMULA, HEADING)
UNNUMBERED = (CHAPEAU, FORMULA, HEADING)
# Which kinds may sit directly under which (None: top level).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    PREAMBLE: (None,),
    PART: (None,),
    ARTICLE: (None, PART),
    PARAGRAPH: (None, ARTICLE, PART),
    # Third and fourth levels: (a) -> (i) -> (A).
    SUBPARAGRAPH: (PARAGRAPH, ARTICLE, SUBPARAGRAPH),
    CHAPEAU: (None,),
    FORMULA: (None,),
    HEADING: (None, PART, ARTICLE),
}
# The suffixes of an inserted provision, as negotiators write them ("2bis", "3 ter").
SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")


@dataclass(frozen=True)
class Node:
    wid: str
    parent: str | None
    kind: str
    # The number as written ("2bis", "(g)", "OP3"): kept until the pen-holder renumbers.
    written: str = ""


@dataclass(frozen=True)
class Number:
    eid: str
    label: str  # "Article 4.2", "PP3", "Part II", "Article 4.2(b)"
    num: str  # what is printed before the text: "4.2", "Article 4", "(b)"


def roman(n: int) -> str:
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def token(written: str) -> str:
    """The id-safe core of a written number: "Article 2 bis" -> "2bis", "(g)" -> "g",
    "7.bis" -> "7bis", "PP 3" -> "3"."""
    core = re.sub(
        r"^(?:article|part|chapter|annex|section|pp|op)\s*", "", written.strip(), flags=re.I
    )
    return re.sub(r"[^0-9A-Za-z]", "", core) or "x"


def sub_mark(depth: int, nth: int) -> str:
    """A sub-paragraph's mark by its level: (a), then (i), then (A), then (1)."""
    if depth <= 0:
        return letters(nth)
    if depth == 1:
        return roman(nth).lower()
    if depth == 2:
        return letters(nth).upper()
    return str(nth)


def number(nodes: Iterable[Node]) -> dict[str, Number]:
    """Number ``nodes``, given in document order (a parent before its children).

    A node with a ``written`` number keeps it ("Article 2bis", "(g)"): a negotiated text
    is never renumbered silently; the counters still advance, so what follows an
    inserted "2bis" is numbered as if the insertion were not there.
    """
    result: dict[str, Number] = {}
    kinds: dict[str, str] = {}
    levels: dict[str, int] = {}
    child_counts: dict[str | None, dict[str, int]] = {}
    totals = {PREAMBLE: 0, PART: 0, ARTICLE: 0, PARAGRAPH: 0, HEADING: 0}
    for node in nodes:
        kinds[node.wid] = node.kind
        parent_number = result.get(node.parent) if node.parent else None
        parent_kind = kinds.get(node.parent) if node.parent else None
        siblings = child_counts.setdefault(node.parent, {})
        inserted = bool(node.written) and token(node.written).lower().endswith(SUFFIXES)
        if not inserted:
            siblings[node.kind] = siblings.get(node.kind, 0) + 1
        nth = siblings.get(node.kind, 0)
        if node.kind == SUBPARAGRAPH:
            levels[node.wid] = (
                levels.get(node.parent or "", -1) + 1 if parent_kind == SUBPARAGRAPH else 0
            )
        if node.written:
            result[node.wid] = _written(node, parent_number, parent_kind, totals)
            continue
        if node.kind in UNNUMBERED:
            totals[HEADING] += 1
            n = totals[HEADING]
            base = f"{parent_number.eid}__" if parent_number else ""
            prefix = {CHAPEAU: "chapeau", FORMULA: "formula"}.get(node.kind, "hcontainer")
            result[node.wid] = Number(f"{base}{prefix}_{n}", "", "")
        elif node.kind == PREAMBLE:
            totals[PREAMBLE] += 1
            n = totals[PREAMBLE]
            result[node.wid] = Number(f"pp_{n}", f"PP{n}", f"PP{n}")
        elif node.kind == PART:
            totals[PART] += 1
            n = totals[PART]
            result[node.wid] = Number(f"part_{n}", f"Part {roman(n)}", f"Part {roman(n)}")
        elif node.kind == ARTICLE:
            totals[ARTICLE] += 1
            n = totals[ARTICLE]
            result[node.wid] = Number(f"art_{n}", f"Article {n}", f"Article {n}")
        elif node.kind == PARAGRAPH:
            if parent_number is not None and parent_kind == ARTICLE:
                article = parent_number.label.removeprefix("Article ")
                result[node.wid] = Number(
                    f"{parent_number.eid}__para_{nth}", f"Article {article}.{nth}", f"{nth}."
                )
            else:
                totals[PARAGRAPH] += 1
                n = totals[PARAGRAPH]
                result[node.wid] = Number(f"para_{n}", f"Paragraph {n}", f"{n}.")
        else:
            mark = sub_mark(levels[node.wid], nth)
            if parent_number is not None:
                result[node.wid] = Number(
                    f"{parent_number.eid}__subpara_{mark}",
                    f"{parent_number.label}({mark})",
                    f"({mark})",
                )
            else:
                result[node.wid] = Number(f"subpara_{mark}", f"({mark})", f"({mark})")
    return result


def _written(
    node: Node, parent_number: Number | None, parent_kind: str | None, totals: dict[str, int]
) -> Number:
    """The number of a provision that keeps its number as written."""
    written = node.written.strip()
    core = token(written)
    if node.kind == PREAMBLE:
        totals[PREAMBLE] += 0 if core.lower().endswith(SUFFIXES) else 1
        return Number(f"pp_{core}", written, written)
    if node.kind == PART:
        totals[PART] += 1
        return Number(f"part_{core}", written, written)
    if node.kind == ARTICLE:
        totals[ARTICLE] += 0 if core.lower().endswith(SUFFIXES) else 1
        return Number(f"art_{core}", written, written)
    if node.kind == PARAGRAPH:
        shown = written if written.endswith(".") or not written[-1:].isdigit() else f"{written}."
        if parent_number is not None and parent_kind == ARTICLE:
            article = parent_number.label.removeprefix("Article ")
            return Number(f"{parent_number.eid}__para_{core}", f"Article {article}.{core}", shown)
        totals[PARAGRAPH] += 0 if core.lower().endswith(SUFFIXES) else 1
        if written.upper().startswith("OP"):
            return Number(f"para_{core}", written, written)
        return Number(f"para_{core}", f"Paragraph {core}", shown)
    if node.kind == SUBPARAGRAPH:
        shown = written if written.startswith("(") else f"({written})"
        if parent_number is not None:
            return Number(
                f"{parent_number.eid}__subpara_{core}", f"{parent_number.label}{shown}", shown
            )
        return Number(f"subpara_{core}", shown, shown)
    totals[HEADING] += 1
    base = f"{parent_number.eid}__" if parent_number else ""
    return Number(f"{base}hcontainer_{totals[HEADING]}", written, written)


_WORDED = re.compile(r"^(Part|Chapter|Annex|Section)(?:\s+(\S+))?$", re.I)


def renumbered_written(nodes: Iterable[Node]) -> dict[str, str]:
    """What each provision keeps as written when the pen-holder renumbers (decision
    0127): nothing, so it takes the number of its place, except what has a word of its
    own. A part written "Chapter 2bis" or "Annex B" stays a chapter or an annex, numbered
    in its own sequence (chapters and parts apart) in the numerals it was written in; a
    "Section" likewise within its parent; an alternative's label ("Option II") is kept."""
    out: dict[str, str] = {}
    seen: dict[tuple[str | None, str], int] = {}
    for node in nodes:
        written = node.written.strip()
        match = _WORDED.match(written) if node.kind in (PART, HEADING) else None
        if match is None or match.group(2) is None:  # "Annex" alone stays "Annex"
            out[node.wid] = written if node.kind == HEADING or match is not None else ""
            continue
        word = match.group(1).capitalize()
        key = (node.parent if word == "Section" else None, word)
        seen[key] = seen.get(key, 0) + 1
        n = seen[key]
        old = re.sub(rf"(?:{'|'.join(SUFFIXES)})$", "", token(match.group(2)), flags=re.I)
        if old.isdigit():
            shown = str(n)
        elif re.fullmatch(r"[A-Z]", old) and word == "Annex":
            shown = letters(n).upper()
        else:
            shown = roman(n)
        out[node.wid] = f"{word} {shown}"
    return out
