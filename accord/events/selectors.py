"""Reads of the event log, always through the access policy."""

from django.db.models import Q, QuerySet

from accord.accounts import access
from accord.events.models import Event


def event_list(
    *,
    actor: object,
    after_seq: int = 0,
    subject: str | None = None,
    subject_prefix: str | None = None,
    limit: int | None = None,
) -> QuerySet[Event]:
    """Events ``actor`` may see with ``seq > after_seq``, oldest first."""
    events = access.restrict(Event.objects.all(), actor).filter(seq__gt=after_seq)
    if subject is not None:
        events = events.filter(subject=subject)
    if subject_prefix is not None:
        events = events.filter(subject__startswith=subject_prefix)
    events = events.select_related("actor").order_by("seq")
    if limit is not None:
        events = events[:limit]
    return events


def newest_visible_seq(*, actor: object) -> int:
    """The seq of the newest event ``actor`` may see (0 if none). Internal only: a seq
    goes to a client enciphered as a cursor, never as a number."""
    newest = (
        access.restrict(Event.objects.all(), actor)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return newest or 0


def event_timeline(
    *, actor: object, subjects: list[str], scopes: tuple[str, ...] = (), limit: int = 100
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
