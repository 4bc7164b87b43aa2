"""Security events from Django's and axes' signals, and from refusals.

Sign-ins (``user_logged_in``, ``user_login_failed``, also sent for an API token that
matched nothing), lockouts (axes' ``user_locked_out``) and permission refusals
(``refusal_record``, called where pages and the API turn a ``PermissionDenied`` into an
answer) each become a ``SecurityEvent``.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accord.errors import AccordError, PermissionDenied
from accord.security.models import SecurityEvent
from accord.security.services import second_factor_required, security_event_record
from accord.security.throttling import TOKEN_SENDER

Kind = SecurityEvent.Kind


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as axes counts it (behind the proxy: the forwarded one)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


@receiver(user_logged_in, dispatch_uid="security.signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:  # a script
        return
    from django_otp import user_has_device

    from accord.security.middleware import ENROL, SECOND_FACTOR_PENDING, VERIFY

    if second_factor_required(user):
        request.session[SECOND_FACTOR_PENDING] = VERIFY if user_has_device(user) else ENROL
    security_event_record(
        actor=user,
        kind=Kind.SIGNIN_SUCCEEDED,
        address=client_address(request),
        detail=request.path[:300],
    )


@receiver(user_login_failed, dispatch_uid="security.sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    token = sender == TOKEN_SENDER
    security_event_record(
        actor=None,
        kind=Kind.TOKEN_FAILED if token else Kind.SIGNIN_FAILED,
        username="" if token else str(credentials.get("username") or ""),
        address=client_address(request),
        detail=(request.path[:300] if request is not None else ""),
    )


@receiver(user_locked_out, dispatch_uid="security.locked_out")
def _locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    name = username or ""
    security_event_record(
        actor=None,
        kind=Kind.LOCKED_OUT,
        username="" if name.startswith("token:") else name,
        address=ip_address or client_address(request),
        detail=(request.path[:300] if request is not None else ""),
    )


def refusal_record(request: HttpRequest, error: AccordError) -> None:
    """Record a ``PermissionDenied`` answered to ``request`` (a page or the API)."""
    if not isinstance(error, PermissionDenied):
        return
    user = getattr(request, "user", None)
    security_event_record(
        actor=user,
        kind=Kind.PERMISSION_REFUSED,
        address=client_address(request),
        detail=f"{request.method} {request.path} {error.code}"[:300],
    )
