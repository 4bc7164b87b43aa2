"""Pages of the compliance app: the implementation report (overview, PDF), a page per
commitment, sequence and dispute.

Refusals rise to ``accord.web.errors.AccordErrorMiddleware``; a refused input comes
back as a message where it was typed (the middleware's form handling). Every form is
offered only where its ``access.may_`` predicate says the service would accept it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accord.accounts import access as policy
from accord.compliance import access, selectors, services
from accord.compliance.models import Dispute, VerificationReport
from accord.dates import day_parse
from accord.errors import NotFound, ValidationFailed
from accord.events.selectors import timeline_window
from accord.process.selectors import process_for

# A page shows this many events of a timeline; "show earlier" goes back as many again.
TIMELINE_SIZE = 50
# The overview lists this many requests to convene still waiting (the API pages them all).
CONVENINGS_SHOWN = 20

ACTION_NOT_FOUND = NotFound.case("compliance.action_not_found", _("There is no such action."))
DAY_INVALID = ValidationFailed.case(
    "compliance.day_invalid", _("This is not a date; write it as YYYY-MM-DD.")
)


def _day(value: str | None) -> dt.date | None:
    return day_parse(value, invalid=DAY_INVALID) if value else None


def _overview_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    process = process_for(user)
    tranches = list(selectors.tranche_list(actor=user))
    return {
        "process": process,
        "sums": selectors.rollups(actor=user),
        "commitments": selectors.commitment_list(actor=user),
        "sequences": selectors.sequence_list(actor=user),
        "disputes": selectors.dispute_list(actor=user),
        "tranches": [selectors.tranche_state(t) for t in tranches],
        "releasable": {t.public_id for t in tranches if access.may_release(user, t)},
        "parties": process.delegations.filter(kind="party"),
        "respondents": process.delegations.filter(kind="party").exclude(
            pk=getattr(policy.delegation_of(user), "pk", None)
        ),
        "bodies": process.bodies.all(),
        "may_create": access.may_create_commitment(user, process),
        "may_file": access.may_file_dispute(user, process),
        "may_ask_convening": access.may_request_convening(user, process),
        "convenings": [
            (r, access.may_record_convening(user, r), selectors.convening_overdue(r))
            for r in selectors.convening_list(actor=user).filter(convened_at__isnull=True)[
                :CONVENINGS_SHOWN
            ]
        ],
        "today": timezone.now(),
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "compliance/overview.html", _overview_context(request))


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The implementation report on one page, for the HLC."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string("compliance/print.html", _overview_context(request), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="implementation-report.pdf"'
    return response


@login_required
@require_POST
def commitment_new(request: HttpRequest) -> HttpResponse:
    post = request.POST
    row = services.commitment_create(
        actor=request.user,
        party_code=post.get("party", ""),
        title_text=post.get("title", ""),
        description=post.get("description", ""),
        due_on=_day(post.get("due_on")),
        trigger=post.get("trigger", ""),
        verifying_body_code=post.get("verifying_body") or None,
        evidence_required=post.get("evidence_required", ""),
        provision_id=post.get("provision") or None,
        body_code=post.get("body") or None,
    )
    return redirect("compliance:commitment", commitment_id=row.public_id)


@login_required
def commitment(request: HttpRequest, commitment_id: str) -> HttpResponse:
    user = request.user
    row = access.commitment_access(user, commitment_id)
    context = {
        "c": row,
        "reports": selectors.report_list(actor=user, commitment=row),
        "requests": selectors.access_request_list(actor=user, commitment=row),
        "assessments": selectors.assessment_list(actor=user, commitment=row),
        "findings": VerificationReport.Finding.choices,
        "may": {
            "report": access.may_report(user, row),
            "request_access": access.may_request_access(user, row),
            "assess": access.may_assess(user, row),
        },
    }
    subjects = selectors.commitment_subjects(actor=user, commitment=row)
    window = timeline_window(
        actor=user, subjects=subjects, limit=TIMELINE_SIZE, before=request.GET.get("earlier")
    )
    context.update(
        timeline=window.events,
        timeline_earlier=window.earlier,
        timeline_subjects=subjects,
        timeline_scopes=(),
    )
    context["report_rows"] = [(r, access.may_publish(user, r)) for r in context["reports"]]
    context["request_rows"] = [
        (
            r,
            {
                "agree": access.may_agree_access(user, r),
                "decide": access.may_decide_access(user, r),
                "record": access.may_record_access(user, r),
            },
        )
        for r in context["requests"]
    ]
    return render(request, "compliance/commitment.html", context)


Action = Callable[[Any, str, QueryDict], object]

COMMITMENT_ACTIONS: dict[str, Action] = {
    "report": lambda actor, c, post: services.report_file(
        actor=actor,
        commitment_id=c,
        finding=post.get("finding", ""),
        observed_on=_day(post.get("observed_on")) or timezone.now().date(),
        method=post.get("method", ""),
        evidence=post.get("evidence", ""),
    ),
    "publish": lambda actor, c, post: services.report_publish(
        actor=actor, report_id=post.get("report", "")
    ),
    "request-access": lambda actor, c, post: services.access_request_open(
        actor=actor, commitment_id=c, location=post.get("location", "")
    ),
    "agree": lambda actor, c, post: services.access_request_agree(
        actor=actor, request_id=post.get("request", "")
    ),
    "decide": lambda actor, c, post: services.access_request_decide(
        actor=actor, request_id=post.get("request", ""), grant=post.get("grant") == "1"
    ),
    "record": lambda actor, c, post: services.access_request_record(
        actor=actor, request_id=post.get("request", "")
    ),
    "assess": lambda actor, c, post: services.assessment_set(
        actor=actor, commitment_id=c, text_value=post.get("text", "")
    ),
}


@login_required
@require_POST
def commitment_act(request: HttpRequest, commitment_id: str, action: str) -> HttpResponse:
    row = access.commitment_access(request.user, commitment_id)
    handler = COMMITMENT_ACTIONS.get(action)
    if handler is None:
        raise ACTION_NOT_FOUND()
    handler(request.user, str(row.public_id), request.POST)
    return redirect("compliance:commitment", commitment_id=row.public_id)


@login_required
def sequence(request: HttpRequest, sequence_id: str) -> HttpResponse:
    row = access.sequence_access(request.user, sequence_id)
    view = selectors.sequence_view(actor=request.user, sequence=row)
    steps = {c.code: c for c in row.steps.select_related("party")}
    return render(
        request,
        "compliance/sequence.html",
        {
            "s": row,
            "v": view,
            "steps": steps,
            "milestones": row.milestones.all(),
            "unlocked": [
                (party, [steps[code] for code in codes])
                for party, codes in sorted(view.plan.unlocked.items())
            ],
        },
    )


@login_required
def dispute(request: HttpRequest, dispute_id: str) -> HttpResponse:
    user = request.user
    row = access.dispute_access(user, dispute_id)
    stages = selectors.dispute_stages(actor=user, dispute=row)
    context = {
        "d": row,
        "stage_name": selectors.stage_name(row),
        "stages": stages,
        "open_stages": [s for s in stages if s.ended_at is None],
        "openable": access.stages_to_open(row) if access.may_advance(user, row) else [],
        "may": {
            "extend": access.may_extend_stage(user, row),
            "advance": access.may_advance(user, row),
            "convene": access.may_convene(user, row),
            "resolve": access.may_resolve(user, row),
            "notify": access.may_notify(user, row),
        },
    }
    return render(request, "compliance/dispute.html", context)


@login_required
@require_POST
def dispute_new(request: HttpRequest) -> HttpResponse:
    post = request.POST
    row = services.dispute_file(
        actor=request.user,
        title_text=post.get("title", ""),
        description=post.get("description", ""),
        respondent_code=post.get("respondent") or None,
        commitment_id=post.get("commitment") or None,
        urgent=post.get("urgent") == "1",
    )
    return redirect("compliance:dispute", dispute_id=row.public_id)


def _int(value: str | None) -> int:
    try:
        return int(value or "0")
    except ValueError:
        return 0


DISPUTE_ACTIONS: dict[str, Action] = {
    "extend": lambda actor, d, post: services.dispute_extend(
        actor=actor, dispute_id=d, days=_int(post.get("days")), reason=post.get("text", "")
    ),
    "advance": lambda actor, d, post: services.dispute_advance(
        actor=actor, dispute_id=d, reason=post.get("text", ""), stage_code=post.get("stage")
    ),
    "open-stage": lambda actor, d, post: services.dispute_open_stage(
        actor=actor,
        dispute_id=d,
        stage_code=post.get("stage", ""),
        instead=post.get("instead") == "1",
        reason=post.get("text", ""),
    ),
    "convene": lambda actor, d, post: services.dispute_convene(actor=actor, dispute_id=d),
    "resolve": lambda actor, d, post: services.dispute_resolve(
        actor=actor, dispute_id=d, resolution=post.get("text", "")
    ),
    "notify": lambda actor, d, post: services.dispute_notify(
        actor=actor, dispute_id=d, text_value=post.get("text", "")
    ),
}


@login_required
@require_POST
def dispute_act(request: HttpRequest, dispute_id: str, action: str) -> HttpResponse:
    row: Dispute = access.dispute_access(request.user, dispute_id)
    handler = DISPUTE_ACTIONS.get(action)
    if handler is None:
        raise ACTION_NOT_FOUND()
    handler(request.user, str(row.public_id), request.POST)
    return redirect("compliance:dispute", dispute_id=row.public_id)


@login_required
@require_POST
def tranche_release(request: HttpRequest, tranche_id: str) -> HttpResponse:
    services.tranche_release(actor=request.user, tranche_id=tranche_id)
    return redirect("compliance:overview")


@login_required
@require_POST
def convening_new(request: HttpRequest) -> HttpResponse:
    services.convening_request(
        actor=request.user,
        title_text=request.POST.get("title", ""),
        urgent=request.POST.get("urgent") == "1",
    )
    return redirect(reverse("compliance:overview") + "#convening")


@login_required
@require_POST
def convening_done(request: HttpRequest, request_id: str) -> HttpResponse:
    services.convening_record(actor=request.user, request_id=request_id)
    return redirect(reverse("compliance:overview") + "#convening")
