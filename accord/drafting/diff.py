"""Provision-aware comparison of two revision snapshots (pure: no Django).

A snapshot is ``{"provisions": [{"wid", "parent", "kind", "heading", "text", "label", ...}]}``
in document order. Provisions are followed by identity (``wid``), never by position: a
provision that changed place is a *move* (with its old and new label), not a deletion
and an insertion; one whose label changed only because a neighbour went is *renumbered*.
Inside a provision the change is word by word, over the text as a reader sees it
(``brackets.readable``: brackets and option labels, no sponsor markup), and bracket
changes (groups resolved, added, options added or withdrawn) are listed by themselves.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.drafting import brackets

ADDED = "added"
DELETED = "deleted"
CHANGED = "changed"
UNCHANGED = "unchanged"

# Words keep their trailing space: a bare space token would match everywhere and make
# the matcher quadratic; brackets, braces and slashes are tokens of their own.
_TOKEN = re.compile(r"\\.\s*|[\[\]{}/]\s*|[^\s\[\]{}/\\]+\s*|\s+")


@dataclass(frozen=True)
class WordOp:
    op: str  # "equal", "insert", "delete"
    text: str


@dataclass
class ProvisionDiff:
    wid: str
    change: str  # added / deleted / changed / unchanged (of the wording)
    kind: str
    label_before: str | None
    label_after: str | None
    moved: bool = False
    renumbered: bool = False
    heading_before: str = ""
    heading_after: str = ""
    words: list[WordOp] = field(default_factory=list)
    brackets_before: int = 0
    brackets_after: int = 0
    groups_removed: list[str] = field(default_factory=list)
    groups_added: list[str] = field(default_factory=list)

    @property
    def interesting(self) -> bool:
        return self.change != UNCHANGED or self.moved or self.renumbered


@dataclass
class DocumentDiff:
    entries: list[ProvisionDiff]
    brackets_before: int
    brackets_after: int

    def count(self, change: str) -> int:
        return sum(1 for e in self.entries if e.change == change)

    @property
    def moved(self) -> int:
        return sum(1 for e in self.entries if e.moved)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(before: str, after: str) -> list[WordOp]:
    if before == after:
        return [WordOp("equal", before)] if before else []
    a, b = tokens(before), tokens(after)
    ops: list[WordOp] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(WordOp("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(WordOp("insert", "".join(b[j1:j2])))
    return ops


def _group_texts(text: str) -> list[str]:
    try:
        segments = brackets.parse(text)
    except brackets.BracketError:
        return []
    return [brackets.readable(text[g.start : g.end]) for g in brackets.groups(segments)]


def _bracket_total(text: str) -> int:
    try:
        return brackets.count(text).total
    except brackets.BracketError:
        return 0


def _stored_total(provision: Mapping[str, Any]) -> int:
    """The provision's bracket count: stored in the snapshot, or computed from its text."""
    stored = provision.get("brackets")
    if isinstance(stored, int):
        return stored
    return _bracket_total(provision.get("text", ""))


def _moved(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> set[str]:
    """Provisions whose order relative to the others, or whose parent, changed."""
    common = {p["wid"] for p in before} & {p["wid"] for p in after}
    a = [p["wid"] for p in before if p["wid"] in common]
    b = [p["wid"] for p in after if p["wid"] in common]
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        kept.update(a[block.a : block.a + block.size])
    parent_a = {p["wid"]: p.get("parent") for p in before}
    parent_b = {p["wid"]: p.get("parent") for p in after}
    return {w for w in common if w not in kept or parent_a[w] != parent_b[w]}


def diff_snapshots(before: Mapping[str, Any], after: Mapping[str, Any]) -> DocumentDiff:
    """Compare two snapshots; entries in the new order, deletions where they used to be."""
    old = list(before.get("provisions", []))
    new = list(after.get("provisions", []))
    old_by_wid = {p["wid"]: p for p in old}
    new_wids = {p["wid"] for p in new}
    moved = _moved(old, new)
    entries: list[ProvisionDiff] = []
    emitted_deleted: set[str] = set()
    # Deleted provisions are shown after the surviving provision that preceded them.
    deleted_after: dict[str | None, list[Mapping[str, Any]]] = {}
    previous: str | None = None
    for p in old:
        if p["wid"] in new_wids:
            previous = p["wid"]
        else:
            deleted_after.setdefault(previous, []).append(p)

    def emit_deleted(anchor: str | None) -> None:
        for p in deleted_after.get(anchor, []):
            if p["wid"] in emitted_deleted:
                continue
            emitted_deleted.add(p["wid"])
            text = p.get("text", "")
            entries.append(
                ProvisionDiff(
                    wid=p["wid"],
                    change=DELETED,
                    kind=p.get("kind", ""),
                    label_before=p.get("label"),
                    label_after=None,
                    heading_before=p.get("heading", ""),
                    words=[WordOp("delete", brackets.readable(text))] if text else [],
                    brackets_before=_stored_total(p),
                    groups_removed=_group_texts(text),
                )
            )

    emit_deleted(None)
    for p in new:
        wid = p["wid"]
        text_after = p.get("text", "")
        was = old_by_wid.get(wid)
        if was is None:
            entries.append(
                ProvisionDiff(
                    wid=wid,
                    change=ADDED,
                    kind=p.get("kind", ""),
                    label_before=None,
                    label_after=p.get("label"),
                    heading_after=p.get("heading", ""),
                    words=[WordOp("insert", brackets.readable(text_after))] if text_after else [],
                    brackets_after=_stored_total(p),
                    groups_added=_group_texts(text_after),
                )
            )
            continue
        text_before = was.get("text", "")
        same = text_before == text_after and was.get("heading", "") == p.get("heading", "")
        if same:
            groups_before = groups_after = []
        else:
            groups_before, groups_after = _group_texts(text_before), _group_texts(text_after)
        entry = ProvisionDiff(
            wid=wid,
            change=UNCHANGED if same else CHANGED,
            kind=p.get("kind", ""),
            label_before=was.get("label"),
            label_after=p.get("label"),
            moved=wid in moved,
            heading_before=was.get("heading", ""),
            heading_after=p.get("heading", ""),
            words=word_diff(brackets.readable(text_before), brackets.readable(text_after)),
            brackets_before=_stored_total(was),
            brackets_after=_stored_total(p),
            groups_removed=[g for g in groups_before if g not in groups_after],
            groups_added=[g for g in groups_after if g not in groups_before],
        )
        entry.renumbered = not entry.moved and entry.label_before != entry.label_after
        entries.append(entry)
        emit_deleted(wid)
    for anchor in list(deleted_after):
        emit_deleted(anchor)
    return DocumentDiff(
        entries=entries,
        brackets_before=sum(_stored_total(p) for p in old),
        brackets_after=sum(_stored_total(p) for p in new),
    )
