"""Pages of the divergence register: the board (by rung and age) and a page per divergence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.divergences import selectors, services
from accord.errors import AccordError, NotFound
from accord.process.selectors import body_get, body_list, process_for


def _missing(request: HttpRequest, error: NotFound) -> HttpResponse:
    return render(request, "process/no_process.html", {"message": error.message}, status=404)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    try:
        process = process_for(request.user)
    except NotFound as error:
        return _missing(request, error)
    columns = selectors.divergence_board(actor=request.user)
    bodies = [
        b
        for b in body_list(actor=request.user)
        if services.divergence_may_open(actor=request.user, body=b)
    ]
    closed = selectors.divergence_list(actor=request.user).filter(status__in=["resolved", "parked"])
    context = {
        "process": process,
        "columns": columns,
        "open_count": sum(len(c.cards) for c in columns),
        "bodies": bodies,
        "closed": closed,
    }
    return render(request, "divergences/board.html", context)


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    try:
        body = body_get(actor=request.user, code=request.POST.get("body", ""))
        provisions = [p for p in request.POST.get("provisions", "").split() if p]
        row = services.divergence_open(
            actor=request.user,
            body=body,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            provisions=provisions,
        )
    except AccordError as error:
        messages.error(request, error.message)
        return redirect("divergences:board")
    return redirect("divergences:detail", divergence_id=row.pk)


@login_required
def detail(request: HttpRequest, divergence_id: int) -> HttpResponse:
    try:
        row = selectors.divergence_get(actor=request.user, divergence_id=divergence_id)
    except NotFound as error:
        return _missing(request, error)
    user = request.user
    delegation = getattr(user, "delegation", None)
    positions = list(selectors.position_list(actor=user, divergence=row))
    own_internal = next(
        (
            p
            for p in positions
            if not p.is_shared and delegation and p.delegation_id == delegation.pk
        ),
        None,
    )
    context = {
        "d": row,
        "positions": positions,
        "own_internal": own_internal,
        "bridging": selectors.bridging_list(actor=user, divergence=row),
        "referrals": selectors.referral_list(actor=user, divergence=row),
        "is_party": bool(delegation and delegation.is_party),
        "is_facilitator": bool(delegation and delegation.is_facilitator),
        "may_refer": services.divergence_may_refer(actor=user, divergence=row)
        and not row.is_closed
        and row.process.escalation_next(row.rung) is not None,
        "next_rung": row.process.escalation_next(row.rung),
        "rung_label": services.rung_label(row.process, row.rung),
    }
    return render(request, "divergences/detail.html", context)


ACTIONS = {
    "position": lambda actor, row, post: services.position_set(
        actor=actor, divergence=row, text=post.get("text", ""), shared=post.get("shared") == "1"
    ),
    "share": lambda actor, row, post: services.position_share(actor=actor, divergence=row),
    "bridging": lambda actor, row, post: services.bridging_propose(
        actor=actor, divergence=row, text=post.get("text", "")
    ),
    "refer": lambda actor, row, post: services.divergence_refer(
        actor=actor, divergence=row, note=post.get("text", "")
    ),
    "resolve": lambda actor, row, post: services.divergence_resolve(
        actor=actor, divergence=row, resolution=post.get("text", "")
    ),
    "park": lambda actor, row, post: services.divergence_park(
        actor=actor, divergence=row, note=post.get("text", "")
    ),
    "reopen": lambda actor, row, post: services.divergence_reopen(
        actor=actor, divergence=row, note=post.get("text", "")
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, divergence_id: int, action: str) -> HttpResponse:
    """One form per use case on the detail page; each calls its service."""
    try:
        row = selectors.divergence_get(actor=request.user, divergence_id=divergence_id)
    except NotFound as error:
        return _missing(request, error)
    handler = ACTIONS.get(action)
    if handler is None:
        return _missing(request, NotFound("There is no such action."))
    try:
        handler(request.user, row, request.POST)
    except AccordError as error:
        messages.error(request, error.message)
    return redirect("divergences:detail", divergence_id=row.pk)
