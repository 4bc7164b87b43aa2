"""Pages of provisions: add, edit in place, delete, move, status, bracket
resolution, positions, and a provision's own page.

Split from ``drafting.views`` by aggregate; the shared helpers stay there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from accord.compliance.selectors import commitments_for_provision
from accord.drafting import access, selectors, services
from accord.drafting.models import Provision
from accord.drafting.views import (  # the shared helpers of the drafting pages
    EMPTY,
    _after_write,
    _int,
    _refused,
    _refused_on_page,
    _rendered,
    _rendered_with_notes,
)
from accord.errors import ValidationFailed
from accord.formstate import FormState
from accord.notes.selectors import note_panel


@login_required
@require_POST
def provision_add(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    try:
        services.provision_add(
            actor=request.user,
            document_id=document_id,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            heading=request.POST.get("heading", ""),
            parent_id=request.POST.get("parent") or None,
        )
    except ValidationFailed as error:
        return _refused_on_page(request, document, "add_provision", _refused(request, error))
    return _after_write(request, document)


@login_required
def provision_edit(request: HttpRequest, wid: str) -> HttpResponse:
    """GET: the inline edit form (htmx). POST: save and return the refreshed text."""
    provision = access.provision_access(request.user, wid)
    if request.method == "GET":
        return render(request, "drafting/_provision_form.html", {"p": provision, "edit": EMPTY})
    try:
        services.provision_edit(
            actor=request.user,
            provision_id=wid,
            text=request.POST.get("text", ""),
            heading=request.POST.get("heading"),
        )
    except ValidationFailed as error:
        # The form again, in place of itself, with the wording as typed (decision 0076).
        context = {"p": provision, "edit": _refused(request, error)}
        response = render(request, "drafting/_provision_form.html", context, status=422)
        response["HX-Retarget"] = f"#body-{provision.wid}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return _after_write(request, provision.document, anchor=wid)


@login_required
@require_POST
def provision_delete(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    services.provision_delete(actor=request.user, provision_id=wid)
    return _after_write(request, provision.document)


@login_required
@require_POST
def provision_move(request: HttpRequest, wid: str) -> HttpResponse:
    """Move a provision under the provision labelled ``parent`` (empty: the top level),
    after the one labelled ``after`` (empty: last)."""
    provision = access.provision_access(request.user, wid)
    document = provision.document
    wids = {}
    for name in ("parent", "after"):
        label = request.POST.get(name, "").strip()
        wids[name] = (
            selectors.provision_by_label(actor=request.user, document=document, label=label).wid
            if label
            else None
        )
    services.provision_move(
        actor=request.user, provision_id=wid, parent_id=wids["parent"], after_id=wids["after"]
    )
    return _after_write(request, document, anchor=wid)


@login_required
@require_POST
def provision_status(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    services.provision_status_set(
        actor=request.user, provision_id=wid, status=request.POST.get("status", "")
    )
    return _after_write(request, provision.document, anchor=wid)


@login_required
@require_POST
def bracket_resolve(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    keep_raw = request.POST.get("keep", "")
    keep = None if keep_raw in ("", "delete") else _int(keep_raw, -1)
    services.bracket_resolve(
        actor=request.user,
        provision_id=wid,
        group=_int(request.POST.get("group"), -1) or 0,
        keep=keep,
    )
    return _after_write(request, provision.document, anchor=wid)


@login_required
@require_POST
def position_state(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    services.position_state(
        actor=request.user,
        provision_id=wid,
        stance=request.POST.get("stance", ""),
        comment=request.POST.get("comment", ""),
    )
    return _after_write(request, provision.document, anchor=wid)


def _provision_context(
    request: HttpRequest, provision: Provision, refer: FormState = EMPTY
) -> dict[str, Any]:
    actor = request.user
    document = provision.document
    colours = selectors.sponsor_colours(actor=actor)
    subject = provision.subject
    proposals = list(
        selectors.proposal_list(actor=actor, document=document).filter(provision_wid=provision.wid)
    )
    for proposal in proposals:
        proposal.text_html = _rendered(proposal.text, colours)  # type: ignore[attr-defined]
    return {
        "document": document,
        "p": provision,
        "html": _rendered_with_notes(provision.text, colours, key=provision.wid),
        "positions": selectors.positions_by_provision(actor=actor, document=document).get(
            provision.pk, {}
        ),
        "proposals": proposals,
        "referrals": selectors.referral_list(actor=actor, document=document).filter(
            provision_wid=provision.wid
        ),
        "timeline": [
            e
            for e in selectors.document_history(actor=actor, document=document, limit=500)
            if e.subject == subject or e.payload.get("wid") == provision.wid
        ],
        "notes": note_panel(actor=actor, subject=subject),
        "note_subject": subject,
        "pen": access.may_hold_pen(actor, document),
        "may_refer": access.may_refer(actor, document),
        "refer": refer,
        # The commitments recorded from this provision (issue 17: linked both ways).
        "commitments": commitments_for_provision(actor=actor, wid=provision.wid),
    }


@login_required
@require_safe
def provision_detail(request: HttpRequest, wid: str) -> HttpResponse:
    """One provision: its wording, positions, proposals, referrals, history and the
    viewer's delegation's internal notes on it."""
    provision = access.provision_access(request.user, wid)
    return render(request, "drafting/provision.html", _provision_context(request, provision))
