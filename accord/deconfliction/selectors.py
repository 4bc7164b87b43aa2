"""Reading the de-confliction mechanism: only ever through ``accounts.access.restrict``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import shapely
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from shapely.geometry import shape

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.deconfliction import access
from accord.deconfliction.exports import ExportRow
from accord.deconfliction.models import (
    ConflictCheck,
    Determination,
    Evidence,
    Notification,
    Organisation,
    PlannedActivity,
    Receipt,
    ViolationReport,
)
from accord.geo import layers, measure
from accord.geo.selectors import geography_of
from accord.process.models import Mechanism


def organisation_list(*, actor: User | None) -> QuerySet[Organisation]:
    return accounts_access.restrict(Organisation.objects.all(), actor)


# The orders lists are read in (pages and API, ``accord.pagination``), each indexed.
NOTIFICATION_ORDER = ("-submitted_at", "-id")
REPORT_ORDER = ("-reported_at", "-id")


def _visible_receipts(actor: User | None) -> Prefetch:
    """Each notification's receipts ``actor`` may see, as ``visible_receipts``."""
    return Prefetch(
        "receipts",
        queryset=access.receipt_rows(actor)
        .select_related("acknowledged_by")
        .prefetch_related("escalations"),
        to_attr="visible_receipts",
    )


def notification_list(
    *,
    actor: User | None,
    status: str | None = None,
    kind: str | None = None,
    with_receipts: bool = False,
) -> QuerySet[Notification]:
    """The notifications ``actor`` may see; ``with_receipts``: each with the receipts
    ``actor`` may see of it in ``visible_receipts`` (one query for a whole page)."""
    rows = access.notification_rows(actor)
    if with_receipts:
        rows = rows.prefetch_related(_visible_receipts(actor))
    if status == "in_force":
        rows = rows.filter(status__in=Notification.IN_FORCE)
    elif status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def amendments_of(*, actor: User | None, notification: Notification) -> QuerySet[Notification]:
    """The amendments of ``notification`` ``actor`` may see (newest first)."""
    return access.notification_rows(actor).filter(supersedes=notification)


def export_rows(*, actor: User | None) -> list[ExportRow]:
    """What ``actor`` may see of every notification, for the exports."""
    return [
        ExportRow(
            id=str(n.public_id),
            kind=n.kind,
            site_type=n.site_type,
            title=n.title,
            organisation=n.organisation.name,
            status=n.status,
            buffer_m=n.buffer_m,
            starts_at=n.starts_at.isoformat() if n.starts_at else "",
            ends_at=n.ends_at.isoformat() if n.ends_at else "",
            emergency=n.emergency,
            geometry=n.geometry,
        )
        for n in notification_list(actor=actor)
    ]


def receipts_of(*, actor: User | None, notification: Notification) -> QuerySet[Receipt] | list:
    """The receipts of ``notification`` ``actor`` may see: the facilitators every party's,
    a party its own (those prefetched by ``notification_list(with_receipts=True)``)."""
    if hasattr(notification, "visible_receipts"):
        return notification.visible_receipts
    return (
        access.receipt_rows(actor)
        .filter(notification=notification)
        .select_related("acknowledged_by")
        .prefetch_related("escalations")
    )


def receipts_pending(*, actor: User | None) -> QuerySet[Receipt]:
    """Unacknowledged receipts of notifications in force that ``actor`` may see."""
    return (
        access.receipt_rows(actor)
        .filter(acknowledged_at__isnull=True, notification__status__in=Notification.IN_FORCE)
        .select_related("notification__mechanism", "notification__organisation")
        .prefetch_related("escalations")
        .order_by("due_at")
    )


def activity_list(*, actor: User | None) -> QuerySet[PlannedActivity]:
    return accounts_access.restrict(PlannedActivity.objects.all(), actor)


def check_list(*, actor: User | None) -> QuerySet[ConflictCheck]:
    return accounts_access.restrict(ConflictCheck.objects.select_related("activity"), actor)


@dataclass(frozen=True)
class CheckDay:
    day: dt.date
    checks: int


