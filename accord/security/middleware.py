"""The second-factor gate: a session signed in by password only reaches the enrolment
or verification pages until it has proved a second factor.

Whether a sign-in needs one is decided once, when it happens (``signals._signed_in``
puts ``SECOND_FACTOR_PENDING`` in the session: "enrol" or "verify"), so a request costs
nothing more than the session it already reads. The API sees such a session as not
signed in (401); an API token never asks for a second factor (it was created by a
session that had one).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SECOND_FACTOR_PENDING = "accord.second_factor_pending"
ENROL, VERIFY = "enrol", "verify"
# Reachable before the second factor: the steps themselves, signing out, static files,
# the language switch.
OPEN_PREFIXES = ("/security/second-factor/", "/accounts/logout/", "/accounts/login/", "/i18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        pending = request.session.get(SECOND_FACTOR_PENDING)
        if not pending:
            return self.get_response(request)
        path = request.path_info
        static = settings.STATIC_URL or "/static/"
        if path.startswith(OPEN_PREFIXES) or path.startswith(static):
            return self.get_response(request)
        if path.startswith("/api/"):
            request.user = AnonymousUser()
            return self.get_response(request)
        target = reverse("security:enrol" if pending == ENROL else "security:verify")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
