"""The live map's JSON (``geo/_map.html``): the channel's picture as layers (decision 0104).

Positions never go through the event log: the map reads ``VesselPosition`` (the latest
report of each vessel, written in batches by the ingest) through
``selectors.positions_since``, and each page polls ``positions_frame`` at most once a
second. A frame is built once a second per channel and viewing party and shared by
every page of that party (``FRAME_SECONDS``, Django's cache), so a thousand open pages
cost one build a second per party. The first frame is every vessel; later ones only what
changed after the frame's cursor (``after``), merged by the map by key.

Affiliations are a party's own view of a vessel (party-internal): a source registered
with ``map_sources_register(affiliations=...)`` answers ``{vessel pk: affiliation}`` for
the viewer (``incidents.selectors.affiliations_seen_by`` has that signature); without
one, the AIS ship type stands in (shared data: the same for everyone). Incidents on the
map come from a registered ``incidents`` source in the same way: it answers the whole
layer for the viewer (``incidents.selectors.incidents_on_map``), in every frame. Reads
only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.dates import moment_parse
from accord.errors import ValidationFailed
from accord.geo import layers
from accord.geo import selectors as geo_selectors
from accord.geo.measure import destination
from accord.maritime import selectors
from accord.maritime.models import Encounter, TrackPoint, Vessel, VesselPosition
from accord.maritime.screening import AFFILIATION_LABELS
from accord.maritime.services.picture import affiliation_from_type
from accord.process import access as process_access
from accord.process.models import Mechanism

FRAME_SECONDS = 1.0
REPLAY_HOURS = 3
REPLAY_MAX_POINTS = 20_000
VECTOR_MINUTES = 10

AFFILIATION_COLOURS = {
    "own_navy": "#1f4e9c",
    "other_navy": "#b71c1c",
    "coast_guard": "#ef6c00",
    "commercial": "#616161",
    "fast_craft": "#8e24aa",
    "unknown": "#9e9e9e",
}
ENCOUNTER_COLOURS = {"predicted": "#ff8f00", "ongoing": "#d50000"}

AffiliationSource = Callable[..., dict[int, str]]  # (actor=, vessels=) -> {vessel pk: value}
IncidentSource = Callable[..., dict[str, Any]]  # (actor=, mechanism=) -> a layer
_sources: dict[str, Any] = {"affiliations": None, "incidents": None}


def map_sources_register(
    *, affiliations: AffiliationSource | None = None, incidents: IncidentSource | None = None
) -> None:
    """Install the party-aware sources of the map (an app's ``ready()`` calls this)."""
    if affiliations is not None:
        _sources["affiliations"] = affiliations
    if incidents is not None:
        _sources["incidents"] = incidents


def _affiliations(actor: User | None, vessels: list[Any]) -> dict[int, str]:
    source = _sources["affiliations"]
    seen = source(actor=actor, vessels=vessels) if source else {}
    return {
        v.pk: (seen.get(v.pk) if seen.get(v.pk, "unknown") != "unknown" else None)
        or affiliation_from_type(v.ship_type)
        for v in vessels
    }


def _viewer_key(actor: User | None) -> str:
    """Who a frame may be shared with: viewers of one party see the same frame."""
    delegation = policy.delegation_of(actor)
    return f"d{delegation.pk}" if delegation is not None else f"u{getattr(actor, 'pk', 0)}"


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _words() -> dict[str, Any]:
    """The frame's translated words, looked up once a frame (not once a vessel)."""
    return {
        "mmsi": _g("MMSI"),
        "imo": _g("IMO"),
        "affiliation": _g("Affiliation"),
        "flag": _g("Flag"),
        "speed": _g("Speed"),
        "knots": _g("{knots} kn"),
        "course": _g("Course"),
        "last": _g("Last report"),
        "labels": {k: str(v) for k, v in AFFILIATION_LABELS.items()},
        "and": _g("{a} and {b}"),
        "summary": _g("{status}: {cpa} nm at closest"),
        "status": _g("Status"),
        "closest": _g("Closest approach"),
        "nm": _g("{cpa} nm"),
        "at": _g("At"),
        "statuses": {k: str(v) for k, v in Encounter.Status.choices},
        "vessel_url": reverse("maritime:vessel", args=["VESSEL"]),
    }


def vessel_feature(
    vessel: Any, position: Any, affiliation: str, words: dict[str, Any]
) -> dict[str, Any]:
    """A vessel (``pk``, ``public_id``, ``name``, ``mmsi``, ``imo``, ``flag``) at its latest
    position (``at``, ``lat``, ``lon``, ``sog``, ``cog``, ``heading``, ``under_way``)."""
    heading = position.heading if position.heading is not None else position.cog
    label = words["labels"].get(affiliation, affiliation)
    name = vessel.name or str(vessel.mmsi)
    speed = words["knots"].format(knots=_number(position.sog)) if position.sog is not None else "—"
    course = f"{_number(position.cog, 0)}°" if position.cog is not None else "—"
    details = [
        [words["mmsi"], str(vessel.mmsi)],
        [words["affiliation"], label],
        [words["flag"], vessel.flag or "—"],
        [words["speed"], speed],
        [words["course"], course],
        [words["last"], position.at.strftime("%Y-%m-%d %H:%M:%S UTC")],
    ]
    if vessel.imo:
        details.insert(1, [words["imo"], str(vessel.imo)])
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(position.lon, 6), round(position.lat, 6)],
        },
        "properties": {
            "key": str(vessel.public_id),
            "name": name,
            "summary": label,
            "affiliation": affiliation,
            "heading": heading,
            "speed": position.sog if position.under_way else 0,
            "details": details,
            "url": words["vessel_url"].replace("VESSEL", str(vessel.public_id)),
        },
    }


