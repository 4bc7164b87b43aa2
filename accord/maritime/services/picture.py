"""The ingesting process's picture of a maritime channel, and its batches to the database.

``Picture(mechanism)`` wraps a pure ``ingest.Ingest`` (the latest state of every vessel
stays in memory here) and ``flush()`` writes what changed since the last flush in one
transaction: new vessels and static data, the latest positions (one upsert), thinned
track points (one insert), then the screens that produce events: close encounters
(predicted -> ongoing -> cleared), going dark, suspected spoofing, zones. Raw positions
never go in the event log (decision 0106).

Affiliations (who is a navy, who is fast craft) belong to the parties' annotations
("incidents"): ``affiliations_register(source)`` installs a function returning
``{mmsi: affiliation}`` for a mechanism; without one, AIS ship types stand in
(35 military, 55 law enforcement, 40-49 high-speed craft).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accord.accounts.access import mechanism_scope
from accord.events.services import NewEvent, events_append
from accord.maritime import charter, ingest, kinematics, screening, thinning, zones
from accord.maritime.mid import flag_of, mid_of
from accord.maritime.models import Encounter, TrackPoint, Vessel, VesselAlert
from accord.maritime.services import batch
from accord.process.models import Mechanism

# An open encounter's refreshed prediction is written at most this often (its status
# changes at once); the picture in memory is always current.
PERSIST_PREDICTION_EVERY = dt.timedelta(seconds=60)
ENCOUNTER_FIELDS = [
    "status",
    "cpa_nm",
    "cpa_at",
    "cpa_lat",
    "cpa_lon",
    "closest_nm",
    "ongoing_at",
    "cleared_at",
    "updated_at",
]

AffiliationSource = Callable[[Mechanism], dict[int, str]]
_affiliation_sources: list[AffiliationSource] = []


def affiliations_register(source: AffiliationSource) -> None:
    """Install where the screen reads vessels' affiliations (``{mmsi: affiliation}``);
    the last registered wins."""
    _affiliation_sources.append(source)


def affiliation_from_type(ship_type: int | None) -> str:
    if ship_type == 35:
        return "other_navy"
    if ship_type == 55:
        return "coast_guard"
    if ship_type is not None and 40 <= ship_type <= 49:
        return "fast_craft"
    if ship_type is not None and 60 <= ship_type <= 89:
        return "commercial"
    return "unknown"


def options_from_settings() -> ingest.Options:
    tolerance = getattr(settings, "ACCORD_AIS_THINNING", {}) or {}
    return ingest.Options(thinning=thinning.Tolerance(**tolerance))


def _static_fields(state: ingest.VesselState) -> dict[str, Any]:
    data = state.static
    return {
        "name": (data.get("name") or "")[:40],
        "call_sign": (data.get("call_sign") or "")[:16],
        "imo": data.get("imo"),
        "ship_type": data.get("ship_type"),
        "to_bow": data.get("to_bow"),
        "to_stern": data.get("to_stern"),
        "to_port": data.get("to_port"),
        "to_starboard": data.get("to_starboard"),
        "draught": data.get("draught"),
        "destination": (data.get("destination") or "")[:40],
        "ais_class": state.ais_class,
    }


def _moment(seconds: float | None) -> dt.datetime:
    if seconds is None:
        return timezone.now()
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


@dataclass
class FlushResult:
    vessels_new: int = 0
    positions: int = 0
    track_points: int = 0
    events: list[str] = field(default_factory=list)


class Picture:
    """One maritime channel as seen by the ingesting process."""

    def __init__(
        self,
        mechanism: Mechanism,
        *,
        options: ingest.Options | None = None,
        zone_shapes: Sequence[zones.Zone] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.mechanism = mechanism
        self.scope = mechanism_scope(mechanism.code)
        self.config = charter.maritime_settings_parse(
            mechanism.code, (mechanism.settings or {}).get("maritime")
        )
        self.rules = self.config.rules()
        self.ingest = ingest.Ingest(options or options_from_settings())
        if zone_shapes is None:
            zone_shapes, self.area = charter_zones(mechanism)
        else:
            self.area = None
        self.zones = list(zone_shapes)
        self._zone_names = {z.code: z.name or z.code for z in self.zones}
        self.clock = clock
        self._vessel_ids: dict[int, int] = dict(
            Vessel.objects.filter(mechanism=mechanism).values_list("mmsi", "id")
        )
        self._vessel_names: dict[int, str] = dict(
            Vessel.objects.filter(mechanism=mechanism).values_list("mmsi", "name")
        )
        self._ship_types: dict[int, int | None] = dict(
            Vessel.objects.filter(mechanism=mechanism).values_list("mmsi", "ship_type")
        )
        self._open: dict[tuple[int, int], Encounter] = {
            (e.vessel_a_id, e.vessel_b_id): e
            for e in Encounter.objects.filter(mechanism=mechanism).exclude(
                status=Encounter.Status.CLEARED
            )
        }
        self._alerts: dict[tuple[int, str, str], VesselAlert] = {
            (a.vessel_id, a.kind, a.zone): a
            for a in VesselAlert.objects.filter(mechanism=mechanism, ended_at__isnull=True)
        }
        self._zones_of: dict[int, frozenset[str]] = {}
        self._new_alerts: list[VesselAlert] = []
        self._ended_alerts: list[int] = []
        self._saved_at: dict[tuple[int, int], dt.datetime] = {}

    # --- input ---------------------------------------------------------------------

    def feed_lines(self, lines: Iterable[bytes | str], *, arrival: bool = False) -> None:
        """NMEA lines; ``arrival``: stamp lines without a receiver time with the clock."""
        feed = self.ingest.feed_line
        if arrival:
            for line in lines:
                feed(line, self.clock())
        else:
            for line in lines:
                feed(line)

    def now(self) -> float:
        """The picture's present: the latest receiver time seen, else the clock."""
        latest = self.ingest.latest_at
        return latest if latest is not None else self.clock()

    # --- the batch -----------------------------------------------------------------

    def flush(self) -> FlushResult:
        drained = self.ingest.drain()
        result = FlushResult()
        now_s = self.now()
        now = _moment(now_s)
        with transaction.atomic():
            new_events: list[NewEvent] = []
            result.vessels_new = self._vessels(drained, now)
            result.positions = self._positions(drained.positions, now)
            result.track_points = self._track(drained.track)
            new_events += self._suspicions(drained.suspicions, now)
            new_events += self._zone_changes(drained.positions, now)
            new_events += self._dark(now_s, now)
            new_events += self._encounters(now_s, now)
            if self._new_alerts:
                VesselAlert.objects.bulk_create(self._new_alerts)
            if self._ended_alerts:
                VesselAlert.objects.filter(pk__in=self._ended_alerts).update(ended_at=now)
            self._new_alerts, self._ended_alerts = [], []
            events_append(new_events)
            result.events = [e.kind for e in new_events]
        return result

    def _vessels(self, drained: ingest.Drained, now: dt.datetime) -> int:
        states = {s.mmsi: s for s in (*drained.static, *drained.positions)}
        new = [
            Vessel(
                process_id=self.mechanism.process_id,
                mechanism=self.mechanism,
                scope=self.scope,
                mmsi=mmsi,
                mid=mid_of(mmsi),
                flag=flag_of(mmsi),
                first_seen=_moment(state.at) if state.at else now,
                last_seen=_moment(state.at) if state.at else now,
                static_at=now if state.static else None,
                **_static_fields(state),
            )
            for mmsi, state in states.items()
            if mmsi not in self._vessel_ids
        ]
        if new:
            Vessel.objects.bulk_create(new, ignore_conflicts=True)
            self._vessel_ids.update(
                Vessel.objects.filter(
                    mechanism=self.mechanism, mmsi__in=[v.mmsi for v in new]
                ).values_list("mmsi", "id")
            )
        new_mmsis = {v.mmsi for v in new}
        changed = []
        for state in drained.static:
            fields = _static_fields(state)
            self._vessel_names[state.mmsi] = fields["name"]
            self._ship_types[state.mmsi] = fields["ship_type"]
            if state.mmsi not in new_mmsis:
                changed.append((self._vessel_ids[state.mmsi], {**fields, "static_at": now}))
        batch.vessels_update(changed)
        return len(new)

    def _positions(self, states: list[ingest.VesselState], now: dt.datetime) -> int:
        written = batch.moment_value(timezone.now())
        at_now = batch.moment_value(now)
        ids, mechanism_id = self._vessel_ids, self.mechanism.pk
        rows = [
            (
                ids[s.mmsi],
                mechanism_id,
                batch.moment_value(_moment(s.at)) if s.at else at_now,
                s.lat,
                s.lon,
                s.sog,
                s.cog,
                s.heading,
                s.status,
                s.under_way,
                written,
            )
            for s in states
            if s.lat is not None and s.lon is not None
        ]
        if rows:
            batch.positions_upsert(rows)
            Vessel.objects.filter(id__in=[r[0] for r in rows]).update(last_seen=now)
        return len(rows)

    def _track(self, points: list[tuple[int, thinning.Point]]) -> int:
        ids = self._vessel_ids
        batch.track_insert(
            [
                (ids[mmsi], batch.moment_value(_moment(p.at)), p.lat, p.lon, p.sog, p.cog)
                for mmsi, p in points
            ]
        )
        return len(points)

    # --- vessel alerts -------------------------------------------------------------

    def _name(self, mmsi: int) -> str:
        return self._vessel_names.get(mmsi) or f"MMSI {mmsi}"

    def _alert_open(
        self,
        mmsi: int,
        kind: str,
        now: dt.datetime,
        *,
        zone: str = "",
        lat: float | None = None,
        lon: float | None = None,
        detail: dict[str, Any] | None = None,
        event: str,
    ) -> list[NewEvent]:
        vessel_id = self._vessel_ids[mmsi]
        key = (vessel_id, kind, zone)
        if key in self._alerts:
            return []
        detail = dict(detail or {})
        if zone:
            detail.setdefault("zone_name", self._zone_names.get(zone, zone))
        alert = VesselAlert(
            process_id=self.mechanism.process_id,
            mechanism=self.mechanism,
            scope=self.scope,
            vessel_id=vessel_id,
            kind=kind,
            zone=zone,
            lat=lat,
            lon=lon,
            detail=detail,
            started_at=now,
        )
        self._alerts[key] = alert
        self._new_alerts.append(alert)
        return [
            self._event(
                event, alert.subject, now, mmsi=mmsi, zone=detail.get("zone_name", ""), alert=kind
            )
        ]

    def _alert_close(
        self, mmsi: int, kind: str, now: dt.datetime, *, zone: str = "", event: str | None
    ) -> list[NewEvent]:
        vessel_id = self._vessel_ids.get(mmsi)
        alert = self._alerts.pop((vessel_id or 0, kind, zone), None)
        if alert is None:
            return []
        alert.ended_at = now
        if alert.pk is not None:
            self._ended_alerts.append(alert.pk)
        if event is None:
            return []
        name = alert.detail.get("zone_name", "")
        return [self._event(event, alert.subject, now, mmsi=mmsi, zone=name, alert=kind)]

    def _event(self, kind: str, subject: str, now: dt.datetime, **payload: Any) -> NewEvent:
        mmsi = payload.get("mmsi")
        if mmsi is not None:
            payload["vessel"] = self._name(mmsi)
        return NewEvent(
            kind=kind,
            subject=subject,
            scope=self.scope,
            payload=payload,
            process=self.mechanism.process,
            occurred_at=now,
        )

    def _suspicions(self, suspicions: list[ingest.Suspicion], now: dt.datetime) -> list[NewEvent]:
        events: list[NewEvent] = []
        for s in suspicions:
            if s.mmsi not in self._vessel_ids:
                continue
            kind = (
                VesselAlert.Kind.SPOOFING_TWIN
                if s.kind == "twin"
                else VesselAlert.Kind.SPOOFING_JUMP
            )
            events += self._alert_open(
                s.mmsi,
                kind,
                now,
                lat=s.lat,
                lon=s.lon,
                detail=s.detail,
                event="VesselSpoofingSuspected",
            )
        return events

    def _dark(self, now_s: float, now: dt.datetime) -> list[NewEvent]:
        limit = self.config.dark_after.total_seconds()
        events: list[NewEvent] = []
        for mmsi, state in self.ingest.vessels.items():
            if state.at is None or mmsi not in self._vessel_ids:
                continue
            silent = now_s - state.at
            key = (self._vessel_ids[mmsi], VesselAlert.Kind.DARK.value, "")
            if silent > limit and state.under_way and not self._has_left(state, silent):
                events += self._alert_open(
                    mmsi,
                    VesselAlert.Kind.DARK,
                    now,
                    lat=state.lat,
                    lon=state.lon,
                    detail={"silent_s": int(silent)},
                    event="VesselWentDark",
                )
            elif silent <= limit and key in self._alerts:
                events += self._alert_close(
                    mmsi, VesselAlert.Kind.DARK, now, event="VesselReappeared"
                )
        return events

    def _has_left(self, state: ingest.VesselState, silent: float) -> bool:
        """Whether a silent vessel has left the channel's area rather than gone dark: its
        last position is outside the area, or its course and speed over the silence
        take it out (a ship near the edge heading outward, as at the lanes' ends)."""
        area = self.area
        if area is None or state.lat is None or state.lon is None:
            return False
        if not area.contains(state.lat, state.lon):
            return True
        lat, lon = kinematics.ahead(state.lat, state.lon, state.sog or 0.0, state.cog, silent)
        return not area.contains(lat, lon)

    def _zone_changes(self, states: list[ingest.VesselState], now: dt.datetime) -> list[NewEvent]:
        if not self.zones:
            return []
        by_code = {z.code: z for z in self.zones}
        lane_kinds = zones.LANE_KINDS | zones.SEPARATION_KINDS
        lane_codes = [z.code for z in self.zones if z.kind in lane_kinds]
        concerned = self.config.territorial_sea_affiliations()
        assigned = (
            self._affiliations()
            if any(z.kind in zones.TERRITORIAL_KINDS for z in self.zones)
            else {}
        )
        events: list[NewEvent] = []
        states = [
            s
            for s in states
            if s.lat is not None and s.lon is not None and s.mmsi in self._vessel_ids
        ]
        assessed = zones.assess_many(
            self.zones,
            [s.lat or 0.0 for s in states],
            [s.lon or 0.0 for s in states],
            [s.cog for s in states],
            [s.under_way for s in states],
        )
        for state, found in zip(states, assessed, strict=True):
            before = self._zones_of.get(state.mmsi, frozenset())
            self._zones_of[state.mmsi] = found.inside
            for code in found.inside:
                zone = by_code[code]
                if not zone.alert or zone.kind in lane_kinds:
                    continue
                if zone.kind in zones.TERRITORIAL_KINDS:
                    # Only the vessels the charter names (naval, coast guard): checked
                    # while inside, so static data that comes late still counts.
                    if self._affiliation(state.mmsi, assigned) not in concerned:
                        continue
                elif code in before:
                    continue
                events += self._alert_open(
                    state.mmsi,
                    VesselAlert.Kind.ZONE_ENTRY,
                    now,
                    zone=code,
                    lat=state.lat,
                    lon=state.lon,
                    event="VesselEnteredZone",
                )
            for code in before - found.inside:
                events += self._alert_close(
                    state.mmsi,
                    VesselAlert.Kind.ZONE_ENTRY,
                    now,
                    zone=code,
                    event="VesselLeftZone",
                )
            for kind, zone_code, event in (
                (VesselAlert.Kind.WRONG_LANE, found.wrong_lane, "VesselInWrongLane"),
                (
                    VesselAlert.Kind.SEPARATION_ZONE,
                    found.separation_zone,
                    "VesselCrossingSeparationZone",
                ),
            ):
                vessel_id = self._vessel_ids[state.mmsi]
                for code in lane_codes:
                    if code != zone_code and (vessel_id, kind, code) in self._alerts:
                        events += self._alert_close(state.mmsi, kind, now, zone=code, event=None)
                if zone_code is not None:
                    events += self._alert_open(
                        state.mmsi,
                        kind,
                        now,
                        zone=zone_code,
                        lat=state.lat,
                        lon=state.lon,
                        event=event,
                    )
        return events

    # --- encounters ----------------------------------------------------------------

    def _affiliations(self) -> dict[int, str]:
        found: dict[int, str] = {}
        if _affiliation_sources:
            found = _affiliation_sources[-1](self.mechanism)
        return found

    def _affiliation(self, mmsi: int, assigned: dict[int, str]) -> str:
        """The shared affiliation of a vessel (decision 0113): an agreed source's, else
        its AIS ship type's."""
        return assigned.get(mmsi) or affiliation_from_type(self._ship_types.get(mmsi))

    def fleet(self, now_s: float) -> tuple[screening.Fleet, list[int]]:
        """Vessels under way, extrapolated to ``now_s``, as the screen's arrays."""
        area = self.area
        states = [
            s
            for s in self.ingest.vessels.values()
            if s.under_way
            and s.at is not None
            and (area is None or area.contains(s.lat or 0.0, s.lon or 0.0))
        ]
        mmsis = [s.mmsi for s in states]
        if not states:
            return screening.Fleet.from_positions([], [], [], [], []), mmsis
        assigned = self._affiliations()
        lat = np.fromiter((s.lat for s in states), dtype=np.float64, count=len(states))
        lon = np.fromiter((s.lon for s in states), dtype=np.float64, count=len(states))
        sog = np.fromiter((s.sog or 0.0 for s in states), dtype=np.float64, count=len(states))
        cog = np.fromiter(
            (s.cog if s.cog is not None else np.nan for s in states),
            dtype=np.float64,
            count=len(states),
        )
        age_h = np.fromiter((now_s - (s.at or now_s) for s in states), dtype=np.float64) / 3600
        affiliation = [self._affiliation(s.mmsi, assigned) for s in states]
        fleet = screening.Fleet.from_positions(lat, lon, sog, cog, affiliation)
        fleet.x = fleet.x + fleet.vx * age_h
        fleet.y = fleet.y + fleet.vy * age_h
        return fleet, mmsis

    def _encounters(self, now_s: float, now: dt.datetime) -> list[NewEvent]:
        fleet, mmsis = self.fleet(now_s)
        alerts = screening.screen(fleet, self.rules) if len(fleet) > 1 else []
        events: list[NewEvent] = []
        flagged: set[tuple[int, int]] = set()
        created: list[Encounter] = []
        changed: list[Encounter] = []
        for alert in alerts:
            rule = self.rules[alert.rule]
            a, b = sorted((mmsis[alert.i], mmsis[alert.j]))
            ia, ib = self._vessel_ids.get(a), self._vessel_ids.get(b)
            if ia is None or ib is None:
                continue
            key = (ia, ib)
            flagged.add(key)
            mx = (fleet.x[alert.i] + fleet.x[alert.j]) / 2 + (
                fleet.vx[alert.i] + fleet.vx[alert.j]
            ) / 2 * (alert.tcpa_s / 3600)
            my = (fleet.y[alert.i] + fleet.y[alert.j]) / 2 + (
                fleet.vy[alert.i] + fleet.vy[alert.j]
            ) / 2 * (alert.tcpa_s / 3600)
            cpa_lat, cpa_lon = kinematics.unproject(float(mx), float(my), fleet.ref_lat)
            within = alert.distance_nm < rule.cpa_nm
            encounter = self._open.get(key)
            if encounter is None:
                encounter = Encounter(
                    process_id=self.mechanism.process_id,
                    mechanism=self.mechanism,
                    scope=self.scope,
                    vessel_a_id=ia,
                    vessel_b_id=ib,
                    rule=rule.code,
                    status=Encounter.Status.ONGOING if within else Encounter.Status.PREDICTED,
                    cpa_nm=alert.cpa_nm,
                    cpa_at=now + dt.timedelta(seconds=alert.tcpa_s),
                    cpa_lat=cpa_lat,
                    cpa_lon=cpa_lon,
                    closest_nm=alert.distance_nm,
                    detected_at=now,
                    ongoing_at=now if within else None,
                    updated_at=now,
                )
                self._open[key] = encounter
                created.append(encounter)
                self._saved_at[key] = now
                events.append(self._encounter_event("EncounterPredicted", encounter, a, b, now))
                if within:
                    events.append(self._encounter_event("EncounterOngoing", encounter, a, b, now))
                continue
            encounter.cpa_nm = alert.cpa_nm
            encounter.cpa_at = now + dt.timedelta(seconds=alert.tcpa_s)
            encounter.cpa_lat, encounter.cpa_lon = cpa_lat, cpa_lon
            encounter.closest_nm = min(encounter.closest_nm or alert.distance_nm, alert.distance_nm)
            encounter.updated_at = now
            stale = now - self._saved_at.get(key, now) >= PERSIST_PREDICTION_EVERY
            if within and encounter.status == Encounter.Status.PREDICTED:
                encounter.status = Encounter.Status.ONGOING
                encounter.ongoing_at = now
                events.append(self._encounter_event("EncounterOngoing", encounter, a, b, now))
                stale = True
            if stale:
                changed.append(encounter)
                self._saved_at[key] = now
        if created:
            Encounter.objects.bulk_create(created)
        clear_after = self.config.clear_after
        mmsi = {v: k for k, v in self._vessel_ids.items()}
        for key, encounter in list(self._open.items()):
            if key in flagged or now - encounter.updated_at < clear_after:
                continue
            encounter.status = Encounter.Status.CLEARED
            encounter.cleared_at = now
            changed.append(encounter)
            del self._open[key]
            self._saved_at.pop(key, None)
            events.append(
                self._encounter_event(
                    "EncounterCleared", encounter, mmsi.get(key[0], 0), mmsi.get(key[1], 0), now
                )
            )
        if changed:
            batch.encounters_update(changed, ENCOUNTER_FIELDS)
        return events

    def _encounter_event(
        self, kind: str, encounter: Encounter, a: int, b: int, now: dt.datetime
    ) -> NewEvent:
        return NewEvent(
            kind=kind,
            subject=encounter.subject,
            scope=self.scope,
            payload={
                "rule": encounter.rule,
                "vessel_a": self._name(a),
                "vessel_b": self._name(b),
                "mmsi_a": a,
                "mmsi_b": b,
                "cpa_nm": round(encounter.cpa_nm, 2),
                "cpa_at": encounter.cpa_at.isoformat(),
            },
            process=self.mechanism.process,
            occurred_at=now,
        )


