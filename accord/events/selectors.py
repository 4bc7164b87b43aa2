"""Reads of the event log, always through the access policy.

``event_list`` and ``newest_visible_seq`` live in ``accord.events.visible`` (the live
feed reads through them too, below this layer) and are re-exported here.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from accord.accounts import access
from accord.accounts.models import User
from accord.events.models import Event
from accord.events.visible import event_list, newest_visible_seq

__all__ = ["event_feed", "event_list", "event_timeline", "newest_visible_seq"]


def event_timeline(
    *,
    actor: User | AnonymousUser,
    subjects: list[str],
    scopes: tuple[str, ...] = (),
    limit: int = 100,
) -> list[Event]:
    """The newest ``limit`` events ``actor`` may see about ``subjects`` or in ``scopes``,
    oldest first (a body's or an item's timeline)."""
    about = Q(subject__in=subjects)
    if scopes:
        about |= Q(scope__in=list(scopes))
    newest = (
        access.restrict(Event.objects.all(), actor)
        .filter(about)
        .select_related("actor")
        .order_by("-seq")[:limit]
    )
    return list(reversed(newest))


FEED_SIZE = 100


def event_feed(
    *,
    actor: User | AnonymousUser,
    body: str | None = None,
    subject_kinds: tuple[str, ...] = (),
    limit: int = FEED_SIZE,
) -> list[Event]:
    """The newest ``limit`` events ``actor`` may see, newest first (the live-feed page).

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
    return list(events.select_related("actor").order_by("-seq")[:limit])
