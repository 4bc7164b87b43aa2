"""Pages of the process: the home page (the architecture at a glance) and a page per body."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accord.accounts import access
from accord.accounts.selectors import appointment_list
from accord.errors import AccordError, NotFound, ValidationFailed
from accord.events.selectors import event_timeline
from accord.notes.selectors import note_list
from accord.process import selectors, services
from accord.process.models import Milestone
from accord.reports import charts


def _annotate(overview: selectors.RoadmapOverview, actor: object) -> list[Milestone]:
    """The milestones, each carrying its health, reasons, slack and what the viewer may do."""
    milestones = []
    for view in overview.milestones:
        m = view.milestone
        m.health = view.health  # type: ignore[attr-defined]
        m.reasons = view.reasons  # type: ignore[attr-defined]
        m.critical = view.critical  # type: ignore[attr-defined]
        m.slack = view.slack  # type: ignore[attr-defined]
        m.may_mark_met = services.milestone_may_mark_met(  # type: ignore[attr-defined]
            milestone=m, actor=actor
        )
        m.may_extend = services.milestone_may_extend(  # type: ignore[attr-defined]
            milestone=m, actor=actor
        )
        milestones.append(m)
    return milestones


def gantt_for(overview: selectors.RoadmapOverview, *, width: int = 960) -> str:
    status = overview.status
    rows = [
        charts.GanttRow(
            code=v.code,
            label=v.milestone.title,
            group=v.milestone.body.code,
            start=v.start_on,
            end=v.milestone.due_on,
            health=v.health,
            critical=v.critical,
            original_end=v.milestone.original_due_on,
        )
        for v in sorted(
            overview.milestones,
            key=lambda v: (v.milestone.body.order, v.milestone.due_on, v.milestone.order),
        )
    ]
    return charts.gantt_svg(
        rows,
        starts_on=status.starts_on,
        ends_on=status.ends_on - dt.timedelta(days=1),
        today=status.today,
        width=width,
        title=status.title,
    )


def burndown_for(overview: selectors.RoadmapOverview, *, width: int = 960) -> str:
    status = overview.status
    series = [
        charts.BurnSeries(
            key=f.body.code,
            label=f.body.short_name or f.body.code,
            points=f.forecast.points,
            forecast_to=f.forecast.clean_on if f.forecast.status in ("late", "on_track") else None,
            due_on=f.milestone.due_on if f.milestone else None,
        )
        for f in overview.forecasts
    ]
    return charts.burndown_svg(
        series,
        starts_on=status.starts_on,
        ends_on=status.ends_on - dt.timedelta(days=1),
        today=status.today,
        width=width,
    )


def _roadmap_context(request: HttpRequest, today: dt.date) -> dict:
    overview = selectors.roadmap_overview(actor=request.user, today=today)
    milestones = _annotate(overview, request.user)
    return {
        "overview": overview,
        "roadmap": overview.status,
        "roadmap_percent": max(
            0, min(100, round(100 * overview.status.day / overview.status.length_days))
        ),
        "milestones": milestones,
        "milestone_counts": overview.counts,
        "gantt_svg": mark_safe(gantt_for(overview)),  # noqa: S308 - charts escape every text
        "burndown_svg": mark_safe(burndown_for(overview)),  # noqa: S308
    }


EXTEND_BAD_DATE = "Give the new date as YYYY-MM-DD."


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
    context = {
        **_roadmap_context(request, timezone.localdate()),
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
    }
    return render(request, "process/home.html", context)


@login_required
def roadmap_page(request: HttpRequest) -> HttpResponse:
    """The roadmap in full: Gantt, burn-down, forecast, critical path, extensions."""
    try:
        selectors.process_for(request.user)
    except NotFound as error:
        return _no_process(request, error)
    return render(request, "process/roadmap.html", _roadmap_context(request, timezone.localdate()))


@login_required
def gantt_svg(request: HttpRequest) -> HttpResponse:
    try:
        overview = selectors.roadmap_overview(actor=request.user, today=timezone.localdate())
    except NotFound as error:
        return HttpResponse(error.message, status=404, content_type="text/plain")
    return HttpResponse(gantt_for(overview), content_type="image/svg+xml")


@login_required
def burndown_svg(request: HttpRequest) -> HttpResponse:
    try:
        overview = selectors.roadmap_overview(actor=request.user, today=timezone.localdate())
    except NotFound as error:
        return HttpResponse(error.message, status=404, content_type="text/plain")
    return HttpResponse(burndown_for(overview), content_type="image/svg+xml")


@login_required
@require_POST
def milestone_extend(request: HttpRequest) -> HttpResponse:
    """Record an HLC decision extending a milestone (from the roadmap page)."""
    code = request.POST.get("code", "")
    try:
        milestone = selectors.milestone_get(actor=request.user, code=code)
        try:
            new_due_on = dt.date.fromisoformat(request.POST.get("new_due_on", ""))
        except ValueError:
            raise ValidationFailed(EXTEND_BAD_DATE) from None
        services.milestone_extend(
            milestone=milestone,
            new_due_on=new_due_on,
            reason=request.POST.get("reason", ""),
            decision_ref=request.POST.get("decision_ref", ""),
            actor=request.user,
        )
    except AccordError as error:
        messages.error(request, error.message)
        return redirect("process:roadmap")
    messages.success(request, f"Milestone {code} extended to {new_due_on:%d %b %Y}.")
    return redirect("process:roadmap")


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
        overview = selectors.roadmap_overview(actor=request.user, today=timezone.localdate())
        row = next(m for m in _annotate(overview, request.user) if m.pk == milestone.pk)
        return render(request, "process/_milestone_row.html", {"m": row})
    return redirect("process:home")


def _body_divergences(actor: object, code: str) -> list:
    """Unresolved divergences in ``code``'s register or sitting at it, if that app is there."""
    divergence_list = selectors.optional_provider("accord.divergences.selectors", "divergence_list")
    if divergence_list is None:
        return []
    rows = divergence_list(actor=actor, status="unresolved")
    return list(rows.filter(body__code=code) | rows.filter(rung=code))


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
        "divergences": _body_divergences(request.user, body.code),
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