def _ahead(position: Any, at: dt.datetime) -> tuple[float, float]:
    if not position.sog or position.cog is None:
        return position.lon, position.lat
    seconds = max(0.0, (at - position.at).total_seconds())
    return destination(
        position.lon, position.lat, position.cog, position.sog * 1852 / 3600 * seconds
    )


def encounter_feature(encounter: Any, words: dict[str, Any]) -> dict[str, Any] | None:
    """The predicted closest approach: each vessel's run to its position at CPA, and the
    CPA line between those two positions."""
    a = getattr(encounter.vessel_a, "position", None)
    b = getattr(encounter.vessel_b, "position", None)
    if a is None or b is None:
        return None
    a_cpa, b_cpa = _ahead(a, encounter.cpa_at), _ahead(b, encounter.cpa_at)
    name_a = encounter.vessel_a.name or str(encounter.vessel_a.mmsi)
    name_b = encounter.vessel_b.name or str(encounter.vessel_b.mmsi)
    status = words["statuses"].get(encounter.status, encounter.status)
    cpa = _number(encounter.cpa_nm, 2)
    return {
        "type": "Feature",
        "geometry": {
            "type": "MultiLineString",
            "coordinates": [
                [[a.lon, a.lat], list(a_cpa)],
                [[b.lon, b.lat], list(b_cpa)],
                [list(a_cpa), list(b_cpa)],
            ],
        },
        "properties": {
            "key": str(encounter.public_id),
            "name": words["and"].format(a=name_a, b=name_b),
            "summary": words["summary"].format(status=status, cpa=cpa),
            "status": encounter.status,
            "details": [
                [words["status"], status],
                [words["closest"], words["nm"].format(cpa=cpa)],
                [words["at"], encounter.cpa_at.strftime("%Y-%m-%d %H:%M UTC")],
            ],
        },
    }


