"""What waits for someone: the shared shape of a desk item and the one registry of kinds.

Each app that has something waiting for a person (a message to acknowledge, a proposal
to decide, minutes to approve...) provides ``accord/<app>/attention.py``, which
registers its kinds from the app's ``AppConfig.ready()``::

    attention_register(MESSAGES_TO_ACKNOWLEDGE, messages_to_acknowledge)

A provider takes the person and returns the ``AttentionItem``s waiting for them, read
only through its app's selectors and access (so it can only ever return what the
policy already lets that person read), and asks its app's ``may_`` predicates whether
the person is the one asked. The desk (``accord.dashboard``) calls ``attention_for``
and knows no kind by name: a new app adds kinds without touching it (decision 0073).
This module sits low, beside ``search_base``, so feature apps need not import the
dashboard.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from accord.accounts.models import User

# The first words of a text shown on the desk ("what it is about").
ABOUT_WORDS = 12


@dataclass(frozen=True)
class AttentionKind:
    """A kind of desk item: ``code`` names it (``channels.message_to_acknowledge``),
    ``title`` heads its list (translated lazily), ``order`` places it on the desk
    (lower first: what is most urgent)."""

    code: str
    title: Any  # a lazy translated string
    order: int = 100


@dataclass(frozen=True)
class AttentionItem:
    """One thing waiting for the person: a sentence saying what to do, what it is about,
    a link to where to do it, and its deadline (a date or a moment; None: no deadline;
    ``deadline_for`` names what is due then when it is not the item itself).

    ``subject`` is the thing's event subject (``message:<uuid>``), never a row key;
    ``urgent`` marks what should stand out (a FLASH, an overdue item); ``badges`` are
    short labels shown before the sentence (a precedence, a channel)."""

    kind: str
    sentence: str
    url: str
    subject: str
    about: str = ""
    deadline: dt.datetime | dt.date | None = None
    # What the deadline is, when it is not the item's own (a milestone's code).
    deadline_for: str = ""
    urgent: bool = False
    badges: tuple[str, ...] = ()

    @property
    def deadline_has_time(self) -> bool:
        return isinstance(self.deadline, dt.datetime)

    @property
    def overdue(self) -> bool:
        """Past its deadline: a moment gone, or a day before today (UTC, as the sweeps
        count it)."""
        if self.deadline is None:
            return False
        now = timezone.now()
        if isinstance(self.deadline, dt.datetime):
            return self.deadline < now
        return self.deadline < now.astimezone(dt.UTC).date()

    def sort_key(self) -> tuple[bool, bool, float]:
        """Urgent first, then by deadline (soonest first; none last)."""
        if self.deadline is None:
            return (not self.urgent, True, 0.0)
        moment = self.deadline
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time(23, 59), tzinfo=dt.UTC)
        return (not self.urgent, False, moment.timestamp())


Provider = Callable[["User"], Iterable[AttentionItem]]


@dataclass
class AttentionGroup:
    """One kind on someone's desk: its items, most pressing first."""

    kind: AttentionKind
    items: list[AttentionItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


_registry: dict[str, tuple[AttentionKind, Provider]] = {}


def attention_register(kind: AttentionKind, provider: Provider) -> None:
    """Register ``provider`` for ``kind`` (again: replaced, so ``ready()`` may run twice)."""
    _registry[kind.code] = (kind, provider)


def attention_kinds() -> list[AttentionKind]:
    """Every registered kind, in desk order."""
    return sorted((kind for kind, _ in _registry.values()), key=lambda k: (k.order, k.code))


def attention_for(actor: User | None) -> list[AttentionGroup]:
    """What waits for ``actor``: one group per kind that has items, in desk order.

    Nobody (anonymous, an operator without a delegation) has a desk: providers answer
    through the access policy, which clears such users for nothing.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    groups = []
    for kind in attention_kinds():
        provider = _registry[kind.code][1]
        items = sorted(provider(actor), key=AttentionItem.sort_key)
        if items:
            groups.append(AttentionGroup(kind, items))
    return groups


def about_text(text: str, words: int = ABOUT_WORDS) -> str:
    """The first ``words`` words of ``text`` on one line, with an ellipsis if cut."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]) + "…"


# The nav's count of what waits on one's desk, remembered (decision 0133): every page
# shows it, and computing it asks every registered provider (some ten queries). What
# waits for someone changes with an event they may see or with the clock (a deadline
# passing), so the count is kept under the newest event the viewer may see and the
# minute, for one signed-in session (its key: a new sign-in starts afresh); a page
# rendered at the same position in the same minute shows it at no cost.
DESK_TOTAL_SECONDS = 120


def _desk_total_key(actor: User, session: str, position: int) -> str:
    minute = timezone.now().strftime("%Y%m%d%H%M")
    digest = hashlib.sha256(f"{actor.pk}:{session}".encode()).hexdigest()[:32]
    return f"accord:desk-total:{digest}:{position}:{minute}"


def desk_total_known(actor: User | None, session: str | None, position: int | None) -> int | None:
    """The remembered desk count of ``actor`` in ``session`` (its key) at ``position``
    (the newest event seq they may see) in this minute, or None: then compute it."""
    from django.core.cache import cache

    if actor is None or not session or position is None:
        return None
    if not getattr(actor, "is_authenticated", False):
        return None
    total = cache.get(_desk_total_key(actor, session, position))
    return total if isinstance(total, int) else None


def desk_total_remember(actor: User, session: str | None, position: int, total: int) -> None:
    from django.core.cache import cache

    if session:
        cache.set(_desk_total_key(actor, session, position), total, DESK_TOTAL_SECONDS)
