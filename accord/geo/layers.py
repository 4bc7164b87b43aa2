"""Building the map's JSON (``static/geo/map.js``): layers, styles, legends (no Django
but translations). A page's view composes ``{"layers": [...], "time": {...}}`` from
``layer(...)`` and the ready-made ``zones_layer``/``area_layer``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.geo.zones import Geography, Zone

ZONE_COLOURS = {
    "mechanism_area": "#555555",
    "traffic_lane_inbound": "#2e7d32",
    "traffic_lane_outbound": "#1565c0",
    "separation_zone": "#c62828",
    "precautionary_area": "#ef6c00",
    "territorial_sea": "#6a1b9a",
    "anchorage": "#00838f",
    "restricted_area": "#ad1457",
    "other": "#757575",
}
ZONE_LABELS = {
    "mechanism_area": _("The mechanism's area"),
    "traffic_lane_inbound": _("Inbound traffic lane"),
    "traffic_lane_outbound": _("Outbound traffic lane"),
    "separation_zone": _("Separation zone"),
    "precautionary_area": _("Precautionary area"),
    "territorial_sea": _("Territorial sea"),
    "anchorage": _("Anchorage"),
    "restricted_area": _("Restricted area"),
    "other": _("Other zone"),
}


def layer(
    name: str,
    label: Any,
    features: Iterable[Mapping[str, Any]],
    *,
    colour_by: str = "",
    colours: Mapping[str, str] | None = None,
    labels: Mapping[str, Any] | None = None,
    colour: str = "",
    **style: Any,
) -> dict[str, Any]:
    """One named layer: ``colour_by`` a property with ``colours`` and legend ``labels``
    per value (or one ``colour``); other ``style`` keys pass through (``dash``,
    ``vector_minutes``, ``fill``, ``fill_opacity``, ``radius``, ``weight``; ``hold_s`` goes
    on the layer: how long a feature with a single ``time`` stays shown)."""
    hold = style.pop("hold_s", None)
    spec: dict[str, Any] = {
        "name": name,
        "label": str(label),
        "style": {
            **({"colour_by": colour_by} if colour_by else {}),
            **({"colours": dict(colours)} if colours else {}),
            **({"labels": {k: str(v) for k, v in labels.items()}} if labels else {}),
            **({"colour": colour} if colour else {}),
            **style,
        },
        "features": list(features),
    }
    if hold is not None:
        spec["hold_s"] = hold
    return spec


def zone_feature(zone: Zone) -> dict[str, Any]:
    """A zone as a map feature: its name, kind, and the provenance in its details."""
    feature = zone.as_geojson()
    kind = str(ZONE_LABELS.get(zone.kind, zone.kind))
    details = [[str(_("Kind")), kind], [str(_("Source")), zone.provenance]]
    if zone.approximate:
        details.insert(1, [str(_("Accuracy")), str(_("Approximate"))])
    feature["properties"] |= {"summary": kind, "details": details}
    return feature


def zones_layer(geography: Geography, *, name: str = "zones") -> dict[str, Any]:
    kinds = {zone.kind for zone in geography.zones}
    return layer(
        name,
        _("Zones"),
        [zone_feature(zone) for zone in geography.zones],
        colour_by="kind",
        colours=ZONE_COLOURS,
        labels={k: v for k, v in ZONE_LABELS.items() if k in kinds},
    )


def area_layer(geography: Geography, *, name: str = "area") -> dict[str, Any]:
    features = [zone_feature(geography.area)] if geography.area else []
    return layer(name, _("The mechanism's area"), features, colour="#555555", fill=False)


def time_range(start: dt.datetime, end: dt.datetime, *, step_seconds: int = 60) -> dict[str, Any]:
    """The slider's range (``start``/``end`` aware datetimes)."""
    return {"start": start.isoformat(), "end": end.isoformat(), "step": step_seconds}
