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

__all__ = ["event_list", "event_timeline", "newest_visible_seq"]


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
