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

from collections.abc import Iterable
from dataclasses import dataclass

PREAMBLE = "preamble"
PART = "part"
ARTICLE = "article"
PARAGRAPH = "paragraph"
SUBPARAGRAPH = "subparagraph"
KINDS = (PREAMBLE, PART, ARTICLE, PARAGRAPH, SUBPARAGRAPH)
# Which kinds may sit directly under which (None: top level).
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    PREAMBLE: (None,),
    PART: (None,),
    ARTICLE: (None, PART),
    PARAGRAPH: (None, ARTICLE, PART),
    SUBPARAGRAPH: (PARAGRAPH, ARTICLE),
}


@dataclass(frozen=True)
class Node:
    wid: str
    parent: str | None
    kind: str


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


def number(nodes: Iterable[Node]) -> dict[str, Number]:
    """Number ``nodes``, given in document order (a parent before its children)."""
    result: dict[str, Number] = {}
    kinds: dict[str, str] = {}
    child_counts: dict[str | None, dict[str, int]] = {}
    totals = {PREAMBLE: 0, PART: 0, ARTICLE: 0, PARAGRAPH: 0}
    for node in nodes:
        kinds[node.wid] = node.kind
        parent_number = result.get(node.parent) if node.parent else None
        parent_kind = kinds.get(node.parent) if node.parent else None
        siblings = child_counts.setdefault(node.parent, {})
        siblings[node.kind] = siblings.get(node.kind, 0) + 1
        nth = siblings[node.kind]
        if node.kind == PREAMBLE:
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
            mark = letters(nth)
            if parent_number is not None:
                result[node.wid] = Number(
                    f"{parent_number.eid}__subpara_{mark}",
                    f"{parent_number.label}({mark})",
                    f"({mark})",
                )
            else:
                result[node.wid] = Number(f"subpara_{mark}", f"({mark})", f"({mark})")
    return result