def charter_zones(mechanism: Mechanism) -> tuple[list[zones.Zone], zones.Zone | None]:
    """The zones and the area the charter draws for ``mechanism`` (the geo app reads
    them), as the screen's shapes; a zone's code is its stable key (``file#index``)."""
    from accord.geo.selectors import geography_of

    geography = geography_of(mechanism)

    def shapes(items: Iterable[Any], alert: bool | None = None) -> list[zones.Zone]:
        features = []
        for item in items:
            feature = item.as_geojson()
            feature["properties"]["code"] = item.key[:40]
            if alert is not None:
                feature["properties"]["alert"] = alert
            features.append(feature)
        return zones.zones_from_geojson({"type": "FeatureCollection", "features": features})

    area = shapes([geography.area], alert=False) if geography.area is not None else []
    return shapes(geography.zones), (area[0] if area else None)


def track_prune(*, before: dt.datetime | None = None) -> int:
    """Delete track points older than the retention period (``ACCORD_AIS_TRACK_RETENTION``,
    a timedelta; default 7 days); returns how many. Run by the sweeper or a timer."""
    if before is None:
        retention = getattr(settings, "ACCORD_AIS_TRACK_RETENTION", dt.timedelta(days=7))
        before = timezone.now() - retention
    deleted, _ = TrackPoint.objects.filter(at__lt=before).delete()
    return deleted


def maritime_mechanism(code: str | None = None) -> Mechanism:
    """The maritime channel ``code``, or the first of kind maritime."""
    rows = Mechanism.objects.select_related("process")
    if code:
        return rows.get(code=code)
    mechanism = rows.filter(kind="maritime").order_by("id").first()
    if mechanism is None:
        raise Mechanism.DoesNotExist("no maritime mechanism in the charter")
    return mechanism
