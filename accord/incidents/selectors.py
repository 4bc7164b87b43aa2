"""Reads of incidents and of a party's view of vessels, through the one policy.

``affiliations_seen_by(actor, vessels)`` is the selector the vessel panel and the map
use: the affiliation each vessel has *for the actor's party* (``unknown`` where it set
none), never the other party's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.incidents import access
from accord.incidents.models import (
    Affiliation,
    Incident,
    IncidentStep,
    VesselAffiliation,
    VesselAnnotation,
)
from accord.incidents.protocol import LINE, Step, step_next


def incident_list(*, actor: User | None, open_only: bool = False) -> QuerySet[Incident]:
    """The incidents ``actor`` may see, latest first (open ones only if asked)."""
    rows = access.incidents_visible(actor)
    if open_only:
        rows = rows.exclude(step=Step.CLOSED)
    return rows


def incident_get(*, actor: User | None, incident_id: Any) -> Incident:
    return access.incident_access(actor, incident_id)


def incident_steps(*, actor: User | None, incident: Incident) -> list[IncidentStep]:
    """The steps reached (and the referral), as ``actor`` may see them (with the incident)."""
    return list(
        policy.restrict(IncidentStep.objects.filter(incident=incident), actor).select_related(
            "by", "by_delegation", "message"
        )
    )


@dataclass(frozen=True)
class StepLine:
    """One step of the protocol as the detail page shows it."""

    step: Step
    reached: IncidentStep | None
    deadline: dt.datetime | None  # when it falls due, if it is the next one
    current: bool


def protocol_line(incident: Incident, steps: list[IncidentStep]) -> list[StepLine]:
    """Every step of the line, reached or not, with the deadline of the next one."""
    reached = {s.step: s for s in steps}
    following = step_next(incident.step) if incident.step != Step.REFERRED else None
    lines = [
        StepLine(
            step=step,
            reached=reached.get(step.value),
            deadline=incident.due_at if step == following else None,
            current=step == incident.step,
        )
        for step in LINE
    ]
    if Step.REFERRED.value in reached:
        lines.append(StepLine(Step.REFERRED, reached[Step.REFERRED.value], None, True))
    return lines


def incidents_awaiting_acknowledgement(*, actor: User) -> list[Incident]:
    """Reported incidents ``actor`` is the duty officer to acknowledge."""
    rows = incident_list(actor=actor).filter(step=Step.REPORTED)
    return [row for row in rows if access.may_acknowledge(actor, row)]


def incidents_with_step_due(*, actor: User) -> list[Incident]:
    """Acknowledged, open incidents whose next step ``actor`` may record, with a deadline."""
    rows = (
        incident_list(actor=actor)
        .filter(due_at__isnull=False)
        .exclude(step__in=[Step.REPORTED, Step.CLOSED, Step.REFERRED])
    )
    return [row for row in rows if access.may_record_step(actor, row)]


def affiliations_seen_by(*, actor: User | None, vessels: Iterable[Any]) -> dict[int, str]:
    """{vessel pk: affiliation} for ``vessels`` as ``actor``'s party sees them.

    Only the actor's own party's rows are read (``party:<code>``, through the policy);
    a vessel the party has not classified is ``unknown``.
    """
    vessel_pks = [v.pk for v in vessels]
    delegation = policy.delegation_of(actor)
    seen = dict.fromkeys(vessel_pks, Affiliation.UNKNOWN.value)
    if delegation is None or not vessel_pks:
        return seen
    rows = policy.restrict(
        VesselAffiliation.objects.filter(vessel_id__in=vessel_pks, delegation=delegation), actor
    ).values_list("vessel_id", "affiliation")
    seen.update(dict(rows))
    return seen


def affiliation_of(*, actor: User | None, vessel: Any) -> str:
    """The affiliation of one vessel as ``actor``'s party sees it."""
    return affiliations_seen_by(actor=actor, vessels=[vessel])[vessel.pk]


def annotation_list(*, actor: User | None, vessel: Any) -> QuerySet[VesselAnnotation]:
    """The annotations of ``vessel`` ``actor`` may read: their party's, and those shared."""
    return policy.restrict(
        VesselAnnotation.objects.filter(vessel=vessel).select_related("author", "delegation"),
        actor,
    )


def incidents_of_vessel(*, actor: User | None, vessel: Any) -> QuerySet[Incident]:
    return incident_list(actor=actor).filter(vessels=vessel)
