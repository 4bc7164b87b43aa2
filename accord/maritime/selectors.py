"""Reads of the maritime picture, always through ``accounts.access`` (scope
``mechanism:<code>``: the channel's members only)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from accord.accounts import access
from accord.accounts.models import User
from accord.maritime import access as maritime_access
from accord.maritime.models import Encounter, TrackPoint, Vessel, VesselAlert, VesselPosition

MAX_ROWS = 5000


def vessel_list(
    *,
    actor: User | None,
    channel: str | None = None,
    query: str = "",
    limit: int | None = MAX_ROWS,
) -> QuerySet[Vessel]:
    """Vessels of the channels ``actor`` is a member of, latest seen first (all of them
    with ``limit=None``: the API reads them a page at a time)."""
    rows = access.restrict(Vessel.objects.select_related("position", "mechanism"), actor).order_by(
        "-last_seen", "mmsi"
    )
    if channel:
        rows = rows.filter(mechanism__code=channel)
    query = query.strip()
    if query:
        rows = (
            rows.filter(mmsi=int(query)) if query.isdigit() else rows.filter(name__icontains=query)
        )
    if limit is None:
        return rows
    return rows[: max(1, min(limit, MAX_ROWS))]


def vessel_track(
    *, actor: User | None, vessel_id: str, since: dt.datetime | None = None
) -> tuple[Vessel, QuerySet[TrackPoint]]:
    vessel = maritime_access.vessel_access(actor, vessel_id)
    points = TrackPoint.objects.filter(vessel=vessel).order_by("at")
    if since is not None:
        points = points.filter(at__gte=since)
    return vessel, points[:MAX_ROWS]


def positions_since(
    *, actor: User | None, after: dt.datetime | None = None, channel: str | None = None
) -> QuerySet[VesselPosition]:
    """Latest positions changed after ``after``, oldest change first (the API reads them
    a page at a time)."""
    rows = access.restrict(
        VesselPosition.objects.select_related("vessel"),
        actor,
        process_field="vessel__process",
        scope_field="vessel__scope",
    )
    if channel:
        rows = rows.filter(mechanism__code=channel)
    if after is not None:
        rows = rows.filter(updated_at__gt=after)
    return rows.order_by("updated_at", "vessel_id")


def encounter_list(
    *, actor: User | None, status: str | None = None, open_only: bool = False
) -> QuerySet[Encounter]:
    rows = access.restrict(
        Encounter.objects.select_related("vessel_a", "vessel_b", "mechanism"), actor
    ).order_by("-detected_at", "-id")
    if status:
        rows = rows.filter(status=status)
    if open_only:
        rows = rows.exclude(status=Encounter.Status.CLEARED)
    return rows


def vessel_alert_list(*, actor: User | None, open_only: bool = True) -> QuerySet[VesselAlert]:
    rows = access.restrict(VesselAlert.objects.select_related("vessel"), actor).order_by(
        "-started_at", "-id"
    )
    if open_only:
        rows = rows.filter(ended_at__isnull=True)
    return rows
