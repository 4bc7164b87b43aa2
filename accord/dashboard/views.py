"""The pages composed from several apps: the process home, its roadmap, a body, a mechanism.

This is the top layer of pages: it reads the process, people (``accounts``), the event
timeline, notes, divergences and, through ``reports``, drafting's bracket counts, and it
may import any app's selectors and access while no app imports it. Errors rise to
``web.errors.AccordErrorMiddleware``; nothing here catches them.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accord import pagination
from accord.accounts import access as policy
from accord.accounts.models import User
from accord.accounts.selectors import appointment_list
from accord.attention import attention_for, desk_total_remember
from accord.compliance import selectors as compliance_selectors
from accord.dates import day_parse
from accord.divergences.models import Divergence
from accord.divergences.selectors import divergence_list
from accord.errors import ValidationFailed
from accord.events.selectors import newest_visible_seq, timeline_window
from accord.notes.selectors import note_panel
from accord.ops.access import may_operate
from accord.process import access, selectors, services
from accord.process.models import Milestone
from accord.process.selectors import RoadmapOverview
from accord.reports import charts
from accord.reports.selectors import roadmap_overview

# A page shows this many events of a timeline; "show earlier" goes back as many again.
TIMELINE_SIZE = 50
EXTEND_BAD_DATE = ValidationFailed.case(
    "milestone.extend_bad_date", _("Give the new date as YYYY-MM-DD.")
)


def _annotate(overview: RoadmapOverview, actor: User) -> list[Milestone]:
    """The milestones, each carrying its health, reasons, slack and what the viewer may do."""
    milestones = []
    # Who may mark a milestone met depends on its process and body, who may extend it on
    # its process (the oversight body's chairs): asked once per body and once per
    # process, not once per milestone (the home page's queries no longer grow with them).
    may_mark: dict[tuple[int, int], bool] = {}
    may_extend: dict[int, bool] = {}
    for view in overview.milestones:
        m = view.milestone
        m.health = view.health  # type: ignore[attr-defined]
        m.reasons = view.reasons  # type: ignore[attr-defined]
        m.critical = view.critical  # type: ignore[attr-defined]
        m.slack = view.slack  # type: ignore[attr-defined]
        body_key = (m.process_id, m.body_id)
        if body_key not in may_mark:
            may_mark[body_key] = access.may_mark_met(actor, m)
        if m.process_id not in may_extend:
            may_extend[m.process_id] = access.may_extend(actor, m)
        m.may_mark_met = may_mark[body_key]  # type: ignore[attr-defined]
        m.may_extend = may_extend[m.process_id]  # type: ignore[attr-defined]
        milestones.append(m)
    return milestones


def _roadmap_context(request: HttpRequest, today: dt.date) -> dict:
    overview = roadmap_overview(actor=request.user, today=today)
    status = overview.status
    return {
        "overview": overview,
        "roadmap": status,
        "roadmap_percent": max(0, min(100, round(100 * status.day / status.length_days))),
        "milestones": _annotate(overview, request.user),
        "milestone_counts": overview.counts,
        # The charts escape every text they draw.
        "gantt_svg": mark_safe(charts.gantt_for(overview)),  # noqa: S308
        "burndown_svg": mark_safe(charts.burndown_for(overview)),  # noqa: S308
    }


def _desk_context(actor: User) -> dict:
    groups = attention_for(actor)
    return {"desk": groups, "desk_total": sum(group.count for group in groups)}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The process at a glance: parties, roadmap, bodies, mechanisms, milestones."""
    if policy.delegation_of(request.user) is None and may_operate(request.user):
        return redirect("ops:home")  # an operator is in no process: their page is the server
    process = selectors.process_for(request.user)
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
        "compliance": compliance_selectors.rollups(actor=request.user),
        **_desk_context(request.user),
    }
    position = getattr(request, "feed_position", None)
    if position is not None:  # the nav of this page and the next ones show it as is
        desk_total_remember(
            request.user, request.session.session_key, position, context["desk_total"]
        )
    return render(request, "dashboard/home.html", context)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """My desk alone (the home page refreshes it with htmx when the live feed moves)."""
    return render(request, "dashboard/_desk.html", _desk_context(request.user))


@login_required
def desk_badge(request: HttpRequest) -> HttpResponse:
    """The nav's count of what waits on my desk (htmx, refreshed with the live feed); the
    count is remembered for the pages that follow at the same position (decision 0133)."""
    context = _desk_context(request.user)
    position = newest_visible_seq(actor=request.user)
    desk_total_remember(request.user, request.session.session_key, position, context["desk_total"])
    return render(request, "dashboard/_desk_badge.html", context)


