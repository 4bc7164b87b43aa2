"""The HLC briefing: where the process stood on a given date, on one page.

Every figure is read through the other apps' selectors with the reader as actor, so the
briefing never shows a reader more than they could see elsewhere. Only members of the
oversight body (the HLC) and the facilitators may read it at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from accord.divergences import selectors as divergence_selectors
from accord.divergences.models import PRINCIPALS, Divergence
from accord.drafting import selectors as drafting_selectors
from accord.errors import PermissionDenied
from accord.meetings import selectors as meeting_selectors
from accord.meetings.models import ActionItem
from accord.process import roadmap
from accord.process import selectors as process_selectors
from accord.process.models import Body, Milestone, Process
from accord.reports.access import may_read_briefing

if TYPE_CHECKING:
    from accord.accounts.models import User

BRIEFING_NOT_YOURS = PermissionDenied.case(
    "briefing.not_allowed",
    _("The briefing is for the members of {body} and the facilitators only."),
)
TREND_DAYS = 7


# --- The roadmap with what other apps count ------------------------------------------------


def roadmap_open_items(*, actor: User | None) -> roadmap.OpenItems:
    """The open brackets (drafting) and divergences per working group ``actor`` may see."""
    return roadmap.OpenItems(
        bracket_history=drafting_selectors.bracket_count_history(actor=actor),
        brackets_now=drafting_selectors.bracket_counts_by_body(actor=actor),
        divergence_history=divergence_selectors.divergence_open_history(actor=actor),
    )


def roadmap_overview(*, actor: User | None, today: dt.date) -> process_selectors.RoadmapOverview:
    """The roadmap overview on ``today`` with its forecasts fed by drafting and divergences:
    what the home page, the roadmap page, its charts, the API and the briefing show."""
    return process_selectors.roadmap_overview(
        actor=actor, today=today, open_items=roadmap_open_items(actor=actor)
    )


@dataclass
class MilestoneOn:
    milestone: Milestone
    status: str  # met, overdue, at_risk, extended, pending — as of the date
    due_on: dt.date
    original_due_on: dt.date | None
    reasons: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(process_selectors.HEALTH_LABELS.get(self.status, self.status))


@dataclass
class BracketTrend:
    body: Body
    now: int | None
    before: int | None
    divergences: int

    @property
    def change(self) -> int | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


@dataclass
class Briefing:
    process: Process
    on: dt.date
    oversight: Body | None
    roadmap: process_selectors.RoadmapStatus
    critical_path: list[str]
    milestones: list[MilestoneOn]
    counts: dict[str, int]
    brackets: list[BracketTrend]
    rungs: list[tuple[str, str, list[Divergence]]]
    overdue_actions: list[ActionItem] | None  # None: no record of actions to report
    forecasts: list[process_selectors.BodyForecast]

    @property
    def at_risk(self) -> list[MilestoneOn]:
        return [m for m in self.milestones if m.status in ("at_risk", "overdue")]


def _due_on(milestone: Milestone, on: dt.date) -> tuple[dt.date, dt.date | None, bool]:
    """(due date on ``on``, original date, extended by then?)."""
    extensions = [e for e in milestone.extensions.all() if e.decided_at.date() <= on]
    original = milestone.original_due_on or milestone.due_on
    if extensions:
        return extensions[-1].new_due_on, original, True
    return original, None, False


def _milestones_on(milestones: list[Milestone], on: dt.date) -> list[MilestoneOn]:
    rows: dict[str, MilestoneOn] = {}
    for m in milestones:
        due, original, extended = _due_on(m, on)
        met = m.met_at is not None and m.met_at.date() <= on
        if met:
            status = "met"
        elif due < on:
            status = "overdue"
        else:
            status = "extended" if extended else "pending"
        rows[m.code] = MilestoneOn(m, status, due, original if extended else None)
    for row in rows.values():
        if row.status in ("met", "overdue"):
            continue
        for dep in row.milestone.depends_on.all():
            other = rows.get(dep.code)
            if other is None or other.status == "met":
                continue
            if other.status == "overdue":
                row.reasons.append(_g("{code} is overdue").format(code=dep.code))
            elif other.due_on > row.due_on:
                row.reasons.append(_g("{code} is due after it").format(code=dep.code))
            elif (row.due_on - on).days <= process_selectors.AT_RISK_WITHIN_DAYS:
                row.reasons.append(_g("{code} is not met yet").format(code=dep.code))
        if row.reasons:
            row.status = "at_risk"
    return sorted(rows.values(), key=lambda r: (r.due_on, r.milestone.order))


def _value_on(points: list[tuple[dt.date, int]], on: dt.date) -> int | None:
    value = None
    for day, count in points:
        if day > on:
            break
        value = count
    return value


def _overdue_actions(*, actor: User | None, on: dt.date) -> list[ActionItem]:
    rows = meeting_selectors.action_item_list(actor=actor).filter(due_on__lt=on)
    return [item for item in rows if item.completed_at is None or item.completed_at.date() > on]


def briefing_get(*, actor: User | None, on: dt.date, today: dt.date | None = None) -> Briefing:
    """The HLC briefing for the date ``on``; ``BRIEFING_NOT_YOURS`` unless
    ``access.may_read_briefing``.

    Milestone statuses, bracket counts and divergence rungs are reconstructed as they stood
    at the end of ``on`` from the recorded dates (met, extensions, referrals). Forecasts
    are computed from the history up to ``on``.
    """
    process = process_selectors.process_for(actor)
    top = process.oversight_body()
    if not may_read_briefing(actor):
        name = top.name if top is not None else _g("the oversight body")
        raise BRIEFING_NOT_YOURS(body=name)
    open_items = roadmap_open_items(actor=actor)
    overview = process_selectors.roadmap_overview(actor=actor, today=on, open_items=open_items)
    milestones = _milestones_on(list(process_selectors.milestone_list(actor=actor)), on)
    counts = dict.fromkeys(("met", "at_risk", "overdue", "extended", "pending"), 0)
    for row in milestones:
        counts[row.status] += 1

    history = roadmap.by_key(open_items.bracket_history)
    current = dict(open_items.brackets_now) if on == today else {}
    moment = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    by_rung = divergence_selectors.divergences_by_rung_on(actor=actor, moment=moment)
    working_groups = list(Body.objects.filter(process=process, kind=Body.Kind.WORKING_GROUP))
    brackets = []
    for body in working_groups:
        points = history.get(body.code, [])
        now = current.get(body.code, _value_on(points, on))
        before = _value_on(points, on - dt.timedelta(days=TREND_DAYS))
        open_here = sum(1 for rows in by_rung.values() for d in rows if d.body_id == body.pk)
        brackets.append(BracketTrend(body, now, before, open_here))

    rungs = []
    for key, label in divergence_selectors.ladder_rungs(process):
        if key == "working_groups":
            codes = {b.code for b in working_groups}
            items = [d for rung, rows in by_rung.items() if rung in codes for d in rows]
        else:
            items = list(by_rung.get(key, []))
        rungs.append((key, label if key != PRINCIPALS else process.principals_label, items))

    return Briefing(
        process=process,
        on=on,
        oversight=top,
        roadmap=process_selectors.roadmap_status(actor=actor, today=on),
        critical_path=overview.critical_path,
        milestones=milestones,
        counts=counts,
        brackets=brackets,
        rungs=rungs,
        overdue_actions=_overdue_actions(actor=actor, on=on),
        forecasts=overview.forecasts,
    )
