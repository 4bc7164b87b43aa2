"""Compliance status rolled up (no Django): progress as a share of weight, like
Decidim's accountability, by party, body and article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# What counts as done: a published "verified" finding.
DONE = "verified"


@dataclass(frozen=True)
class Item:
    """One commitment as the roll-up sees it (``weight`` >= 1)."""

    party: str
    body: str
    article: str
    status: str
    weight: int = 1


@dataclass(frozen=True)
class Share:
    """``done`` of ``total`` weight; ``count`` commitments; ``percent`` rounded down."""

    key: str
    done: int
    total: int
    count: int

    @property
    def percent(self) -> int:
        return (100 * self.done) // self.total if self.total else 0


def rollup(items: Iterable[Item], by: str) -> list[Share]:
    """Progress per value of ``by`` (``party``, ``body`` or ``article``), in first-seen
    order; items with no value for ``by`` are left out."""
    done: dict[str, int] = {}
    total: dict[str, int] = {}
    count: dict[str, int] = {}
    for item in items:
        key = getattr(item, by)
        if not key:
            continue
        weight = max(1, item.weight)
        total[key] = total.get(key, 0) + weight
        count[key] = count.get(key, 0) + 1
        done[key] = done.get(key, 0) + (weight if item.status == DONE else 0)
    return [Share(key, done[key], total[key], count[key]) for key in total]


def overall(items: Iterable[Item]) -> Share:
    """Progress of every item together."""
    listed = list(items)
    total = sum(max(1, i.weight) for i in listed)
    done = sum(max(1, i.weight) for i in listed if i.status == DONE)
    return Share("", done, total, len(listed))