@login_required
def roadmap_page(request: HttpRequest) -> HttpResponse:
    """The roadmap in full: Gantt, burn-down, forecast, critical path, extensions."""
    return render(
        request, "dashboard/roadmap.html", _roadmap_context(request, timezone.localdate())
    )


@login_required
def gantt_svg(request: HttpRequest) -> HttpResponse:
    overview = roadmap_overview(actor=request.user, today=timezone.localdate())
    return HttpResponse(charts.gantt_for(overview), content_type="image/svg+xml")


@login_required
def burndown_svg(request: HttpRequest) -> HttpResponse:
    overview = roadmap_overview(actor=request.user, today=timezone.localdate())
    return HttpResponse(charts.burndown_for(overview), content_type="image/svg+xml")


@login_required
@require_POST
def milestone_extend(request: HttpRequest) -> HttpResponse:
    """Record an HLC decision extending a milestone (from the roadmap page)."""
    code = request.POST.get("code", "")
    new_due_on = day_parse(request.POST.get("new_due_on", ""), invalid=EXTEND_BAD_DATE)
    services.milestone_extend(
        actor=request.user,
        code=code,
        new_due_on=new_due_on,
        reason=request.POST.get("reason", ""),
        decision_ref=request.POST.get("decision_ref", ""),
    )
    messages.success(
        request,
        _g("Milestone {code} extended to {new_due_on:%d %b %Y}.").format(
            code=code, new_due_on=new_due_on
        ),
    )
    return redirect("process:roadmap")


@login_required
@require_POST
def milestone_met(request: HttpRequest, code: str) -> HttpResponse:
    """Record a milestone as met; from the roadmap table (htmx: the row comes back)."""
    milestone = services.milestone_mark_met(actor=request.user, code=code)
    if request.htmx:  # type: ignore[attr-defined]
        overview = roadmap_overview(actor=request.user, today=timezone.localdate())
        row = next(m for m in _annotate(overview, request.user) if m.pk == milestone.pk)
        return render(request, "dashboard/_milestone_row.html", {"m": row})
    return redirect("process:home")


def _body_divergences(
    actor: User, code: str, cursor: str | None = None
) -> pagination.Page[Divergence]:
    """Unresolved divergences in ``code``'s register or sitting at it, newest first, a
    page at a time (a year leaves hundreds)."""
    rows = divergence_list(actor=actor, status="unresolved")
    return pagination.page_of(
        rows.filter(body__code=code) | rows.filter(rung=code),
        list_name=f"body-divergences:{code}",
        order=("-created_at", "-id"),
        cursor=cursor,
    )


def _timeline(request: HttpRequest, subjects: list[str], scopes: tuple[str, ...]) -> dict:
    """A bounded timeline and its "show earlier" cursor (``?earlier=``)."""
    window = timeline_window(
        actor=request.user,
        subjects=subjects,
        scopes=scopes,
        limit=TIMELINE_SIZE,
        before=request.GET.get("earlier"),
    )
    return {"timeline": window.events, "timeline_earlier": window.earlier}


@login_required
def body_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A body: mandate, members, milestones, divergences, timeline and its internal notes."""
    body = access.body_access(request.user, code)
    milestones = list(selectors.milestone_list(actor=request.user, body=body))
    subjects = [f"body:{body.code}", *(f"milestone:{m.code}" for m in milestones)]
    scopes = (policy.body_scope(body.code),)
    divergences = _body_divergences(request.user, body.code, request.GET.get("divergences"))
    context = {
        "body": body,
        "members": appointment_list(body=body),
        "children": body.reporting_bodies.all(),
        "milestones": milestones,
        **_timeline(request, subjects, scopes),
        "timeline_subjects": subjects,
        "timeline_scopes": scopes,
        "notes": note_panel(actor=request.user, body_code=body.code),
        "divergences_page": divergences,
        "divergences": divergences.items,
        "note_subject": f"body:{body.code}",
    }
    return render(request, "dashboard/body_detail.html", context)


@login_required
def mechanism_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A mechanism: purpose, members and its timeline."""
    mechanism = access.mechanism_access(request.user, code)
    subjects = [f"mechanism:{mechanism.code}"]
    scopes = (policy.mechanism_scope(mechanism.code),)
    context = {
        "mechanism": mechanism,
        "members": appointment_list(mechanism=mechanism),
        **_timeline(request, subjects, scopes),
        "timeline_subjects": subjects,
        "timeline_scopes": scopes,
    }
    return render(request, "dashboard/mechanism_detail.html", context)
