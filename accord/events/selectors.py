"""Reads of the event log, always through the access policy.

``event_list`` and ``newest_visible_seq`` live in ``accord.events.visible`` (the live
feed reads through them too, below this layer) and are re-exported here.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accord.accounts import access
from accord.accounts.models import User
from accord.events import cursor
from accord.events.models import Event
from accord.events.visible import event_list, newest_visible_seq
from accord.pagination import CURSOR_INVALID

__all__ = [
    "TimelineWindow",
    "event_feed",
    "event_feed_rows",
    "event_list",
    "event_timeline",
    "newest_visible_seq",
    "timeline_window",
]


def event_timeline(
    *,
    actor: User | AnonymousUser,
    subjects: list[str],
    scopes: tuple[str, ...] = (),
    limit: int = 100,
) -> list[Event]:
    """The newest ``limit`` events ``actor`` may see about ``subjects`` or in ``scopes``,
    oldest first (a body's or an item's timeline)."""
    return timeline_window(actor=actor, subjects=subjects, scopes=scopes, limit=limit).events


@dataclass(frozen=True)
class TimelineWindow:
    """Some events of a timeline, oldest first, and the cursor to the ones before them."""

    events: list[Event]
    earlier: str | None  # an opaque cursor (``events.cursor``), None when nothing is before


def timeline_window(
    *,
    actor: User | AnonymousUser,
    subjects: list[str],
    scopes: tuple[str, ...] = (),
    limit: int = 100,
    before: str | None = None,
) -> TimelineWindow:
    """The ``limit`` events ``actor`` may see about ``subjects`` or in ``scopes`` just
    before the cursor ``before`` (none: the newest), oldest first: a bounded timeline
    whose "show earlier" link carries ``earlier``. A cursor this server did not issue is
    refused with ``pagination.CURSOR_INVALID``."""
    about = Q(subject__in=subjects)
    if scopes:
        about |= Q(scope__in=list(scopes))
    rows = access.restrict(Event.objects.all(), actor).filter(about)
    if before:
        try:
            rows = rows.filter(seq__lt=cursor.decode(before))
        except cursor.BadCursor:
            raise CURSOR_INVALID() from None
    newest = list(rows.select_related("actor").order_by("-seq")[: limit + 1])
    earlier = cursor.encode(newest[limit - 1].seq) if len(newest) > limit else None
    return TimelineWindow(events=list(reversed(newest[:limit])), earlier=earlier)


FEED_SIZE = 100


def event_feed_rows(
    *,
    actor: User | AnonymousUser,
    body: str | None = None,
    subject_kinds: tuple[str, ...] = (),
) -> QuerySet[Event]:
    """The events ``actor`` may see for the live-feed page (paged newest first by
    ``seq``), with their actors.

    ``body`` (a body's code) keeps the events in that body's scope or about the body
    itself; ``subject_kinds`` (``("document", "provision")``) the events about subjects
    of those kinds.
    """
    events = access.restrict(Event.objects.all(), actor)
    if body:
        events = events.filter(Q(scope=access.body_scope(body)) | Q(subject=f"body:{body}"))
    if subject_kinds:
        about = Q()
        for subject_kind in subject_kinds:
            about |= Q(subject__startswith=f"{subject_kind}:")
        events = events.filter(about)
    return events.select_related("actor")


def event_feed(
    *,
    actor: User | AnonymousUser,
    body: str | None = None,
    subject_kinds: tuple[str, ...] = (),
    limit: int = FEED_SIZE,
) -> list[Event]:
    """The newest ``limit`` events ``actor`` may see, newest first (``event_feed_rows``)."""
    rows = event_feed_rows(actor=actor, body=body, subject_kinds=subject_kinds)
    return list(rows.order_by("-seq")[:limit])
