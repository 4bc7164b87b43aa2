"""Reading and validating GeoJSON, with every problem located (no Django but translations).

``features_read`` takes a GeoJSON text, bytes or parsed object (a FeatureCollection, a
single Feature or a bare geometry) and returns a ``Reading``: the valid features as
shapely geometries with their properties, and a ``GeoProblem`` for every feature that is
not valid, with its 0-based index in the file and a reason. It never raises for bad
input; ``features_parse`` is the strict form that raises ``GeoJSONInvalid`` listing every
problem. Coordinates are GeoJSON's: longitude first, then latitude (RFC 7946), WGS 84.

What is checked, per feature: it is a Feature with a geometry (``geo.not_a_feature``,
``geo.missing_coordinates``); its type is one the caller accepts (``geo.wrong_type``);
coordinates are numbers in range (``geo.out_of_range``), or look like latitude and
longitude written the wrong way round (``geo.swapped``: out of range one way and in range
the other, or outside the area one way and inside it the other); polygons are valid
(``geo.self_intersecting`` for a ring that crosses itself, ``geo.invalid_geometry`` for
the rest, with shapely's explanation) and lines do not cross themselves unless allowed;
and, given an area, the geometry lies inside it (``geo.outside_area``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from accord.errors import ErrorCase, ValidationFailed

GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)
AREAL = frozenset({"Polygon", "MultiPolygon"})
LINEAR = frozenset({"LineString", "MultiLineString"})
PUNCTUAL = frozenset({"Point", "MultiPoint"})

# Document-level cases (``feature`` is None).
NOT_JSON = ValidationFailed.case("geo.not_json", _("The file is not valid JSON: {reason}."))
NOT_GEOJSON = ValidationFailed.case(
    "geo.not_geojson",
    _("This is not GeoJSON: expected a FeatureCollection, a Feature or a geometry, got {got}."),
)
# Feature-level cases.
NOT_A_FEATURE = ValidationFailed.case(
    "geo.not_a_feature", _("Feature {feature}: expected a GeoJSON Feature, got {got}.")
)
MISSING_COORDINATES = ValidationFailed.case(
    "geo.missing_coordinates", _("Feature {feature}: the geometry or its coordinates are missing.")
)
WRONG_TYPE = ValidationFailed.case(
    "geo.wrong_type", _("Feature {feature}: a {got} is not accepted here (expected {expected}).")
)
BAD_COORDINATES = ValidationFailed.case(
    "geo.bad_coordinates",
    _("Feature {feature}: the coordinates are not a well-formed {kind} ({reason})."),
)
OUT_OF_RANGE = ValidationFailed.case(
    "geo.out_of_range",
    _(
        "Feature {feature}: the position ({lon}, {lat}) is not on Earth; longitude is "
        "between -180 and 180 and latitude between -90 and 90."
    ),
)
SWAPPED = ValidationFailed.case(
    "geo.swapped",
    _(
        "Feature {feature}: latitude and longitude seem to be written the wrong way round; "
        "GeoJSON puts longitude first ([{lat}, {lon}] rather than [{lon}, {lat}])."
    ),
)
SELF_INTERSECTING = ValidationFailed.case(
    "geo.self_intersecting", _("Feature {feature}: the {kind} crosses itself near {where}.")
)
INVALID_GEOMETRY = ValidationFailed.case(
    "geo.invalid_geometry", _("Feature {feature}: the {kind} is not valid ({reason}).")
)
OUTSIDE_AREA = ValidationFailed.case(
    "geo.outside_area", _("Feature {feature}: it lies outside {area}, at least in part.")
)
GEOJSON_INVALID = ValidationFailed.case(
    "geo.geojson_invalid", _("The GeoJSON has problems (found: {count}).\n{lines}")
)


@dataclass(frozen=True)
class GeoProblem:
    """What is wrong with one feature (``feature`` is its 0-based index) or the document."""

    feature: int | None
    case: ErrorCase
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.case.code

    @property
    def reason(self) -> str:
        """The sentence in the active language."""
        return self.case.text(feature=self.feature, **self.params)

    def as_dict(self) -> dict[str, Any]:
        """``{"feature": i, "code": ..., "reason": ...}`` for JSON reports."""
        return {"feature": self.feature, "code": self.code, "reason": self.reason}

    def __str__(self) -> str:
        return self.reason


class GeoJSONInvalid(ValidationFailed):
    """Refusal of a whole GeoJSON document; ``problems`` lists every problem found."""

    def __init__(self, problems: list[GeoProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(problem.reason for problem in self.problems)
        super().__init__(GEOJSON_INVALID, count=len(self.problems), lines=lines)


@dataclass(frozen=True)
class Feature:
    """A valid feature: its index in the source, its geometry and its properties."""

    index: int
    geometry: BaseGeometry
    properties: Mapping[str, Any]
    id: str | int | None = None

    def as_geojson(self) -> dict[str, Any]:
        feature: dict[str, Any] = {
            "type": "Feature",
            "geometry": mapping(self.geometry),
            "properties": dict(self.properties),
        }
        if self.id is not None:
            feature["id"] = self.id
        return feature


@dataclass(frozen=True)
class Reading:
    """The outcome of reading a GeoJSON document: valid features and located problems."""

    features: tuple[Feature, ...]
    problems: tuple[GeoProblem, ...]
    count: int  # how many features the document holds, valid or not

    @property
    def valid(self) -> bool:
        return not self.problems

    def __iter__(self) -> Iterator[Feature]:
        return iter(self.features)


@dataclass(frozen=True)
class Bounds:
    """An area a geometry must lie in, with the name a problem gives it."""

    geometry: BaseGeometry
    name: str

    def __post_init__(self) -> None:
        shapely.prepare(self.geometry)


def _document(data: Any) -> tuple[Any, GeoProblem | None]:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return None, GeoProblem(None, NOT_JSON, {"reason": f"not UTF-8 at byte {error.start}"})
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            reason = f"{error.msg} at line {error.lineno}, column {error.colno}"
            return None, GeoProblem(None, NOT_JSON, {"reason": reason})
        except RecursionError:
            return None, GeoProblem(None, NOT_JSON, {"reason": "nested too deeply"})
    return data, None


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        kind = value.get("type")
        return f"a {kind!r} object" if isinstance(kind, str) else "an object without a type"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)[:40]


def _raw_features(data: Any) -> tuple[list[Any], GeoProblem | None]:
    if isinstance(data, Mapping):
        kind = data.get("type")
        if kind == "FeatureCollection":
            features = data.get("features")
            if isinstance(features, list):
                return features, None
        elif kind == "Feature":
            return [data], None
        elif kind in GEOMETRY_TYPES or kind == "GeometryCollection":
            return [{"type": "Feature", "geometry": data, "properties": {}}], None
    return [], GeoProblem(None, NOT_GEOJSON, {"got": _describe(data)})


def _positions(coordinates: Any) -> Iterator[Any]:
    """Every position of a coordinates array of any depth (a position is a list of numbers)."""
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if isinstance(item, list) and item and not isinstance(item[0], list):
            yield item
        elif isinstance(item, list):
            stack.extend(item)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _on_earth(lon: float, lat: float) -> bool:
    return -180 <= lon <= 180 and -90 <= lat <= 90


def _swap(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy[:, ::-1])


def _where(reason: str) -> str:
    """``'Self-intersection[56.3 26.5]'`` -> ``'56.3, 26.5'``."""
    if "[" in reason:
        return reason[reason.index("[") + 1 : reason.rindex("]")].replace(" ", ", ")
    return reason


def _feature(
    index: int,
    raw: Any,
    *,
    types: Collection[str],
    bounds: Bounds | None,
    lines_may_cross: bool,
) -> Feature | GeoProblem:
    if not isinstance(raw, Mapping) or raw.get("type") != "Feature":
        return GeoProblem(index, NOT_A_FEATURE, {"got": _describe(raw)})
    geometry = raw.get("geometry")
    if not isinstance(geometry, Mapping) or not geometry.get("coordinates"):
        if isinstance(geometry, Mapping) and geometry.get("type") == "GeometryCollection":
            return GeoProblem(
                index, WRONG_TYPE, {"got": "GeometryCollection", "expected": _list(types)}
            )
        return GeoProblem(index, MISSING_COORDINATES)
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES or kind not in types:
        return GeoProblem(index, WRONG_TYPE, {"got": _describe(kind), "expected": _list(types)})
    positions = list(_positions(geometry["coordinates"]))
    if not positions or any(
        len(position) < 2 or not all(_number(value) for value in position) for position in positions
    ):
        reason = "a position is not a pair of numbers"
        return GeoProblem(index, BAD_COORDINATES, {"kind": kind, "reason": reason})
    for lon, lat, *_rest in positions:
        if not _on_earth(lon, lat):
            if _on_earth(lat, lon):
                return GeoProblem(index, SWAPPED, {"lon": lon, "lat": lat})
            return GeoProblem(index, OUT_OF_RANGE, {"lon": lon, "lat": lat})
    try:
        shp = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        reason = (str(error) or type(error).__name__).rstrip(".")
        return GeoProblem(index, BAD_COORDINATES, {"kind": kind, "reason": reason})
    except shapely.errors.GEOSException as error:
        return GeoProblem(index, BAD_COORDINATES, {"kind": kind, "reason": str(error).rstrip(".")})
    if shp.is_empty:
        return GeoProblem(index, MISSING_COORDINATES)
    label = _kind_word(kind)
    if not shp.is_valid:
        reason = explain_validity(shp)
        if reason.startswith(("Self-intersection", "Ring Self-intersection")):
            return GeoProblem(index, SELF_INTERSECTING, {"kind": label, "where": _where(reason)})
        return GeoProblem(index, INVALID_GEOMETRY, {"kind": label, "reason": reason})
    if kind in LINEAR and not lines_may_cross and not shp.is_simple:
        crossing = _line_crossing(shp)
        return GeoProblem(index, SELF_INTERSECTING, {"kind": label, "where": crossing})
    if bounds is not None and not bounds.geometry.covers(shp):
        swapped = _swap(shp)
        if bounds.geometry.covers(swapped):
            first = positions[0]
            return GeoProblem(index, SWAPPED, {"lon": first[0], "lat": first[1]})
        return GeoProblem(index, OUTSIDE_AREA, {"area": bounds.name})
    properties = raw.get("properties")
    ident = raw.get("id")
    return Feature(
        index=index,
        geometry=shp,
        properties=dict(properties) if isinstance(properties, Mapping) else {},
        id=ident if isinstance(ident, str | int) and not isinstance(ident, bool) else None,
    )


def _line_crossing(line: BaseGeometry) -> str:
    """Where a non-simple line first touches itself (a node shared by two segments)."""
    noded = shapely.node(line)
    counts: dict[tuple[float, float], int] = {}
    for part in getattr(noded, "geoms", [noded]):
        for x, y in part.coords:
            key = (round(x, 7), round(y, 7))
            counts[key] = counts.get(key, 0) + 1
    ends = set()
    for part in getattr(line, "geoms", [line]):
        for x, y in (part.coords[0], part.coords[-1]):
            ends.add((round(x, 7), round(y, 7)))
    for (x, y), count in counts.items():
        if count > 2 or (count > 1 and (x, y) not in ends):
            return f"{x:g}, {y:g}"
    return "a point it passes twice"


def _kind_word(kind: str) -> str:
    return {
        "Point": "point",
        "MultiPoint": "set of points",
        "LineString": "line",
        "MultiLineString": "set of lines",
        "Polygon": "polygon",
        "MultiPolygon": "set of polygons",
    }[kind]


def _list(types: Collection[str]) -> str:
    return ", ".join(sorted(types))


def features_read(
    data: Any,
    *,
    types: Collection[str] = GEOMETRY_TYPES,
    bounds: Bounds | None = None,
    lines_may_cross: bool = False,
) -> Reading:
    """Read ``data`` (GeoJSON text, bytes or a parsed object); never raises for bad input.

    ``types`` are the geometry types accepted; ``bounds`` the area every feature must lie
    in; ``lines_may_cross`` lets a route pass over itself (a road driven out and back).
    """
    document, problem = _document(data)
    if problem is not None:
        return Reading((), (problem,), 0)
    raws, problem = _raw_features(document)
    if problem is not None:
        return Reading((), (problem,), 0)
    features: list[Feature] = []
    problems: list[GeoProblem] = []
    for index, raw in enumerate(raws):
        outcome = _feature(index, raw, types=types, bounds=bounds, lines_may_cross=lines_may_cross)
        if isinstance(outcome, GeoProblem):
            problems.append(outcome)
        else:
            features.append(outcome)
    return Reading(tuple(features), tuple(problems), len(raws))


def features_parse(data: Any, **options: Any) -> tuple[Feature, ...]:
    """Every feature of ``data``, or ``GeoJSONInvalid`` listing every problem."""
    reading = features_read(data, **options)
    if reading.problems:
        raise GeoJSONInvalid(list(reading.problems))
    return reading.features


def geometry_read(
    data: Any,
    *,
    types: Collection[str] = GEOMETRY_TYPES,
    bounds: Bounds | None = None,
    lines_may_cross: bool = False,
) -> BaseGeometry:
    """One geometry (a bare geometry or a one-feature document), or ``GeoJSONInvalid``."""
    features = features_parse(data, types=types, bounds=bounds, lines_may_cross=lines_may_cross)
    if len(features) != 1:
        raise GeoJSONInvalid(
            [GeoProblem(None, NOT_GEOJSON, {"got": f"{len(features)} features instead of one"})]
        )
    return features[0].geometry


def feature_collection(features: list[Feature] | tuple[Feature, ...]) -> dict[str, Any]:
    """A FeatureCollection of ``features`` (for a page's JSON or an export)."""
    return {"type": "FeatureCollection", "features": [f.as_geojson() for f in features]}