def _vessel_layer(features: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return layers.layer(
        "vessels",
        _("Vessels"),
        features,
        colour_by="affiliation",
        colours=AFFILIATION_COLOURS,
        labels=AFFILIATION_LABELS,
        vector_minutes=VECTOR_MINUTES,
        live_only=True,
        **extra,
    )


def _encounter_layer(encounters: Iterable[Any], words: dict[str, Any]) -> dict[str, Any]:
    features = [f for f in (encounter_feature(e, words) for e in encounters) if f is not None]
    return layers.layer(
        "encounters",
        _("Predicted closest approach"),
        features,
        colour_by="status",
        colours=ENCOUNTER_COLOURS,
        labels={k: Encounter.Status(k).label for k in ENCOUNTER_COLOURS},
        dash=True,
        live_only=True,
    )


# Rows are read as plain values, not models: a frame of 3,000 vessels is built every
# second, and a model instance costs more than the feature made from it.
_POSITION = ("at", "lat", "lon", "sog", "cog", "heading", "under_way", "updated_at")
_VESSEL = ("public_id", "name", "mmsi", "imo", "flag", "ship_type")


def _visible_positions(actor: User | None, mechanism: Mechanism):
    return policy.restrict(
        VesselPosition.objects.filter(mechanism=mechanism),
        actor,
        process_field="vessel__process",
        scope_field="vessel__scope",
    )


def _rows(queryset, limit: int) -> list[tuple[SimpleNamespace, SimpleNamespace]]:
    names = ("vessel_id", *_POSITION, *(f"vessel__{f}" for f in _VESSEL))
    found = []
    for values in queryset.values_list(*names)[:limit]:
        position = SimpleNamespace(
            **dict(zip(_POSITION, values[1 : 1 + len(_POSITION)], strict=True))
        )
        vessel = SimpleNamespace(
            pk=values[0], **dict(zip(_VESSEL, values[1 + len(_POSITION) :], strict=True))
        )
        found.append((vessel, position))
    return found


def _open_encounters(actor: User | None, mechanism: Mechanism) -> list[SimpleNamespace]:
    fields = (
        "public_id",
        "status",
        "cpa_nm",
        "cpa_at",
        "vessel_a_id",
        "vessel_b_id",
        "vessel_a__name",
        "vessel_a__mmsi",
        "vessel_b__name",
        "vessel_b__mmsi",
    )
    rows = list(
        policy.restrict(
            Encounter.objects.filter(mechanism=mechanism).exclude(status=Encounter.Status.CLEARED),
            actor,
        )
        .order_by("-detected_at", "-id")
        .values_list(*fields)[:500]
    )
    ids = {row[4] for row in rows} | {row[5] for row in rows}
    positions = {
        vessel.pk: position
        for vessel, position in _rows(
            _visible_positions(actor, mechanism).filter(vessel_id__in=ids), len(ids) + 1
        )
    }
    found = []
    for public_id, status, cpa_nm, cpa_at, a_id, b_id, a_name, a_mmsi, b_name, b_mmsi in rows:
        found.append(
            SimpleNamespace(
                public_id=public_id,
                status=status,
                cpa_nm=cpa_nm,
                cpa_at=cpa_at,
                vessel_a=SimpleNamespace(name=a_name, mmsi=a_mmsi, position=positions.get(a_id)),
                vessel_b=SimpleNamespace(name=b_name, mmsi=b_mmsi, position=positions.get(b_id)),
            )
        )
    return found


def _positions(
    actor: User | None, mechanism: Mechanism, after: dt.datetime | None, words: dict[str, Any]
):
    rows = _visible_positions(actor, mechanism)
    if after is not None:
        rows = rows.filter(updated_at__gt=after)
    found = _rows(rows.order_by("updated_at"), selectors.MAX_ROWS)
    seen = _affiliations(actor, [vessel for vessel, _ in found])
    features = [vessel_feature(v, p, seen[v.pk], words) for v, p in found]
    return [p for _, p in found], features


def positions_frame(
    *, actor: User | None, mechanism: Mechanism, after: dt.datetime | None
) -> dict[str, Any]:
    """The vessels changed after ``after`` (all of them without it) and the open
    encounters, with the URL of the next frame; shared per party for ``FRAME_SECONDS``."""
    cursor = after.isoformat() if after else "-"
    key = f"maritime-frame:{mechanism.pk}:{_viewer_key(actor)}:{cursor}"
    frame = cache.get(key)
    if frame is None:
        frame = _frame_build(actor, mechanism, after)
        # Shared for a second from when it was built, however long the build took.
        cache.set(key, frame, timeout=FRAME_SECONDS)
    return frame


def _frame_build(
    actor: User | None, mechanism: Mechanism, after: dt.datetime | None
) -> dict[str, Any]:
    words = _words()
    rows, features = _positions(actor, mechanism, after, words)
    cursor = max((row.updated_at for row in rows), default=after)
    url = reverse("maritime:map_positions", args=[mechanism.code])
    frame_layers = [
        _vessel_layer(features, merge=after is not None),
        _encounter_layer(_open_encounters(actor, mechanism), words),
    ]
    incidents = _sources["incidents"]
    if incidents is not None:
        frame_layers.append(incidents(actor=actor, mechanism=mechanism))
    frame: dict[str, Any] = {"layers": frame_layers}
    if cursor is not None:
        frame["next"] = f"{url}?after={cursor.isoformat().replace('+00:00', 'Z')}"
    return frame


def _replay(actor: User | None, mechanism: Mechanism, since: dt.datetime, now: dt.datetime):
    """The thinned tracks of the last hours: a line per vessel, and each point shown on
    the slider from its time to the next point's."""
    visible = policy.restrict(Vessel.objects.filter(mechanism=mechanism), actor)
    points = (
        TrackPoint.objects.filter(vessel__in=visible, at__gte=since)
        .select_related("vessel")
        .order_by("vessel_id", "at")[:REPLAY_MAX_POINTS]
    )
    by_vessel: dict[int, list[TrackPoint]] = {}
    for point in points:
        by_vessel.setdefault(point.vessel_id, []).append(point)
    vessels = [track[0].vessel for track in by_vessel.values()]
    seen = _affiliations(actor, vessels)
    lines, replay = [], []
    for vessel_pk, track in by_vessel.items():
        vessel = track[0].vessel
        name = vessel.name or str(vessel.mmsi)
        affiliation = seen[vessel_pk]
        if len(track) > 1:
            lines.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[p.lon, p.lat] for p in track],
                    },
                    "properties": {
                        "key": f"track-{vessel.public_id}",
                        "name": name,
                        "affiliation": affiliation,
                    },
                }
            )
        for point, following in zip(track, [*track[1:], None], strict=True):
            end = following.at if following is not None else now
            replay.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
                    "properties": {
                        "key": f"{vessel.public_id}@{point.at.isoformat()}",
                        "name": name,
                        "affiliation": affiliation,
                        "heading": point.cog,
                        "speed": point.sog,
                        "start": point.at.isoformat(),
                        "end": end.isoformat(),
                    },
                }
            )
    return lines, replay