def check_statistics(*, actor: User | None) -> list[CheckDay]:
    """How many conflict checks the parties ran, by day, for the facilitators only (no
    party, area or result: decision 0116). Anyone else gets nothing."""
    delegation = accounts_access.delegation_of(actor)
    process_id = delegation.process_id if delegation else None
    if process_id is None or not access.may_see_check_statistics(actor, process_id):
        return []
    rows = (
        ConflictCheck.objects.filter(process_id=process_id)
        .annotate(day=TruncDate("checked_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("-day")
    )
    return [CheckDay(day=row["day"], checks=row["n"]) for row in rows]


def report_list(
    *, actor: User | None, open_only: bool = False, with_evidence: bool = False
) -> QuerySet[ViolationReport]:
    """The reports ``actor`` may see; ``with_evidence``: each with the evidence ``actor``
    may see of it in ``visible_evidence`` (without the files' bytes)."""
    rows = access.report_rows(actor)
    if with_evidence:
        rows = rows.prefetch_related(
            Prefetch(
                "evidence",
                queryset=accounts_access.restrict(Evidence.objects.all(), actor).defer("data"),
                to_attr="visible_evidence",
            )
        )
    if open_only:
        rows = rows.exclude(status=ViolationReport.Status.CLOSED)
    return rows


def evidence_of(*, actor: User | None, report: ViolationReport) -> QuerySet[Evidence] | list:
    if hasattr(report, "visible_evidence"):
        return report.visible_evidence
    return accounts_access.restrict(Evidence.objects.filter(report=report), actor).defer("data")


def determination_list(*, actor: User | None) -> QuerySet[Determination]:
    return accounts_access.restrict(Determination.objects.all(), actor)


# --- The map -------------------------------------------------------------------------------

STATUS_COLOURS: dict[str, str] = {
    "submitted": "#9e9e9e",
    "transmitted": "#ef6c00",
    "acknowledged": "#1565c0",
    "active": "#2e7d32",
}
FINDING_COLOURS: dict[str, str] = {
    "violation": "#c62828",
    "no_violation": "#2e7d32",
    "inconclusive": "#757575",
}


def _feature(geometry: dict, **properties: object) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _buffered(geometry: dict, metres: float) -> dict | None:
    if metres <= 0:
        return None
    return json.loads(shapely.to_geojson(measure.buffer(shape(geometry), metres)))


def _window(start: dt.datetime | None, end: dt.datetime | None) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat()} if start and end else {}


def map_layers(*, actor: User | None, mechanism: Mechanism) -> dict:
    """The map's JSON for ``actor`` (``accord.geo``'s component): the mechanism's area,
    the sites (with their buffers) and movements (their corridors, in their windows) in
    force that ``actor`` may see, ``actor``'s party's own checks (nobody else's: they are
    read through the access policy), and the published determinations."""
    rows = list(notification_list(actor=actor, status="in_force"))
    if access.may_notify(actor, mechanism.process_id):
        rows += list(notification_list(actor=actor, status=Notification.Status.SUBMITTED))
    labels: dict[str, object] = {k: Notification.Status(k).label for k in STATUS_COLOURS}

    def details(n: Notification) -> list[list[str]]:
        found = [
            [str(_("Organisation")), n.organisation.name],
            [str(_("Status")), str(n.get_status_display())],
            [str(_("Receipt")), str(_("Acknowledged, not approved"))],
        ]
        if n.vehicles:
            found.append([str(_("Vehicles and people")), n.vehicles])
        return found

    sites = [
        _feature(
            n.geometry,
            key=str(n.public_id),
            name=n.title,
            summary=str(n.get_site_type_display() or n.get_kind_display()),
            status=n.status,
            details=details(n),
            **(
                {"buffer_m": n.buffer_m}
                if n.geometry.get("type") == "Point"
                else {"buffer_geometry": _buffered(n.geometry, n.buffer_m)}
            ),
        )
        for n in rows
        if n.kind == Notification.Kind.SITE
    ]
    movements = [
        _feature(
            n.geometry,
            key=str(n.public_id),
            name=n.title,
            summary=str(n.get_kind_display()),
            status=n.status,
            details=details(n),
            buffer_geometry=_buffered(n.geometry, n.corridor_half_m),
            **_window(n.starts_at, n.ends_at),
        )
        for n in rows
        if n.kind == Notification.Kind.MOVEMENT
    ]
    own = [
        _feature(
            c.geometry,
            key=str(c.public_id),
            name=str(_("Your check")),
            summary=ngettext("{n} conflict", "{n} conflicts", c.conflict_count).format(
                n=c.conflict_count
            ),
            buffer_geometry=_buffered(c.geometry, c.buffer_m),
            **_window(c.planned_from, c.planned_until),
        )
        for c in check_list(actor=actor)[:50]
    ]
    published = [
        _feature(
            d.location,
            key=str(d.public_id),
            name=str(d.get_finding_display()),
            summary=d.summary,
            finding=d.finding,
        )
        for d in determination_list(actor=actor)
    ]
    geography = geography_of(mechanism)
    now = timezone.now()
    ends = [n.ends_at for n in rows if n.ends_at] + [
        c.planned_until for c in check_list(actor=actor)[:50]
    ]
    # The slider runs from now to the last window; "live" is its end (accord.geo).
    end = max([now + dt.timedelta(days=1), *ends])
    result = [
        layers.area_layer(geography),
        layers.layer(
            "sites",
            _("Notified sites"),
            sites,
            colour_by="status",
            colours=STATUS_COLOURS,
            labels=labels,
        ),
        layers.layer(
            "movements",
            _("Movements in their windows"),
            movements,
            colour_by="status",
            colours=STATUS_COLOURS,
            labels=labels,
            weight=4,
        ),
    ]
    if own:
        result.append(
            layers.layer(
                "checks", _("Your party's checks (yours alone)"), own, colour="#6a1b9a", dash="4 4"
            )
        )
    result.append(
        layers.layer(
            "determinations",
            _("Published determinations"),
            published,
            colour_by="finding",
            colours=FINDING_COLOURS,
            labels={k: ViolationReport.Finding(k).label for k in FINDING_COLOURS},
        )
    )
    return {
        "layers": result,
        "time": layers.time_range(now - dt.timedelta(hours=1), end, step_seconds=900),
    }
