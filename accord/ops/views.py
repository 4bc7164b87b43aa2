"""The operator's page: the server's health and the people on it, managed through the
accounts services. Only operators reach it (``ops.access``); refusals rise to the page
error middleware, which sends a form back here with the sentence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _g
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accord.accounts import access as policy
from accord.accounts import services as people
from accord.accounts.models import Role, User
from accord.accounts.selectors import people_for_operators, places_for_operators
from accord.ops import access, selectors


def _actor(request: HttpRequest) -> User:
    access.operator_access(request.user)
    user = request.user
    assert isinstance(user, User)  # an operator is signed in
    return user


def _field(request: HttpRequest, name: str) -> str:
    return (request.POST.get(name) or "").strip()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Health first (is the server well?), then people and what the operator may do."""
    actor = _actor(request)
    delegations, bodies, mechanisms = places_for_operators(actor=actor)
    rows = [
        {
            "user": person,
            "appointments": list(person.appointments.all()),
            "live_tokens": sum(1 for t in person.api_tokens.all() if t.revoked_at is None),
            "may_appoint": policy.may_appoint(actor, person),
            "may_deactivate": person.is_active and policy.may_deactivate_user(actor, person),
            "may_reset_password": policy.may_reset_password(actor, person),
            "may_revoke_tokens": policy.may_revoke_tokens(actor, person),
        }
        for person in people_for_operators(actor=actor)
    ]
    context = {
        "health": selectors.server_health(),
        "people": rows,
        "may_create_user": policy.may_create_user(actor),
        "delegations": delegations,
        "bodies": bodies,
        "mechanisms": mechanisms,
        "roles": Role.choices,
        "may_use_admin": actor.is_staff,
    }
    return render(request, "ops/home.html", context)


@login_required
@require_POST
def person_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    delegation, _sep, process = _field(request, "delegation").partition("@")
    user = people.user_create(
        actor=actor,
        username=_field(request, "username"),
        password=request.POST.get("password") or "",
        delegation=delegation or None,
        process=process or None,
        display_name=_field(request, "display_name")[:200],
        timezone_name=_field(request, "timezone") or "UTC",
        language=_field(request, "language"),
        is_staff=not delegation,
    )
    messages.success(request, _g("{username} can now sign in.").format(username=user.username))
    return redirect("ops:home")


@login_required
@require_POST
def appoint(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    kind, _sep, code = _field(request, "place").partition(":")
    username = _field(request, "username")
    people.appointment_grant(
        actor=actor,
        username=username,
        role=_field(request, "role"),
        body=code if kind == "body" else None,
        mechanism=code if kind == "mechanism" else None,
    )
    messages.success(request, _g("{username} is appointed.").format(username=username))
    return redirect("ops:home")


@login_required
@require_POST
def deactivate(request: HttpRequest, username: str) -> HttpResponse:
    people.user_deactivate(actor=_actor(request), username=username)
    messages.success(request, _g("{username} can no longer sign in.").format(username=username))
    return redirect("ops:home")


@login_required
@require_POST
def password_reset(request: HttpRequest, username: str) -> HttpResponse:
    people.user_password_reset(
        actor=_actor(request), username=username, password=request.POST.get("password") or ""
    )
    messages.success(request, _g("{username} has a new password.").format(username=username))
    return redirect("ops:home")


@login_required
@require_POST
def tokens_revoke(request: HttpRequest, username: str) -> HttpResponse:
    revoked = people.user_tokens_revoke(actor=_actor(request), username=username)
    messages.success(
        request,
        ngettext(
            "{n} API token of {username} revoked.", "{n} API tokens of {username} revoked.", revoked
        ).format(n=revoked, username=username),
    )
    return redirect("ops:home")
