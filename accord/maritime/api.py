"""API of the maritime picture: vessels, tracks, latest positions, encounters, alerts.

Everything here is the channel's shared picture (scope ``mechanism:<code>``), read
through ``maritime.selectors``; nothing is written through the API (the ingest writes).
"""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from accord import pagination
from accord.dates import Moment
from accord.maritime import selectors
from accord.maritime.models import Encounter, Vessel, VesselAlert, VesselPosition

router = Router(tags=["maritime"])


class PositionOut(Schema):
    vessel: uuid.UUID
    mmsi: int
    at: dt.datetime
    lat: float
    lon: float
    sog: float | None
    cog: float | None
    heading: int | None
    under_way: bool


class VesselOut(Schema):
    id: uuid.UUID
    channel: str
    mmsi: int
    imo: int | None
    name: str
    call_sign: str
    flag: str
    ais_class: str
    ship_type: int | None
    length: int | None
    beam: int | None
    draught: float | None
    destination: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    position: PositionOut | None


class TrackPointOut(Schema):
    at: dt.datetime
    lat: float
    lon: float
    sog: float | None
    cog: float | None


class TrackOut(Schema):
    vessel: uuid.UUID
    points: list[TrackPointOut]


class EncounterOut(Schema):
    id: uuid.UUID
    channel: str
    rule: str
    status: str
    vessel_a: uuid.UUID
    vessel_b: uuid.UUID
    cpa_nm: float
    cpa_at: dt.datetime
    cpa_lat: float
    cpa_lon: float
    closest_nm: float | None
    detected_at: dt.datetime
    ongoing_at: dt.datetime | None
    cleared_at: dt.datetime | None


class VesselAlertOut(Schema):
    id: uuid.UUID
    vessel: uuid.UUID
    kind: str
    zone: str
    lat: float | None
    lon: float | None
    started_at: dt.datetime
    ended_at: dt.datetime | None


def _position_out(position: VesselPosition, vessel: Vessel) -> dict[str, Any]:
    return {
        "vessel": vessel.public_id,
        "mmsi": vessel.mmsi,
        "at": position.at,
        "lat": position.lat,
        "lon": position.lon,
        "sog": position.sog,
        "cog": position.cog,
        "heading": position.heading,
        "under_way": position.under_way,
    }


def vessel_out(vessel: Vessel) -> dict[str, Any]:
    position = getattr(vessel, "position", None)
    return {
        "id": vessel.public_id,
        "channel": vessel.mechanism.code,
        "mmsi": vessel.mmsi,
        "imo": vessel.imo,
        "name": vessel.name,
        "call_sign": vessel.call_sign,
        "flag": vessel.flag,
        "ais_class": vessel.ais_class,
        "ship_type": vessel.ship_type,
        "length": vessel.length,
        "beam": vessel.beam,
        "draught": vessel.draught,
        "destination": vessel.destination,
        "first_seen": vessel.first_seen,
        "last_seen": vessel.last_seen,
        "position": _position_out(position, vessel) if position else None,
    }


def encounter_out(encounter: Encounter) -> dict[str, Any]:
    return {
        "id": encounter.public_id,
        "channel": encounter.mechanism.code,
        "rule": encounter.rule,
        "status": encounter.status,
        "vessel_a": encounter.vessel_a.public_id,
        "vessel_b": encounter.vessel_b.public_id,
        "cpa_nm": encounter.cpa_nm,
        "cpa_at": encounter.cpa_at,
        "cpa_lat": encounter.cpa_lat,
        "cpa_lon": encounter.cpa_lon,
        "closest_nm": encounter.closest_nm,
        "detected_at": encounter.detected_at,
        "ongoing_at": encounter.ongoing_at,
        "cleared_at": encounter.cleared_at,
    }


def _alert_out(alert: VesselAlert) -> dict[str, Any]:
    return {
        "id": alert.public_id,
        "vessel": alert.vessel.public_id,
        "kind": alert.kind,
        "zone": alert.zone,
        "lat": alert.lat,
        "lon": alert.lon,
        "started_at": alert.started_at,
        "ended_at": alert.ended_at,
    }


@router.get("/vessels", response=list[VesselOut], summary=_("Vessels of your maritime channels"))
def vessels(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    channel: str | None = None,
    q: str = "",
):
    rows = selectors.vessel_list(actor=request.user, channel=channel, query=q, limit=None)
    return [
        vessel_out(v)
        for v in pagination.api_page(
            request, response, rows, page=page, list_name="vessels", order=("-last_seen", "-id")
        )
    ]


@router.get("/vessels/{vessel_id}", response=VesselOut, summary=_("One vessel"))
def vessel(request: HttpRequest, vessel_id: str):
    from accord.maritime.access import vessel_access

    return vessel_out(vessel_access(request.user, vessel_id))


@router.get("/vessels/{vessel_id}/track", response=TrackOut, summary=_("A vessel's thinned track"))
def track(request: HttpRequest, vessel_id: str, since: Moment | None = None):
    row, points = selectors.vessel_track(actor=request.user, vessel_id=vessel_id, since=since)
    return {
        "vessel": row.public_id,
        "points": [
            {"at": p.at, "lat": p.lat, "lon": p.lon, "sog": p.sog, "cog": p.cog} for p in points
        ],
    }


@router.get(
    "/positions", response=list[PositionOut], summary=_("Latest positions changed since a time")
)
def positions(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    after: Moment | None = None,
    channel: str | None = None,
):
    rows = selectors.positions_since(actor=request.user, after=after, channel=channel)
    found = pagination.api_page(
        request, response, rows, page=page, list_name="positions", order=("updated_at", "vessel_id")
    )
    return [_position_out(p, p.vessel) for p in found]


@router.get("/encounters", response=list[EncounterOut], summary=_("Close encounters"))
def encounters(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    status: str | None = None,
    open: bool = False,
):
    rows = selectors.encounter_list(actor=request.user, status=status, open_only=open)
    found = pagination.api_page(
        request, response, rows, page=page, list_name="encounters", order=("-detected_at", "-id")
    )
    return [encounter_out(e) for e in found]


@router.get("/encounters/{encounter_id}", response=EncounterOut, summary=_("One encounter"))
def encounter(request: HttpRequest, encounter_id: str):
    from accord.maritime.access import encounter_access

    return encounter_out(encounter_access(request.user, encounter_id))


@router.get("/alerts", response=list[VesselAlertOut], summary=_("Open vessel alerts"))
def alerts(request: HttpRequest, response: HttpResponse, page: Query[pagination.PageQuery]):
    rows = selectors.vessel_alert_list(actor=request.user)
    found = pagination.api_page(
        request, response, rows, page=page, list_name="vessel_alerts", order=("-started_at", "-id")
    )
    return [_alert_out(a) for a in found]
