"""Every page in its viewer's time zone (decision 0083).

Times are stored in UTC; a person reads them in their own zone (``User.timezone``, set
from their delegation's), named beside every time by the ``when`` filter. Anonymous
visitors and a zone the server does not know read UTC.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

# The live feed renders no time; its streams need not load the user for this.
SKIPPED_PREFIXES = ("/events/stream", "/static/")


def zone_of(user: Any) -> zoneinfo.ZoneInfo:
    """The zone ``user`` reads times in."""
    name = getattr(user, "timezone", "") if getattr(user, "is_authenticated", False) else ""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class ViewerTimezoneMiddleware:
    """Activate the viewer's zone for the request (after authentication)."""

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
        if request.path.startswith(SKIPPED_PREFIXES):
            return self.get_response(request)
        with timezone.override(zone_of(request.user)):
            return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(SKIPPED_PREFIXES):
            return await self.get_response(request)
        user = await request.auser()
        with timezone.override(zone_of(user)):
            return await self.get_response(request)
