"""Pages of proposals: a party proposes, the pen-holder decides (or the party withdraws).

Split from ``drafting.views`` by aggregate; the shared helpers stay there."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from accord.drafting import access, services
from accord.drafting.views import (  # the shared helpers of the drafting pages
    _after_write,
    _one_based,
    _refused,
    _refused_on_page,
)
from accord.errors import ValidationFailed


@login_required
@require_POST
def proposal_submit(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    try:
        services.proposal_submit(
            actor=request.user,
            document_id=document_id,
            kind=request.POST.get("kind", ""),
            provision_id=request.POST.get("provision") or None,
            text=request.POST.get("text", ""),
            new_kind=request.POST.get("new_kind", ""),
            group=_one_based(request.POST.get("group")),
            option=_one_based(request.POST.get("option")),
            justification=request.POST.get("justification", ""),
        )
    except ValidationFailed as error:
        return _refused_on_page(request, document, "propose", _refused(request, error))
    return _after_write(request, document, anchor="proposals")


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = access.proposal_access(request.user, proposal_id)
    decision = request.POST.get("decision", "")
    if decision == "withdraw":
        services.proposal_withdraw(actor=request.user, proposal_id=proposal_id)
    else:
        try:
            services.proposal_decide(
                actor=request.user,
                proposal_id=proposal_id,
                decision=decision,
                reason=request.POST.get("reason", ""),
                text=request.POST.get("text"),
            )
        except ValidationFailed as error:
            form = _refused(request, error, key=str(proposal.public_id))
            return _refused_on_page(request, proposal.document, "decide", form)
    return _after_write(request, proposal.document, anchor="proposals")
