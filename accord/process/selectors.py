"""Reads of the process structure. Structure (bodies, mechanisms, roadmap) is ``shared``:
every participant of a process sees it, nobody outside the process does."""

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db.models import Prefetch, QuerySet

from accord.accounts import access
from accord.errors import NotFound
from accord.process import roadmap
from accord.process.models import (
    Body,
    Delegation,
    Mechanism,
    Milestone,
    MilestoneExtension,
    Process,
)

NO_PROCESS = "You are not a participant in any process."


def process_for(actor: object) -> Process:
    """The process ``actor`` takes part in; ``NotFound`` for anyone outside every process."""
    granted = access.clearance(actor)
    if granted.process_id is None:
        raise NotFound(NO_PROCESS)
    return Process.objects.get(pk=granted.process_id)


def delegation_list(*, actor: object) -> QuerySet[Delegation]:
    return Delegation.objects.filter(process=process_for(actor))


def body_list(*, actor: object) -> QuerySet[Body]:
    return (
        Body.objects.filter(process=process_for(actor))
        .select_related("reports_to")
        .prefetch_related("chairs")
    )


def body_get(*, actor: object, code: str) -> Body:
    body = body_list(actor=actor).filter(code=code).first()
    if body is None:
        raise NotFound(f"There is no body {code!r} in this process.")
    return body


def mechanism_list(*, actor: object) -> QuerySet[Mechanism]:
    return Mechanism.objects.filter(process=process_for(actor)).prefetch_related("delegations")


def mechanism_get(*, actor: object, code: str) -> Mechanism:
    mechanism = mechanism_list(actor=actor).filter(code=code).first()
    if mechanism is None:
        raise NotFound(f"There is no mechanism {code!r} in this process.")
    return mechanism


def milestone_list(*, actor: object, body: Body | None = None) -> QuerySet[Milestone]:
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
            return f"starts in {1 - self.day} day(s)"
        return f"day {self.day} of {self.length_days}"


def roadmap_status(*, actor: object, today: dt.date) -> RoadmapStatus:
    process = process_for(actor)
    return RoadmapStatus(
        title=process.roadmap_title or "Roadmap",
        starts_on=process.roadmap_starts_on,
        ends_on=process.roadmap_ends_on,
        length_days=process.roadmap_length_days,
        today=today,
        day=process.roadmap_day(today),
    )


def milestone_get(*, actor: object, code: str) -> Milestone:
    milestone = milestone_list(actor=actor).filter(code=code).first()
    if milestone is None:
        raise NotFound(f"There is no milestone {code!r} in this process.")
    return milestone


# --- Roadmap overview: statuses, critical path, forecast -----------------------------------

AT_RISK_WITHIN_DAYS = 7
HEALTH_LABELS = {
    "met": "Met",
    "at_risk": "At risk",
    "overdue": "Overdue",
    "extended": "Extended",
    "pending": "Pending",
}


def optional_provider(module: str, name: str) -> Any:
    """``module.name`` if another app provides it yet, else None (that app is optional)."""
    try:
        return getattr(import_module(module), name, None)
    except ModuleNotFoundError as error:
        if error.name is not None and module.startswith(error.name):
            return None
        raise


def bracket_counts(*, actor: object) -> dict[str, int]:
    """Open brackets per body code, from drafting; empty when drafting has none to give."""
    counts = optional_provider("accord.drafting.selectors", "bracket_counts_by_body")
    return dict(counts(actor=actor)) if counts else {}


def bracket_history(*, actor: object) -> list[tuple[dt.date, str, int]]:
    history = optional_provider("accord.drafting.selectors", "bracket_count_history")
    return list(history(actor=actor)) if history else []


def divergence_history(*, actor: object) -> list[tuple[dt.date, str, int]]:
    history = optional_provider("accord.divergences.selectors", "divergence_open_history")
    return list(history(actor=actor)) if history else []


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
        return HEALTH_LABELS.get(self.health, self.health)


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


def roadmap_overview(*, actor: object, today: dt.date) -> RoadmapOverview:
    """Everything the roadmap shows on ``today``: health of each milestone, critical path,
    next milestones and the pace forecast per working group.

    Health: ``met``; ``overdue``; ``at_risk`` when a dependency is overdue or due after
    it, when its body's forecast reaches a clean text after it, or when it is due within
    ``AT_RISK_WITHIN_DAYS`` with a dependency still open; else ``extended`` or ``pending``.
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
    forecasts = _forecasts(actor=actor, process=process, milestones=milestones, today=today)
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
                    reasons.append(f"{dep.code} is overdue")
                elif dep.status != Milestone.Status.MET and dep.due_on > m.due_on:
                    reasons.append(f"{dep.code} is now due after it ({dep.due_on:%d %b})")
                elif (
                    dep.status != Milestone.Status.MET
                    and (m.due_on - today).days <= AT_RISK_WITHIN_DAYS
                ):
                    reasons.append(f"{dep.code} is not met yet")
            late = late_bodies.get(m.code)
            if late is not None and late.forecast.clean_on is not None:
                reasons.append(
                    f"at the current pace {m.body.code} has a clean text on "
                    f"{late.forecast.clean_on:%d %b}, {late.forecast.slip_days} day(s) late"
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
    *, actor: object, process: Process, milestones: list[Milestone], today: dt.date
) -> list[BodyForecast]:
    """A forecast per working group: its open brackets plus its open divergences."""
    brackets_history = roadmap.by_key(bracket_history(actor=actor))
    brackets_now = bracket_counts(actor=actor)
    divergences = roadmap.by_key(divergence_history(actor=actor))
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
    *, actor: object, milestone: Milestone
) -> QuerySet[MilestoneExtension]:
    process_for(actor)  # structure is shared: any participant, nobody outside
    if milestone.process_id != access.clearance(actor).process_id:
        return MilestoneExtension.objects.none()
    return milestone.extensions.select_related("decided_by").order_by("decided_at", "id")
