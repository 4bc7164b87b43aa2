"""Reads of the process structure. Structure (bodies, mechanisms, roadmap) is ``shared``:
every participant of a process sees it, nobody outside the process does.

What other apps count per working group (drafting's brackets, divergences) comes in as
``roadmap.OpenItems`` from the layer that composes them (``reports.selectors``): this
module reads only the process, so every app may read it without a circle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accord.accounts import access as policy
from accord.process import access, roadmap
from accord.process.models import (
    Body,
    Delegation,
    Mechanism,
    Milestone,
    MilestoneExtension,
    Process,
)

if TYPE_CHECKING:
    from accord.accounts.models import User


def process_for(actor: User | None) -> Process:
    """The process ``actor`` takes part in; ``access.PROCESS_NOT_FOUND`` for anyone outside."""
    return access.process_access(actor)


def oversight_body(process: Process) -> Body | None:
    """The body at the top of the reporting lines (the HLC)."""
    return process.oversight_body()


def delegation_list(*, actor: User | None) -> QuerySet[Delegation]:
    return Delegation.objects.filter(process=process_for(actor))


def body_list(*, actor: User | None) -> QuerySet[Body]:
    return (
        Body.objects.filter(process=process_for(actor))
        .select_related("reports_to")
        .prefetch_related("chairs")
    )


def mechanism_list(*, actor: User | None) -> QuerySet[Mechanism]:
    return Mechanism.objects.filter(process=process_for(actor)).prefetch_related("delegations")


def milestone_list(*, actor: User | None, body: Body | None = None) -> QuerySet[Milestone]:
    milestones = Milestone.objects.filter(process=process_for(actor)).select_related("body")
    if body is not None:
        milestones = milestones.filter(body=body)
    return milestones.prefetch_related(
        Prefetch("depends_on", queryset=Milestone.objects.only("id", "code")),
        Prefetch("extensions", queryset=MilestoneExtension.objects.order_by("decided_at", "id")),
    )


@dataclass(frozen=True)
class RoadmapStatus:
    """Where the roadmap stands on ``today``: "day N of L"."""

    title: str
    starts_on: dt.date
    ends_on: dt.date
    length_days: int
    today: dt.date
    day: int

    @property
    def phase(self) -> str:
        if self.day < 1:
            return "not_started"
        if self.day > self.length_days:
            return "ended"
        return "running"

    @property
    def label(self) -> str:
        if self.day < 1:
            days = 1 - self.day
            return ngettext("starts in {days} day", "starts in {days} days", days).format(days=days)
        return _g("day {day} of {length}").format(day=self.day, length=self.length_days)


def roadmap_status(*, actor: User | None, today: dt.date) -> RoadmapStatus:
    process = process_for(actor)
    return RoadmapStatus(
        title=process.roadmap_title or _g("Roadmap"),
        starts_on=process.roadmap_starts_on,
        ends_on=process.roadmap_ends_on,
        length_days=process.roadmap_length_days,
        today=today,
        day=process.roadmap_day(today),
    )


# --- Roadmap overview: statuses, critical path, forecast -----------------------------------

AT_RISK_WITHIN_DAYS = 7
HEALTH_LABELS = {
    "met": _("Met"),
    "at_risk": _("At risk"),
    "overdue": _("Overdue"),
    "extended": _("Extended"),
    "pending": _("Pending"),
}


@dataclass
class MilestoneView:
    """A milestone with what the roadmap page shows about it."""

    milestone: Milestone
    health: str  # met, overdue, at_risk, extended, pending
    reasons: list[str]
    slack: int
    critical: bool
    start_on: dt.date

    @property
    def code(self) -> str:
        return self.milestone.code

    @property
    def health_label(self) -> str:
        return str(HEALTH_LABELS.get(self.health, self.health))


@dataclass
class BodyForecast:
    body: Body
    forecast: roadmap.Forecast
    milestone: Milestone | None
    brackets_now: int
    divergences_now: int


@dataclass
class RoadmapOverview:
    status: RoadmapStatus
    milestones: list[MilestoneView]
    critical_path: list[str]
    next_milestones: list[MilestoneView]
    forecasts: list[BodyForecast]
    counts: dict[str, int]

    def by_code(self) -> dict[str, MilestoneView]:
        return {view.code: view for view in self.milestones}


def roadmap_overview(
    *, actor: User | None, today: dt.date, open_items: roadmap.OpenItems | None = None
) -> RoadmapOverview:
    """Everything the roadmap shows on ``today``: health of each milestone, critical path,
    next milestones and the pace forecast per working group.

    Health: ``met``; ``overdue``; ``at_risk`` when a dependency is overdue or due after
    it, when its body's forecast reaches a clean text after it, or when it is due within
    ``AT_RISK_WITHIN_DAYS`` with a dependency still open; else ``extended`` or ``pending``.
    ``open_items``: the brackets and divergences per working group the forecast counts
    (none: every forecast has no data); ``reports.selectors.roadmap_overview`` gives them.
    """
    process = process_for(actor)
    status = roadmap_status(actor=actor, today=today)
    milestones = list(milestone_list(actor=actor))
    by_code = {m.code: m for m in milestones}
    start = process.roadmap_starts_on

    def day_of(m: Milestone) -> int:
        return (m.due_on - start).days + 1

    schedule = roadmap.milestone_schedule(
        [
            roadmap.MilestonePlan(m.code, day_of(m), tuple(d.code for d in m.depends_on.all()))
            for m in milestones
        ]
    )
    forecasts = _forecasts(
        process=process,
        milestones=milestones,
        today=today,
        open_items=open_items or roadmap.OpenItems(),
    )
    late_bodies = {
        f.milestone.code: f for f in forecasts if f.milestone and f.forecast.status == "late"
    }
    views = []
    for m in milestones:
        deps = [by_code[d.code] for d in m.depends_on.all() if d.code in by_code]
        reasons: list[str] = []
        if m.status not in (Milestone.Status.MET, Milestone.Status.OVERDUE):
            for dep in deps:
                if dep.status == Milestone.Status.OVERDUE:
                    reasons.append(_g("{code} is overdue").format(code=dep.code))
                elif dep.status != Milestone.Status.MET and dep.due_on > m.due_on:
                    reasons.append(
                        _g("{code} is now due after it ({due_on:%d %b})").format(
                            code=dep.code, due_on=dep.due_on
                        )
                    )
                elif (
                    dep.status != Milestone.Status.MET
                    and (m.due_on - today).days <= AT_RISK_WITHIN_DAYS
                ):
                    reasons.append(_g("{code} is not met yet").format(code=dep.code))
            late = late_bodies.get(m.code)
            if late is not None and late.forecast.clean_on is not None:
                reasons.append(
                    ngettext(
                        "at the current pace {body} has a clean text on {clean_on:%d %b}, "
                        "{days} day late",
                        "at the current pace {body} has a clean text on {clean_on:%d %b}, "
                        "{days} days late",
                        late.forecast.slip_days or 0,
                    ).format(
                        body=m.body.code,
                        clean_on=late.forecast.clean_on,
                        days=late.forecast.slip_days,
                    )
                )
        if m.status in (Milestone.Status.MET, Milestone.Status.OVERDUE):
            health = m.status
        elif reasons:
            health = "at_risk"
        else:
            health = m.status
        dep_due = max((d.due_on for d in deps), default=None)
        views.append(
            MilestoneView(
                milestone=m,
                health=health,
                reasons=reasons,
                slack=schedule.slack.get(m.code, 0),
                critical=m.code in schedule.critical_path,
                start_on=min(dep_due or start, m.due_on),
            )
        )
    upcoming = sorted(
        (v for v in views if v.milestone.status != Milestone.Status.MET),
        key=lambda v: (v.milestone.due_on, v.milestone.order),
    )
    counts = dict.fromkeys(("met", "at_risk", "overdue", "extended", "pending"), 0)
    for view in views:
        counts[view.health] += 1
    return RoadmapOverview(
        status=status,
        milestones=views,
        critical_path=schedule.critical_path,
        next_milestones=upcoming[:5],
        forecasts=forecasts,
        counts=counts,
    )


def _forecasts(
    *,
    process: Process,
    milestones: list[Milestone],
    today: dt.date,
    open_items: roadmap.OpenItems,
) -> list[BodyForecast]:
    """A forecast per working group: its open brackets plus its open divergences."""
    brackets_history = roadmap.by_key(open_items.bracket_history)
    brackets_now = dict(open_items.brackets_now)
    divergences = roadmap.by_key(open_items.divergence_history)
    result = []
    for body in Body.objects.filter(process=process, kind=Body.Kind.WORKING_GROUP):
        brackets = [p for p in brackets_history.get(body.code, []) if p[0] <= today]
        if body.code in brackets_now:
            brackets.append((today, brackets_now[body.code]))
        points = roadmap.series_sum(brackets, divergences.get(body.code, []))
        open_milestones = [
            m for m in milestones if m.body_id == body.pk and m.status != Milestone.Status.MET
        ]
        # A clean text is what the body's last deliverable needs.
        target = max(open_milestones, key=lambda m: m.due_on, default=None)
        forecast = roadmap.forecast_clean(
            points, today=today, due_on=target.due_on if target else None
        )
        divergence_points = [p for p in divergences.get(body.code, []) if p[0] <= today]
        result.append(
            BodyForecast(
                body=body,
                forecast=forecast,
                milestone=target,
                brackets_now=brackets[-1][1] if brackets else 0,
                divergences_now=divergence_points[-1][1] if divergence_points else 0,
            )
        )
    return result


def milestone_extension_list(
    *, actor: User | None, milestone: Milestone
) -> QuerySet[MilestoneExtension]:
    # Structure is shared: any participant, nobody outside.
    if milestone.process_id != process_for(actor).pk:
        return MilestoneExtension.objects.none()
    return milestone.extensions.select_related("decided_by").order_by("decided_at", "id")


def body_codes_sat_in(*, actor: User | None) -> set[str]:
    """The codes of the bodies ``actor`` sits in (their clearance's body scopes)."""
    return {
        code
        for kind, code in (policy.parse_scope(s) for s in policy.clearance(actor).scopes)
        if kind == policy.BODY and code
    }
