"""A mechanism's geography: its area and its zones, read from GeoJSON files (no Django).

A charter names them on the mechanism (``docs/charter-format.md``)::

    area_file: geo/hormuz-area.geojson
    zones: [geo/hormuz-tss.geojson, geo/hormuz-territorial-seas.geojson]

paths relative to the charter's folder. Every feature is a polygon whose properties say
what it is: ``kind`` (one of ``ZONE_KINDS``), ``name``, ``approximate`` (true or false)
and ``provenance`` (where the shape comes from: a drawn approximation is never passed off
as an official line). Other properties are kept (a lane's ``direction`` in degrees true,
a territorial sea's ``state``). ``geography_read`` returns the ``Geography`` or every
problem, each naming the file and the feature.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from accord.errors import ValidationFailed
from accord.geo.geojson import AREAL, Bounds, Feature, GeoProblem, features_read

ZONE_KINDS = (
    "mechanism_area",
    "traffic_lane_inbound",
    "traffic_lane_outbound",
    "separation_zone",
    "precautionary_area",
    "territorial_sea",
    "anchorage",
    "restricted_area",
    "other",
)

FILE_MISSING = ValidationFailed.case("geo.file_missing", _("The file {file} does not exist."))
FILE_UNREADABLE = ValidationFailed.case(
    "geo.file_unreadable", _("The file {file} cannot be read: {reason}.")
)
ZONE_KIND_UNKNOWN = ValidationFailed.case(
    "geo.zone_kind_unknown",
    _("Feature {feature}: the zone kind {kind!r} is not one of {kinds}."),
)
ZONE_PROPERTY_MISSING = ValidationFailed.case(
    "geo.zone_property_missing",
    _("Feature {feature}: the property {name!r} is missing or empty ({expected})."),
)
AREA_NOT_ONE = ValidationFailed.case(
    "geo.area_not_one",
    _("A mechanism's area file holds exactly one polygon feature; this one holds {count}."),
)


@dataclass(frozen=True)
class Zone:
    """One named zone of a mechanism (or its area), as the charter's file describes it."""

    kind: str
    name: str
    approximate: bool
    provenance: str
    geometry: BaseGeometry
    file: str
    index: int
    properties: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A stable identifier within the mechanism: ``file#index`` (no database id)."""
        return f"{self.file}#{self.index}"

    def as_geojson(self) -> dict[str, Any]:
        return Feature(
            self.index,
            self.geometry,
            {
                **self.properties,
                "kind": self.kind,
                "name": self.name,
                "approximate": self.approximate,
                "provenance": self.provenance,
                "key": self.key,
            },
            id=self.key,
        ).as_geojson()


@dataclass(frozen=True)
class Geography:
    """A mechanism's area (if the charter names one) and its zones."""

    area: Zone | None = None
    zones: tuple[Zone, ...] = ()

    def __post_init__(self) -> None:
        for zone in self.zones:
            shapely.prepare(zone.geometry)

    @property
    def bounds(self) -> Bounds | None:
        """What a notified geometry must lie in, for ``geojson.features_read``."""
        return Bounds(self.area.geometry, self.area.name) if self.area else None

    def zones_at(self, lon: float, lat: float) -> list[Zone]:
        """The zones (not the area) that contain (``lon``, ``lat``)."""
        point = Point(lon, lat)
        return [zone for zone in self.zones if zone.geometry.covers(point)]

    def of_kind(self, *kinds: str) -> list[Zone]:
        return [zone for zone in self.zones if zone.kind in kinds]

    def __iter__(self) -> Iterator[Zone]:
        return iter(self.zones)

    def feature_collection(self, *, with_area: bool = True) -> dict[str, Any]:
        zones = [self.area, *self.zones] if with_area and self.area else list(self.zones)
        return {"type": "FeatureCollection", "features": [z.as_geojson() for z in zones if z]}


@dataclass(frozen=True)
class FileProblem:
    """A problem of one geography file: the file as the charter names it and the problem."""

    file: str
    problem: GeoProblem

    def __str__(self) -> str:
        return f"{self.file}: {self.problem.reason}"


def _zone(feature: Feature, file: str) -> Zone | GeoProblem:
    props = feature.properties
    kind = props.get("kind")
    if kind not in ZONE_KINDS:
        return GeoProblem(
            feature.index, ZONE_KIND_UNKNOWN, {"kind": kind, "kinds": ", ".join(ZONE_KINDS)}
        )
    for name, expected in (("name", "text"), ("provenance", "where the shape comes from")):
        value = props.get(name)
        if not isinstance(value, str) or not value.strip():
            return GeoProblem(
                feature.index, ZONE_PROPERTY_MISSING, {"name": name, "expected": expected}
            )
    approximate = props.get("approximate")
    if not isinstance(approximate, bool):
        return GeoProblem(
            feature.index,
            ZONE_PROPERTY_MISSING,
            {"name": "approximate", "expected": "true or false"},
        )
    rest = {
        k: v for k, v in props.items() if k not in ("kind", "name", "approximate", "provenance")
    }
    return Zone(
        kind=kind,
        name=props["name"].strip(),
        approximate=approximate,
        provenance=props["provenance"].strip(),
        geometry=feature.geometry,
        file=file,
        index=feature.index,
        properties=rest,
    )


def zones_read(path: str, *, file: str) -> tuple[list[Zone], list[FileProblem]]:
    """The zones of the GeoJSON file at ``path`` (``file`` names it in problems)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return [], [FileProblem(file, GeoProblem(None, FILE_MISSING, {"file": file}))]
    except OSError as error:
        reason = error.strerror or str(error)
        return [], [
            FileProblem(file, GeoProblem(None, FILE_UNREADABLE, {"file": file, "reason": reason}))
        ]
    reading = features_read(raw, types=AREAL)
    problems = [FileProblem(file, problem) for problem in reading.problems]
    zones: list[Zone] = []
    for feature in reading.features:
        outcome = _zone(feature, file)
        if isinstance(outcome, GeoProblem):
            problems.append(FileProblem(file, outcome))
        else:
            zones.append(outcome)
    problems.sort(key=lambda p: -1 if p.problem.feature is None else p.problem.feature)
    return zones, problems


def geography_read(
    *, area_file: str, zone_files: Sequence[str], base_dir: str | os.PathLike[str]
) -> tuple[Geography, dict[str | int, list[FileProblem]]]:
    """The geography the files name, and the problems keyed by ``"area_file"`` or the
    zone file's position in ``zone_files``."""
    problems: dict[str | int, list[FileProblem]] = {}
    area: Zone | None = None
    if area_file:
        areas, found = zones_read(os.path.join(base_dir, area_file), file=area_file)
        if not found and len(areas) != 1:
            count = len(areas)
            found = [FileProblem(area_file, GeoProblem(None, AREA_NOT_ONE, {"count": count}))]
        if found:
            problems["area_file"] = found
        elif areas:
            area = areas[0]
    zones: list[Zone] = []
    for position, zone_file in enumerate(zone_files):
        read, found = zones_read(os.path.join(base_dir, zone_file), file=zone_file)
        if found:
            problems[position] = found
        zones.extend(read)
    return Geography(area=area, zones=tuple(zones)), problems
