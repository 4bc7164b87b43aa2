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
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.geo import layers
from accord.incidents import access
from accord.incidents.models import (
    CATEGORY_LABELS,
    STEP_LABELS,
    Affiliation,
    Incident,
    IncidentStep,
    VesselAffiliation,
    VesselAnnotation,
)
from accord.incidents.protocol import LINE, Category, Step, step_next
from accord.incidents.reportformat import ReportKind, ReportLine, ReportText, position_text
from accord.maritime.models import Encounter, Vessel
from accord.public_ids import parse_public_id


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

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self.step])


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


def vessels_by_mmsi(*, actor: User | None, mmsis: Iterable[int]) -> dict[int, Vessel]:
    """{MMSI: vessel} of the vessels ``actor`` may see among ``mmsis``."""
    rows = policy.restrict(Vessel.objects.filter(mmsi__in=list(mmsis)), actor)
    return {v.mmsi: v for v in rows}


def encounter_for_report(*, actor: User | None, encounter_id: Any) -> Encounter | None:
    """The encounter ``actor`` may see that a report starts from (None if not one)."""
    parsed = parse_public_id(encounter_id)
    if parsed is None:
        return None
    rows = policy.restrict(
        Encounter.objects.filter(public_id=parsed).select_related("vessel_a", "vessel_b"), actor
    )
    return rows.first()


# --- the report formats ------------------------------------------------------------------


def report_build(*, incident: Incident, steps: list[IncidentStep], kind: ReportKind) -> ReportText:
    """The initial, update or final report of ``incident`` (words in the active language)."""
    titles = {
        ReportKind.INITIAL: gettext("INITIAL INCIDENT REPORT {code}"),
        ReportKind.UPDATE: gettext("INCIDENT UPDATE REPORT {code}"),
        ReportKind.FINAL: gettext("FINAL INCIDENT REPORT {code}"),
    }
    vessels = ", ".join(
        f"{v.name or '-'} (MMSI {v.mmsi}{', ' + v.flag if v.flag else ''})"
        for v in incident.vessels.all()
    )
    moment = "%Y-%m-%d %H:%M UTC"
    lines = [
        ReportLine(gettext("Reporting party"), str(incident.reported_by.name)),
        ReportLine(gettext("Category"), str(CATEGORY_LABELS[Category(incident.category)])),
        ReportLine(
            gettext("Time of incident"), incident.occurred_at.astimezone(dt.UTC).strftime(moment)
        ),
        ReportLine(gettext("Position"), position_text(incident.latitude, incident.longitude)),
        ReportLine(gettext("Vessels involved"), vessels or "-"),
        ReportLine(gettext("Description"), incident.description),
        ReportLine(
            gettext("Channel message"), f"{incident.mechanism.code} #{incident.message.seq}"
        ),
    ]
    if kind is not ReportKind.INITIAL:
        lines.append(ReportLine(gettext("Protocol step"), str(STEP_LABELS[Step(incident.step)])))
        if incident.due_at:
            lines.append(
                ReportLine(
                    gettext("Next step due"), incident.due_at.astimezone(dt.UTC).strftime(moment)
                )
            )
    history = []
    if kind is not ReportKind.INITIAL:
        for s in steps:
            entry = f"{s.at.astimezone(dt.UTC).strftime(moment)} {STEP_LABELS[Step(s.step)]}"
            if s.by_delegation is not None:
                entry += f" ({s.by_delegation.name})"
            if s.missed:
                entry += " — " + gettext("not reached in time: {step}").format(
                    step=STEP_LABELS[Step(s.missed)]
                )
            if s.note:
                entry += f": {s.note}"
            history.append(entry)
    return ReportText(
        title=titles[kind].format(code=incident.code),
        lines=lines,
        history=history,
        history_title=gettext("Steps of the protocol"),
    )


# --- the live map ----------------------------------------------------------------------

MAP_INCIDENTS = 200
STEP_COLOURS = {
    Step.REPORTED.value: "#d50000",
    Step.ACKNOWLEDGED.value: "#ff6d00",
    Step.INFORMATION_EXCHANGED.value: "#ffab00",
    Step.DE_ESCALATION_AGREED.value: "#2e7d32",
    Step.CLOSED.value: "#757575",
    Step.REFERRED.value: "#6a1b9a",
}


def incident_feature(incident: Incident) -> dict[str, Any]:
    """An incident as a map feature at its position: its category and where it stands
    in the protocol, for the panel and the table (channel material only: nothing of a
    party's own annotations or affiliations)."""
    category = str(CATEGORY_LABELS.get(Category(incident.category), incident.category))
    status = str(STEP_LABELS.get(Step(incident.step), incident.step))
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(incident.longitude, 6), round(incident.latitude, 6)],
        },
        "properties": {
            "key": str(incident.public_id),
            "name": gettext("{code}: {category}").format(code=incident.code, category=category),
            "summary": gettext("{category} — {status}").format(category=category, status=status),
            "status": incident.step,
            "category": incident.category,
            "details": [
                [gettext("Category"), category],
                [gettext("Status"), status],
                [gettext("Occurred"), incident.occurred_at.strftime("%Y-%m-%d %H:%M UTC")],
                [gettext("Position"), position_text(incident.latitude, incident.longitude)],
                [gettext("Reported by"), incident.reported_by.name],
            ],
            "url": reverse("incidents:detail", args=[incident.public_id]),
        },
    }


def incidents_on_map(*, actor: User | None, mechanism: Any) -> dict[str, Any]:
    """The map's incidents layer for ``actor``: every incident of the channel it may see
    (the latest ``MAP_INCIDENTS``), coloured by step. ``maritime.mapframes`` calls it
    (registered in ``IncidentsConfig.ready``)."""
    rows = (
        access.incidents_visible(actor)
        .filter(mechanism=mechanism)
        .order_by("-occurred_at", "-id")[:MAP_INCIDENTS]
    )
    return layers.layer(
        "incidents",
        _("Incidents"),
        [incident_feature(incident) for incident in rows],
        colour_by="status",
        colours=STEP_COLOURS,
        labels={step.value: label for step, label in STEP_LABELS.items()},
        radius=8,
    )