def map_layers(*, actor: User | None, mechanism: Mechanism) -> dict[str, Any]:
    """Everything the page starts with: zones, tracks, the replay, vessels, encounters."""
    now = timezone.now()
    since = now - dt.timedelta(hours=REPLAY_HOURS)
    geography = geo_selectors.geography_of(mechanism)
    lines, replay = _replay(actor, mechanism, since, now)
    frame = positions_frame(actor=actor, mechanism=mechanism, after=None)
    return {
        "time": layers.time_range(since, now, step_seconds=60),
        "layers": [
            layers.area_layer(geography),
            layers.zones_layer(geography),
            layers.layer(
                "tracks",
                _("Tracks (last hours)"),
                lines,
                colour_by="affiliation",
                colours=AFFILIATION_COLOURS,
                weight=1,
                fill=False,
            ),
            layers.layer(
                "replay",
                _("Replayed positions"),
                replay,
                colour_by="affiliation",
                colours=AFFILIATION_COLOURS,
                vector_minutes=VECTOR_MINUTES,
                past_only=True,
            ),
            *frame["layers"],
        ],
        **({"next": frame["next"]} if "next" in frame else {}),
    }


def map_bounds(mechanism: Mechanism) -> str:
    area = geo_selectors.area_of(mechanism)
    if area is None:
        return ""
    west, south, east, north = area.geometry.bounds
    return f"{west},{south},{east},{north}"


MAP_AFTER_INVALID = ValidationFailed.case(
    "maritime.map_after_invalid",
    _("The frame cursor is not a date and time (ISO 8601)."),
)


def _sees_picture(actor: User | None, mechanism: Mechanism) -> bool:
    """Whether ``actor`` sees the maritime channel's picture (a member of it)."""
    return mechanism.kind == Mechanism.Kind.MARITIME and policy.can_see(
        actor, process_id=mechanism.process_id, scope=policy.mechanism_scope(mechanism.code)
    )


def map_mechanism(actor: User | None, code: str) -> Mechanism:
    """The maritime channel ``code`` if ``actor`` sees its picture (a member), else the
    same ``MECHANISM_NOT_FOUND`` as for no such channel."""
    mechanism = process_access.mechanism_access(actor, code)
    if not _sees_picture(actor, mechanism):
        raise process_access.MECHANISM_NOT_FOUND(code=code)
    return mechanism


def maps_for(actor: User | None) -> list[Mechanism]:
    """The maritime channels whose map ``actor`` may open (a member of each), by code."""
    channels = Mechanism.objects.filter(kind=Mechanism.Kind.MARITIME).order_by("code")
    return [m for m in channels if _sees_picture(actor, m)]


def after_parse(text: str | None) -> dt.datetime | None:
    """The ``after`` cursor of a positions request (an aware time), or None."""
    if not text:
        return None
    moment = moment_parse(text.replace("Z", "+00:00"), invalid=MAP_AFTER_INVALID)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
