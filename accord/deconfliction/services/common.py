"""What the de-confliction services share: their refusals, the charter's deadlines, and
reading a geometry that comes in (validated by ``accord.geo``: valid, not crossing
itself, latitude and longitude not swapped, inside the mechanism's area)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from accord.deconfliction.settings import DeconflictionSettings, deconfliction_settings_parse
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.geo import geojson
from accord.geo.selectors import geography_of
from accord.process.models import Mechanism

NOT_ALLOWED = PermissionDenied.case(
    "deconfliction.not_allowed", _("You may not {action} in the de-confliction mechanism.")
)
WRONG_STATE = Conflict.case(
    "deconfliction.wrong_state", _("This cannot be done while it is {status}.")
)
GEOMETRY_INVALID = ValidationFailed.case(
    "deconfliction.geometry_invalid", _("The {field} is not a valid geometry: {reason}.")
)
GEOMETRY_WRONG_TYPE = ValidationFailed.case(
    "deconfliction.geometry_type", _("The {field} must be a {expected}, not a {got}.")
)
BUFFER_INVALID = ValidationFailed.case(
    "deconfliction.buffer_invalid", _("The buffer must be between 0 and 50,000 metres.")
)
WINDOW_INVALID = ValidationFailed.case(
    "deconfliction.window_invalid", _("The window must end after it starts.")
)
WINDOW_NEEDED = ValidationFailed.case(
    "deconfliction.window_needed", _("The start and end of the time window are needed.")
)
TEXT_NEEDED = ValidationFailed.case("deconfliction.text_needed", _("The {field} is needed."))
TEXT_TOO_LONG = ValidationFailed.case(
    "deconfliction.text_too_long", _("The {field} can hold at most {limit} characters.")
)

MAX_BUFFER_M = 50_000.0
POINT = frozenset({"Point"})
SITE_SHAPES = frozenset({"Point", "Polygon", "MultiPolygon"})
ROUTE_SHAPES = frozenset({"LineString", "MultiLineString"})
AREA_SHAPES = frozenset({"Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"})


def settings_of(mechanism: Mechanism) -> DeconflictionSettings:
    """The mechanism's deadlines (the charter loader has validated them)."""
    return deconfliction_settings_parse((mechanism.settings or {}).get("deconfliction"))


def text_checked(value: str | None, *, field: Any, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise TEXT_NEEDED(field=field)
    if len(text) > limit:
        raise TEXT_TOO_LONG(field=field, limit=limit)
    return text


def buffer_checked(value: float | None) -> float:
    buffer = float(value or 0)
    if not 0 <= buffer <= MAX_BUFFER_M:
        raise BUFFER_INVALID()
    return buffer


def window_checked(starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    if ends_at <= starts_at:
        raise WINDOW_INVALID()
    return starts_at, ends_at


def geometry_read(
    value: Any, *, mechanism: Mechanism, accepted: frozenset[str], field: Any
) -> tuple[dict, BaseGeometry]:
    """``value`` (a GeoJSON geometry, as a mapping or its JSON text) as (the stored
    mapping, the shapely geometry); ``GEOMETRY_INVALID``/``GEOMETRY_WRONG_TYPE`` naming
    ``field`` and the reason otherwise."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise GEOMETRY_INVALID(field=field, reason=_("it is not JSON")) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise GEOMETRY_INVALID(field=field, reason=_("a GeoJSON geometry is expected"))
    if value["type"] not in accepted:
        raise GEOMETRY_WRONG_TYPE(
            field=field, expected=" / ".join(sorted(accepted)), got=value["type"]
        )
    try:
        geometry = geojson.geometry_read(
            value, types=accepted, bounds=geography_of(mechanism).bounds
        )
    except geojson.GeoJSONInvalid as error:
        reasons = [
            # One geometry is "feature 0" to the reader of a whole file: not worth saying.
            problem.reason.removeprefix(f"Feature {problem.feature}: ")
            for problem in error.problems
        ]
        raise GEOMETRY_INVALID(field=field, reason="; ".join(reasons).rstrip(".")) from None
    return shapely.geometry.mapping(geometry), geometry
