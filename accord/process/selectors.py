"""Reads of the process structure. Structure (bodies, mechanisms, roadmap) is ``shared``:
every participant of a process sees it, nobody outside the process does."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accord.accounts import access
from accord.errors import NotFound
from accord.process.models import Body, Delegation, Mechanism, Milestone, Process

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
        Prefetch("depends_on", queryset=Milestone.objects.only("id", "code"))
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
