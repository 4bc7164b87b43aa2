"""API for reports: the HLC briefing as JSON."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from accord.dates import Day
from accord.reports import selectors

router = Router(tags=["reports"])


class BriefingMilestoneOut(Schema):
    code: str
    body: str
    title: str
    status: str
    due_on: dt.date
    original_due_on: dt.date | None
    reasons: list[str]


class BracketTrendOut(Schema):
    body: str
    open_brackets: int | None
    change_7_days: int | None
    open_divergences: int


class RungOut(Schema):
    rung: str
    label: str
    divergences: list[str]  # public ids (decision 0046 pattern)


class ActionOut(Schema):
    text: str
    owner: str
    due_on: dt.date


class BriefingOut(Schema):
    date: dt.date
    day: int
    label: str
    counts: dict[str, int]
    critical_path: list[str]
    at_risk: list[BriefingMilestoneOut]
    brackets: list[BracketTrendOut]
    rungs: list[RungOut]
    overdue_actions: list[ActionOut] | None


@router.get(
    "/briefing",
    response=BriefingOut,
    summary=_("The HLC briefing for a date (HLC members and facilitators only)"),
)
def briefing(request: HttpRequest, date: Day | None = None):
    b = selectors.briefing_get(
        actor=request.user, on=date or timezone.localdate(), today=timezone.localdate()
    )
    return {
        "date": b.on,
        "day": b.roadmap.day,
        "label": b.roadmap.label,
        "counts": b.counts,
        "critical_path": b.critical_path,
        "at_risk": [
            {
                "code": m.milestone.code,
                "body": m.milestone.body.code,
                "title": m.milestone.title,
                "status": m.status,
                "due_on": m.due_on,
                "original_due_on": m.original_due_on,
                "reasons": m.reasons,
            }
            for m in b.at_risk
        ],
        "brackets": [
            {
                "body": t.body.code,
                "open_brackets": t.now,
                "change_7_days": t.change,
                "open_divergences": t.divergences,
            }
            for t in b.brackets
        ],
        "rungs": [
            {"rung": key, "label": label, "divergences": [str(d.public_id) for d in items]}
            for key, label, items in b.rungs
        ],
        "overdue_actions": None
        if b.overdue_actions is None
        else [
            {"text": a.text, "owner": str(a.owner), "due_on": a.due_on} for a in b.overdue_actions
        ],
    }
