"""The provision tree in document order, and the fingerprint of a wording (no Django).

``tree_order`` walks any rows with ``pk``, ``parent_id`` and ``order`` depth first;
``text_sha256`` is what a position records of the wording it was stated on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, TypeVar

N = TypeVar("N")


def tree_order(provisions: Iterable[N]) -> list[N]:
    """``provisions`` (rows with ``pk``, ``parent_id`` and ``order``) in document order:
    depth first, siblings by ``order``."""
    children: dict[Any, list[Any]] = {}
    node: Any
    for node in provisions:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda p: (p.order, p.pk or 0))
    out: list[Any] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return out


def text_sha256(text: str) -> str:
    """The fingerprint of a wording: a position stated on other words is stale."""
    return hashlib.sha256(text.encode()).hexdigest()
