"""Pages of the divergence register: the board (by rung and age) and a page per divergence.

Refusals rise to ``accord.web.errors.AccordErrorMiddleware``, except a refused input
(``ValidationFailed``): the page comes back (422) with what was typed and the sentence
beside the field (decision 0076). The pages offer an action only where its ``access.may_``
predicate says the service would accept it.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accord import pagination
from accord.divergences import access, selectors, services
from accord.errors import NotFound, ValidationFailed
from accord.formstate import FormState, refused
from accord.process.selectors import body_list, process_for

ACTION_NOT_FOUND = NotFound.case("divergence.action_not_found", _("There is no such action."))

# Which field each refusal is about: the new-divergence form's, then every action's one
# text (decision 0076).
OPEN_FIELDS = {
    "divergence.title_empty": "title",
    "divergence.title_too_long": "title",
    "divergence.text_empty": "description",
    "divergence.text_too_long": "description",
    "divergence.provision_invalid": "provisions",
    "divergence.too_many_provisions": "provisions",
}
ACT_FIELDS = {"divergence.text_empty": "text", "divergence.text_too_long": "text"}
EMPTY = FormState()


def _board_context(request: HttpRequest, opening: FormState = EMPTY) -> dict[str, Any]:
    process = process_for(request.user)
    columns = selectors.divergence_board(actor=request.user)
    bodies = [b for b in body_list(actor=request.user) if access.may_open(request.user, b)]
    closed = pagination.page_of(
        selectors.divergence_list(actor=request.user).filter(status__in=["resolved", "parked"]),
        list_name="closed-divergences",
        order=("-created_at", "-id"),
        cursor=request.GET.get("cursor"),
    )
    context = {
        "process": process,
        "columns": columns,
        "open_count": sum(len(c.cards) for c in columns),
        "bodies": bodies,
        "closed": closed.items,
        "page": closed,
        "opening": opening,
    }
    return context


@login_required
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "divergences/board.html", _board_context(request))


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    try:
        row = services.divergence_open(
            actor=request.user,
            body_code=request.POST.get("body", ""),
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            provisions=[p for p in request.POST.get("provisions", "").split() if p],
        )
    except ValidationFailed as error:
        context = _board_context(request, opening=refused(request.POST, error, OPEN_FIELDS))
        return render(request, "divergences/board.html", context, status=422)
    return redirect("divergences:detail", divergence_id=row.public_id)


def _detail_context(request: HttpRequest, row: Any, acted: FormState = EMPTY) -> dict[str, Any]:
    """The page of divergence ``row``; ``acted``: the refused action's form (its key is
    the action) to show again as typed."""
    user = request.user
    positions = list(selectors.position_list(actor=user, divergence=row))
    next_rung = row.process.escalation_next(row.rung)
    context = {
        "d": row,
        "positions": positions,
        "bridging": selectors.bridging_list(actor=user, divergence=row),
        "referrals": selectors.referral_list(actor=user, divergence=row),
        "may": selectors.divergence_actions(actor=user, divergence=row),
        "next_rung": next_rung,
        "rung_label": selectors.rung_label(row.process, row.rung),
        "forms": {name: acted if name == acted.key else EMPTY for name in ACTIONS},
    }
    return context


@login_required
def detail(request: HttpRequest, divergence_id: str) -> HttpResponse:
    row = access.divergence_access(request.user, divergence_id)
    return render(request, "divergences/detail.html", _detail_context(request, row))


Action = Callable[[Any, str, QueryDict], object]

ACTIONS: dict[str, Action] = {
    "position": lambda actor, d, post: services.position_set(
        actor=actor, divergence_id=d, text=post.get("text", ""), shared=post.get("shared") == "1"
    ),
    "share": lambda actor, d, post: services.position_share(actor=actor, divergence_id=d),
    "bridging": lambda actor, d, post: services.bridging_propose(
        actor=actor, divergence_id=d, text=post.get("text", "")
    ),
    "refer": lambda actor, d, post: services.divergence_refer(
        actor=actor, divergence_id=d, note=post.get("text", "")
    ),
    "resolve": lambda actor, d, post: services.divergence_resolve(
        actor=actor, divergence_id=d, resolution=post.get("text", "")
    ),
    "park": lambda actor, d, post: services.divergence_park(
        actor=actor, divergence_id=d, note=post.get("text", "")
    ),
    "reopen": lambda actor, d, post: services.divergence_reopen(
        actor=actor, divergence_id=d, note=post.get("text", "")
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, divergence_id: str, action: str) -> HttpResponse:
    """One form per use case on the detail page; each calls its service."""
    row = access.divergence_access(request.user, divergence_id)
    handler = ACTIONS.get(action)
    if handler is None:
        raise ACTION_NOT_FOUND()
    try:
        handler(request.user, str(row.public_id), request.POST)
    except ValidationFailed as error:
        acted = refused(request.POST, error, ACT_FIELDS, key=action)
        context = _detail_context(request, row, acted)
        return render(request, "divergences/detail.html", context, status=422)
    return redirect("divergences:detail", divergence_id=row.public_id)
