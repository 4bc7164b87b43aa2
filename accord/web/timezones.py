"""Every page in its viewer's time zone, language, digits and calendar (decisions 0083, 0160).

Times are stored in UTC; a person reads them in their own zone (``User.timezone``, set
from their delegation's), named beside every time by the ``when`` filter. Anonymous
visitors and a zone the server does not know read UTC.

The language of the pages is the one chosen in this browser (the top bar's select, a
cookie), else the person's own (``User.language``, set on the settings page), else the
browser's; the digits and calendar (``User.digits``, ``User.calendar``) are activated
here for the ``when``/``day``/``digits`` filters (``reading()``).
"""

from __future__ import annotations

import contextvars
import zoneinfo
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone, translation

from accord import bidi, calendars

# The live feed renders no time; its streams need not load the user for this.
SKIPPED_PREFIXES = ("/events/stream", "/static/")


def zone_of(user: Any) -> zoneinfo.ZoneInfo:
    """The zone ``user`` reads times in."""
    name = getattr(user, "timezone", "") if getattr(user, "is_authenticated", False) else ""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@dataclass(frozen=True)
class Reading:
    """How the viewer reads numbers and days (never what is stored)."""

    digits: str = bidi.LATIN
    calendar: str = calendars.GREGORIAN


_READING: contextvars.ContextVar[Reading] = contextvars.ContextVar(
    "accord_reading",
    default=Reading(),  # noqa: B039 (frozen: shared safely)
)


def reading() -> Reading:
    """The active viewer's digits and calendar (Latin and Gregorian outside a page)."""
    return _READING.get()


def reading_of(user: Any) -> Reading:
    if not getattr(user, "is_authenticated", False):
        return Reading()
    return Reading(
        digits=getattr(user, "digits", "") or bidi.LATIN,
        calendar=getattr(user, "calendar", "") or calendars.GREGORIAN,
    )


@contextmanager
def reading_override(value: Reading) -> Iterator[None]:
    token = _READING.set(value)
    try:
        yield
    finally:
        _READING.reset(token)


def language_of(request: HttpRequest, user: Any) -> str | None:
    """The language a signed-in ``user``'s pages are in when this browser chose none (no
    language cookie): their own, if Accord's pages are written in it; else None (the
    browser's, as ``LocaleMiddleware`` found it)."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    chosen = getattr(user, "language", "")
    return chosen if chosen in dict(settings.LANGUAGES) else None


@contextmanager
def _viewer(request: HttpRequest, user: Any) -> Iterator[None]:
    language = language_of(request, user)
    with timezone.override(zone_of(user)), reading_override(reading_of(user)):
        if language is None:
            yield
            return
        with translation.override(language):
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
            yield


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
        with _viewer(request, request.user):
            return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(SKIPPED_PREFIXES):
            return await self.get_response(request)
        user = await request.auser()
        with _viewer(request, user):
            return await self.get_response(request)
