"""The second-factor gate: a session signed in by password only reaches the enrolment
or verification pages until it has proved a second factor.

Whether a sign-in needs one is decided once, when it happens (``signals._signed_in``
puts ``SECOND_FACTOR_PENDING`` in the session: "enrol" or "verify"), so a request costs
nothing more than the session it already reads. The API sees such a session as not
signed in (401); an API token never asks for a second factor (it was created by a
session that had one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

SECOND_FACTOR_PENDING = "accord.second_factor_pending"
ENROL, VERIFY = "enrol", "verify"
# Reachable before the second factor: the steps themselves, signing out, static files,
# the language switch.
OPEN_PREFIXES = ("/security/second-factor/", "/accounts/logout/", "/accounts/login/", "/i18n/")


class SecondFactorMiddleware:
    # Async too: the live feed's streams run on the event loop (accord/asgi.py), and a
    # sync-only middleware would cost each stream a thread hand-off.
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
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        gate = _gate(request, request.session.get(SECOND_FACTOR_PENDING))
        return gate if gate is not None else self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            gate = _gate(request, await request.session.aget(SECOND_FACTOR_PENDING))
            if gate is not None:
                return gate
        return await self.get_response(request)


def _gate(request: HttpRequest, pending: str | None) -> HttpResponseBase | None:
    """Where a session still owing its second factor goes instead, or None to go on."""
    if not pending:
        return None
    path = request.path_info
    static = settings.STATIC_URL or "/static/"
    if path.startswith(OPEN_PREFIXES) or path.startswith(static):
        return None
    if path.startswith("/api/"):
        request.user = AnonymousUser()
        return None
    target = reverse("security:enrol" if pending == ENROL else "security:verify")
    return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
