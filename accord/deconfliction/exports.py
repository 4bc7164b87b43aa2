"""Notified sites and movements as GeoJSON, CSV (with WKT) and KML (pure: no Django).

Each row is an ``ExportRow``: what the reader may see of one notification (the caller
reads it through the access policy). Coordinates stay WGS 84 longitude, latitude.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any
from xml.sax.saxutils import escape

from shapely.geometry import shape

COLUMNS = (
    "id",
    "kind",
    "site_type",
    "title",
    "organisation",
    "status",
    "buffer_m",
    "starts_at",
    "ends_at",
    "emergency",
)


@dataclass(frozen=True)
class ExportRow:
    id: str
    kind: str
    site_type: str
    title: str
    organisation: str
    status: str
    buffer_m: float
    starts_at: str  # ISO 8601 or ""
    ends_at: str
    emergency: bool
    geometry: dict[str, Any]

    def properties(self) -> dict[str, Any]:
        values = asdict(self)
        values.pop("geometry")
        return values


def as_geojson(rows: Iterable[ExportRow]) -> str:
    features = [
        {"type": "Feature", "id": r.id, "geometry": r.geometry, "properties": r.properties()}
        for r in rows
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell that starts with = + - @ as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(rows: Iterable[ExportRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, "wkt"])
    for r in rows:
        props = r.properties()
        writer.writerow([_cell(props[c]) for c in COLUMNS] + [shape(r.geometry).wkt])
    return out.getvalue()


def _kml_coordinates(points: Iterable[Any]) -> str:
    return " ".join(f"{p[0]},{p[1]}" for p in points)


def _kml_geometry(geometry: dict[str, Any]) -> str:
    kind, coords = geometry["type"], geometry.get("coordinates") or []
    if kind == "Point":
        return f"<Point><coordinates>{coords[0]},{coords[1]}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><coordinates>{_kml_coordinates(coords)}</coordinates></LineString>"
    if kind == "Polygon":
        rings = [
            f"<{tag}><LinearRing><coordinates>{_kml_coordinates(ring)}</coordinates>"
            f"</LinearRing></{tag}>"
            for tag, ring in zip(
                ["outerBoundaryIs"] + ["innerBoundaryIs"] * (len(coords) - 1), coords, strict=True
            )
        ]
        return "<Polygon>" + "".join(rings) + "</Polygon>"
    parts = {"MultiPoint": "Point", "MultiLineString": "LineString", "MultiPolygon": "Polygon"}
    if kind in parts:
        inner = "".join(_kml_geometry({"type": parts[kind], "coordinates": c}) for c in coords)
        return f"<MultiGeometry>{inner}</MultiGeometry>"
    return ""


def as_kml(rows: Iterable[ExportRow], *, name: str) -> str:
    marks = []
    for r in rows:
        data = "".join(
            f'<Data name="{escape(k)}"><value>{escape(str(v))}</value></Data>'
            for k, v in r.properties().items()
        )
        marks.append(
            f"<Placemark><name>{escape(r.title)}</name><ExtendedData>{data}</ExtendedData>"
            f"{_kml_geometry(r.geometry)}</Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{escape(name)}</name>{''.join(marks)}</Document></kml>\n"
    )
