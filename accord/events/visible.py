"""The events one user may see: the filter every reader of the log shares.

The API and pages (through ``selectors``) and the live feed (``stream``) read through
these, so they agree on what a user may see; they sit below the app's selectors because
the live feed sits below the services and selectors of every app.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accord.accounts import access
from accord.accounts.models import User
from accord.events.models import Event


def event_list(
    *,
    actor: User | AnonymousUser,
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


def newest_visible_seq(*, actor: User | AnonymousUser) -> int:
    """The seq of the newest event ``actor`` may see (0 if none). Internal only: a seq
    goes to a client enciphered as a cursor, never as a number."""
    newest = (
        access.restrict(Event.objects.all(), actor)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return newest or 0
