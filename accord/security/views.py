"""Security pages: the events and lockouts (operators, facilitators), and the second
factor's steps (enrol, verify after the password, a recovery code)."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _g
from django.views.decorators.http import require_POST

from accord.errors import ValidationFailed
from accord.security import access, selectors, services
from accord.security.middleware import SECOND_FACTOR_PENDING
from accord.security.models import SecurityEvent
from accord.security.signals import client_address


def _next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _step(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A second-factor step's page. Before the factor is proved the page shows no
    navigation and opens no live feed (all of it would send the browser back here):
    its template sees no signed-in user."""
    if request.session.get(SECOND_FACTOR_PENDING):
        context = {**context, "user": AnonymousUser()}
    return render(request, template, context)


def _verified(request: HttpRequest, device) -> None:
    """The session has proved its second factor: a new session key (the one that was
    signed in by password alone is no longer worth anything), the device noted."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(SECOND_FACTOR_PENDING, None)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Security events, newest first, 50 a page; the lockouts and (operators) unlock."""
    page = selectors.security_events_page(
        viewer=request.user,
        before=request.GET.get("before") or None,
        kind=request.GET.get("kind", "")[:40],
    )
    context = {
        "page": page,
        "lockouts": selectors.lockouts(viewer=request.user),
        "may_unlock": access.may_unlock(request.user),
        "kinds": SecurityEvent.Kind.choices,
        "kind": request.GET.get("kind", ""),
    }
    return render(request, "security/index.html", context)


@require_POST
@login_required
def unlock(request: HttpRequest) -> HttpResponse:
    services.lockout_release(
        actor=request.user,
        username=request.POST.get("username", "")[:150],
        address=request.POST.get("address", "")[:64],
        from_address=client_address(request),
    )
    messages.success(request, _g("Unlocked."))
    return redirect("security:index")


def _provisioning_uri(request: HttpRequest, device) -> str:
    from urllib.parse import quote

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"Accord:{request.user.get_username()}")
    return f"otpauth://totp/{label}?secret={secret}&issuer=Accord&digits=6&period=30"


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the code (or type the key), confirm one code; the
    recovery codes are shown once."""
    device = services.second_factor_enrol_begin(actor=request.user)
    error = None
    if request.method == "POST":
        try:
            device, codes = services.second_factor_enrol_confirm(
                actor=request.user,
                code=request.POST.get("code", "")[:16],
                address=client_address(request),
            )
        except ValidationFailed as refused:
            error = refused.message
        else:
            _verified(request, device)
            return render(
                request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
    context = {
        "key": base64.b32encode(device.bin_key).decode().rstrip("="),
        "error": error,
        "next": _next(request),
    }
    return _step(request, "security/enrol.html", context)


@login_required
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The enrolment's QR code, drawn here (segno), never by a third party."""
    import segno

    device = services.second_factor_enrol_begin(actor=request.user)
    out = io.BytesIO()
    segno.make(_provisioning_uri(request, device), error="m").save(
        out, kind="svg", scale=5, border=2
    )
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def _code_step(
    request: HttpRequest, check: Callable[..., Any], *, longest: int, template: str
) -> HttpResponse:
    """A sign-in step that takes one code: ``check`` (a service) proves it or refuses it
    with a sentence shown on the step's page; proved, the session is verified."""
    error = None
    if request.method == "POST":
        try:
            device = check(
                actor=request.user,
                code=request.POST.get("code", "")[:longest],
                address=client_address(request),
            )
        except ValidationFailed as refused:
            error = refused.message
        else:
            _verified(request, device)
            return redirect(_next(request))
    return _step(request, template, {"error": error, "next": _next(request)})


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator."""
    return _code_step(
        request, services.second_factor_verify, longest=16, template="security/verify.html"
    )


@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    """After the password, without the authenticator: one recovery code (used up)."""
    return _code_step(
        request, services.recovery_code_use, longest=32, template="security/recovery.html"
    )
