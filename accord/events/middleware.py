"""Where in the event log a page was rendered, so its live feed starts exactly there.

A page shows the state as of its rendering; its ``EventSource`` opens a moment later.
Had the stream started from "now", an event appended in between (the other side's
receipt of a message this page just sent, say) would be in neither the page nor the
stream. So the position is taken *before* the view reads anything, and the page hands
it to its stream as the first ``Last-Event-ID`` (``?last_event_id=``): an event in
that gap comes through the stream, and one the page already shows comes twice, which
every live page ignores (they key on the event's subject and never step a state back).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponseBase

from accord.events.selectors import newest_visible_seq

# Requests that render no full page with a live feed: the feed itself, the API, assets.
SKIPPED_PREFIXES = ("/events/stream", "/api/", "/static/")


def renders_a_live_page(request: HttpRequest) -> bool:
    """Whether ``request`` is a browser navigation that may render a page with a feed."""
    return (
        request.method == "GET"
        and not request.path.startswith(SKIPPED_PREFIXES)
        and "HX-Request" not in request.headers
        and "text/html" in request.headers.get("Accept", "")
    )


class FeedPositionMiddleware:
    """Set ``request.feed_position`` (a seq; internal only) for signed-in page views."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        if renders_a_live_page(request) and request.user.is_authenticated:
            request.feed_position = newest_visible_seq(actor=request.user)  # type: ignore[attr-defined]
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        if renders_a_live_page(request):
            user = await request.auser()
            if user.is_authenticated:
                request.feed_position = await sync_to_async(newest_visible_seq)(actor=user)  # type: ignore[attr-defined]
        return await self.get_response(request)
