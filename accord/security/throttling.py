"""Throttling (ASVS 6.3): sign-in lockout through django-axes, failed API tokens counted
per address in the same store, and the API's rate limits per user and per address.

- **Passwords**: axes counts failures per account and per address
  (``AXES_LOCKOUT_PARAMETERS``); at ``ACCORD_SIGNIN_FAILURE_LIMIT`` the sign-in answers
  429 with ``Retry-After`` until ``ACCORD_SIGNIN_COOLOFF_MINUTES`` have passed, or an
  operator unlocks it (the security page, ``accord axes_reset``).
- **API tokens**: a token that matches nothing is a failure of its address in axes'
  table; an address at the limit is refused (429) before its token is looked up.
- **API rate**: ``ACCORD_API_RATE`` per signed-in user and ``ACCORD_API_ADDRESS_RATE``
  per address, answered 429 ``request.throttled`` with ``Retry-After``. The counts are in
  Django's cache, so per server process.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja.throttling import BaseThrottle

from accord.errors import AccordError


class TooManyRequests(AccordError):
    """Too many attempts or requests: wait (``Retry-After``) and try again."""

    status = 429
    retry_after: int | None = None


API_THROTTLED = TooManyRequests.case(
    "request.throttled",
    _("Too many requests: wait the number of seconds in Retry-After, then try again."),
)
TOKEN_LOCKED_OUT = TooManyRequests.case(
    "auth.locked_out",
    _(
        "Too many failed sign-ins or API tokens from this address: wait the number of "
        "seconds in Retry-After, or ask the operator to unlock it."
    ),
)
# The sender of the failures of API tokens (user_login_failed), so the security events
# tell them from wrong passwords.
TOKEN_SENDER = "accord.api.token"  # noqa: S105 - a signal sender, not a secret


def cool_off() -> timedelta:
    return timedelta(minutes=float(getattr(settings, "ACCORD_SIGNIN_COOLOFF_MINUTES", 15)))


def cool_off_seconds() -> int:
    return math.ceil(cool_off().total_seconds())


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """axes' answer to a locked-out sign-in (or API token): 429 and when to try again; the
    API's body is its error body, a page's is the lockout page."""
    if request.path_info.startswith("/api/"):
        body = {"code": TOKEN_LOCKED_OUT.code, "detail": TOKEN_LOCKED_OUT.text()}
        api_response = JsonResponse(body, status=TooManyRequests.status)
        api_response["Retry-After"] = str(cool_off_seconds())
        return api_response
    response = render(
        request,
        "security/locked.html",
        {"cool_off_minutes": math.ceil(cool_off().total_seconds() / 60)},
        status=TooManyRequests.status,
    )
    response["Retry-After"] = str(cool_off_seconds())
    return response


def _token_credentials(token: str) -> dict[str, str]:
    # Never the token itself: a prefix is enough to tell attempts apart.
    return {"username": f"token:{token[:8]}"}


def _failed_key(request: HttpRequest) -> str:
    from axes.helpers import get_client_ip_address

    return f"accord-token-failed:{get_client_ip_address(request)}"


def token_guard(request: HttpRequest) -> None:
    """Refuse an address locked out by failed sign-ins or tokens before any lookup.

    Asked of axes' table only for an address that sent a wrong token lately (a mark in
    this process's cache): a request with a good token costs no query more."""
    from axes.handlers.proxy import AxesProxyHandler

    if not getattr(settings, "AXES_ENABLED", True) or not cache.get(_failed_key(request)):
        return
    if AxesProxyHandler.is_locked(request, {"username": None}):
        error = TOKEN_LOCKED_OUT()
        error.retry_after = cool_off_seconds()  # type: ignore[attr-defined]
        raise error


def token_failed(request: HttpRequest, token: str) -> None:
    """Count a token that matched nothing against its address (axes, security events)."""
    cache.set(_failed_key(request), True, cool_off_seconds())
    user_login_failed.send(
        sender=TOKEN_SENDER, credentials=_token_credentials(token), request=request
    )


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """``"600/m"`` as (600, 60); None, empty or "0" turns the limit off."""
    if not rate or rate.strip() in ("0", "off"):
        return None
    number, period = rate.strip().split("/")
    return int(number), PERIODS[period.strip()[0]]


class _WindowThrottle(BaseThrottle):
    """At most N requests per fixed window (a minute for ``N/m``) and key, counted with
    one increment in Django's cache: a request costs the same however high the limit.
    The rate is read from the setting at each request, so tests and the bench set it."""

    scope: ClassVar[str] = ""
    setting: ClassVar[str] = ""
    _local = threading.local()

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        rate = parse_rate(getattr(settings, self.setting, None))
        ident = self.ident(request) if rate is not None else None
        if rate is None or ident is None:
            return True
        limit, seconds = rate
        now = time.time()
        window = int(now // seconds)
        key = f"accord-throttle:{self.scope}:{ident}:{seconds}:{window}"
        cache.add(key, 0, seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, seconds + 1)
            count = 1
        self._local.wait = (window + 1) * seconds - now
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class UserRateThrottle(_WindowThrottle):
    """``ACCORD_API_RATE`` requests per signed-in user (by token or session)."""

    scope = "user"
    setting = "ACCORD_API_RATE"

    def ident(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return str(user.pk)


class AddressRateThrottle(_WindowThrottle):
    """``ACCORD_API_ADDRESS_RATE`` requests per client address, signed in or not."""

    scope = "address"
    setting = "ACCORD_API_ADDRESS_RATE"

    def ident(self, request: HttpRequest) -> str | None:
        return self.get_ident(request)
