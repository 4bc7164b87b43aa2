"""Pages of the process: the home page (the architecture at a glance) and a page per body."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.accounts import access
from accord.accounts.selectors import appointment_list
from accord.errors import AccordError, NotFound
from accord.events.selectors import event_timeline
from accord.notes.selectors import note_list
from accord.process import selectors, services
from accord.process.models import Milestone


def _no_process(request: HttpRequest, error: NotFound) -> HttpResponse:
    return render(request, "process/no_process.html", {"message": error.message}, status=404)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    try:
        process = selectors.process_for(request.user)
    except NotFound as error:
        return _no_process(request, error)
    bodies = list(selectors.body_list(actor=request.user))
    delegations = list(selectors.delegation_list(actor=request.user))
    milestones = list(selectors.milestone_list(actor=request.user))
    roadmap = selectors.roadmap_status(actor=request.user, today=timezone.localdate())
    for milestone in milestones:
        milestone.may_mark_met = services.milestone_may_mark_met(  # type: ignore[attr-defined]
            milestone=milestone, actor=request.user
        )
    context = {
        "process": process,
        "parties": [d for d in delegations if d.is_party],
        "facilitators": [d for d in delegations if d.is_facilitator],
        # Each top-level body with the bodies reporting to it (the HLC and its groups).
        "architecture": [
            (top, [b for b in bodies if b.reports_to_id == top.pk])
            for top in bodies
            if top.reports_to_id is None
        ],
        "mechanisms": selectors.mechanism_list(actor=request.user),
        "roadmap": roadmap,
        "roadmap_percent": max(0, min(100, round(100 * roadmap.day / roadmap.length_days))),
        "milestones": milestones,
        "milestone_counts": {
            status: sum(1 for m in milestones if m.status == status)
            for status in Milestone.Status.values
        },
    }
    return render(request, "process/home.html", context)


@login_required
@require_POST
def milestone_met(request: HttpRequest, code: str) -> HttpResponse:
    """Record a milestone as met; from the home page's roadmap table (htmx or plain form)."""
    try:
        milestone = selectors.milestone_get(actor=request.user, code=code)
        milestone = services.milestone_mark_met(milestone=milestone, actor=request.user)
    except AccordError as error:
        if request.htmx:
            return HttpResponse(error.message, status=error.status)
        messages.error(request, error.message)
        return redirect("process:home")
    if request.htmx:
        return render(request, "process/_milestone_row.html", {"m": milestone})
    return redirect("process:home")


@login_required
def body_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        body = selectors.body_get(actor=request.user, code=code)
    except NotFound as error:
        return _no_process(request, error)
    milestones = list(selectors.milestone_list(actor=request.user, body=body))
    subjects = [f"body:{body.code}", *(f"milestone:{m.code}" for m in milestones)]
    scopes = (access.body_scope(body.code),)
    context = {
        "body": body,
        "members": appointment_list(body=body),
        "children": body.reporting_bodies.all(),
        "milestones": milestones,
        "timeline": event_timeline(actor=request.user, subjects=subjects, scopes=scopes),
        "timeline_subjects": subjects,
        "timeline_scopes": scopes,
        "notes": note_list(actor=request.user, body_code=body.code),
        "note_subject": f"body:{body.code}",
    }
    return render(request, "process/body_detail.html", context)


@login_required
def mechanism_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        mechanism = selectors.mechanism_get(actor=request.user, code=code)
    except NotFound as error:
        return _no_process(request, error)
    subjects = [f"mechanism:{mechanism.code}"]
    scopes = (access.mechanism_scope(mechanism.code),)
    context = {
        "mechanism": mechanism,
        "members": appointment_list(mechanism=mechanism),
        "timeline": event_timeline(actor=request.user, subjects=subjects, scopes=scopes),
        "timeline_subjects": subjects,
        "timeline_scopes": scopes,
    }
    return render(request, "process/mechanism_detail.html", context)
