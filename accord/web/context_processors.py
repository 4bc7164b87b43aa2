"""Template context every page needs: the viewer's process and delegation."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accord.accounts import access
from accord.attention import desk_total_known
from accord.events import cursor
from accord.ops.access import may_operate
from accord.reports.access import may_read_briefing


def feed_stream_url(request: HttpRequest) -> str:
    """The live feed's URL for this page: resuming from where the page was rendered
    (see ``accord.events.middleware``), or from "now" when that was not recorded."""
    url = reverse("events:stream")
    position = getattr(request, "feed_position", None)
    if position is None:
        return url
    return f"{url}?last_event_id={cursor.encode(position)}"


def accord(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    delegation = getattr(user, "delegation", None) if user is not None else None
    return {
        "viewer_delegation": delegation,
        "viewer_has_clearance": access.clearance(user).process_id is not None,
        # Lazy: only pages that show the link pay for the check.
        "viewer_may_read_briefing": SimpleLazyObject(lambda: may_read_briefing(user)),
        "viewer_may_operate": may_operate(user),
        "feed_stream_url": feed_stream_url(request),
        # The desk count remembered at this page's position, or None: then the nav asks.
        "viewer_desk_total": desk_total_known(
            user,
            getattr(getattr(request, "session", None), "session_key", None),
            getattr(request, "feed_position", None),
        ),
    }
