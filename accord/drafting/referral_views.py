"""Pages of referrals to the High-Level Committee: refer, list, decide.

Split from ``drafting.views`` by aggregate; the shared helpers stay there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accord import pagination
from accord.drafting import access, selectors, services
from accord.drafting.provision_views import _provision_context
from accord.drafting.views import (  # the shared helpers of the drafting pages
    EMPTY,
    _refused,
    _rendered,
)
from accord.errors import ValidationFailed
from accord.formstate import FormState


@login_required
@require_POST
def referral_create(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    try:
        services.referral_create(
            actor=request.user, provision_id=wid, note=request.POST.get("note", "")
        )
    except ValidationFailed as error:
        context = _provision_context(request, provision, refer=_refused(request, error))
        return render(request, "drafting/provision.html", context, status=422)
    return redirect("drafting:provision", wid=wid)


def _referrals_context(request: HttpRequest, decide: FormState = EMPTY) -> dict[str, Any]:
    actor = request.user
    page = pagination.page_of(
        selectors.referral_list(actor=actor),
        list_name="referrals",
        order=("-referred_at", "-id"),
        cursor=request.GET.get("cursor"),
    )
    referrals = page.items
    colours = selectors.sponsor_colours(actor=actor)
    for referral in referrals:
        referral.html = _rendered(referral.text_as_referred, colours)  # type: ignore[attr-defined]
        referral.may_decide = access.may_decide_referral(actor, referral)  # type: ignore[attr-defined]
        mine = decide.key == str(referral.public_id)
        referral.form = decide if mine else EMPTY  # type: ignore[attr-defined]
    return {"referrals": referrals, "page": page}


@login_required
@require_safe
def referral_list(request: HttpRequest) -> HttpResponse:
    """What was referred to the bodies the viewer sits on (the HLC's view), and the rest
    the viewer may see."""
    return render(request, "drafting/referrals.html", _referrals_context(request))


@login_required
@require_POST
def referral_decide(request: HttpRequest, referral_id: str) -> HttpResponse:
    try:
        services.referral_decide(
            actor=request.user,
            referral_id=referral_id,
            decision=request.POST.get("decision", ""),
            text=request.POST.get("text") or None,
        )
    except ValidationFailed as error:
        form = _refused(request, error, key=referral_id)
        context = _referrals_context(request, decide=form)
        return render(request, "drafting/referrals.html", context, status=422)
    return redirect("drafting:referrals")
