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
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja.throttling import SimpleRateThrottle

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


def token_guard(request: HttpRequest) -> None:
    """Refuse an address locked out by failed sign-ins or tokens before any lookup."""
    from axes.handlers.proxy import AxesProxyHandler

    enabled = getattr(settings, "AXES_ENABLED", True)
    if enabled and AxesProxyHandler.is_locked(request, {"username": None}):
        error = TOKEN_LOCKED_OUT()
        error.retry_after = cool_off_seconds()  # type: ignore[attr-defined]
        raise error


def token_failed(request: HttpRequest, token: str) -> None:
    """Count a token that matched nothing against its address (axes, security events)."""
    user_login_failed.send(
        sender=TOKEN_SENDER, credentials=_token_credentials(token), request=request
    )


class UserRateThrottle(SimpleRateThrottle):
    """``ACCORD_API_RATE`` requests per signed-in user (by token or session)."""

    scope = "user"
    setting: ClassVar[str] = "ACCORD_API_RATE"

    def get_rate(self) -> str | None:
        rate = getattr(settings, self.setting, None)
        return str(rate) if rate else None

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class AddressRateThrottle(UserRateThrottle):
    """``ACCORD_API_ADDRESS_RATE`` requests per client address, signed in or not."""

    scope = "address"
    setting = "ACCORD_API_ADDRESS_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
