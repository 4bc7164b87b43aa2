"""Bulk import of notifications from GeoJSON or CSV (decision 0119).

A CSV has a ``wkt`` column, or ``lon`` and ``lat`` columns, and the same property names
as columns.

Each feature is one site or movement; its properties name the fields of
``notification_submit`` (``kind``, ``title``, ``site_type``, ``buffer_m``, ``starts_at``,
``ends_at``, ``vehicles``, ``people``, ``contact``, ``emergency``, ``organisation``).
Every feature is validated by the checks of that very service, so an import refuses
exactly what the form refuses. Nothing is written when any feature is in error unless
``valid_only`` says to import the valid ones; a dry run writes nothing. What is imported
is one transaction: a bulk insert of the rows and one event per notification.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

import shapely
import shapely.wkt
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accord.accounts.access import restrict
from accord.accounts.models import User
from accord.deconfliction.models import Notification, Organisation
from accord.errors import AccordError
from accord.events.services import events_append

# Rows per INSERT statement (well under SQLite's limit of bound parameters).
BATCH = 1000


class _FeatureProblem(Exception):
    pass


@dataclass
class ImportReport:
    features: int = 0
    valid: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    imported: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "valid": self.valid,
            "errors": self.errors,
            "imported": self.imported,
        }


def _moment(value: Any, name: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    moment = parse_datetime(str(value)) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise _FeatureProblem(f"{name}: expected an ISO 8601 date and time with its zone")
    return moment


def _csv_features(text: str) -> list[Any]:
    """Each CSV row as a GeoJSON feature: its geometry from a ``wkt`` column or from
    ``lon``/``lat`` (``longitude``/``latitude``) columns, its other columns as properties.
    A row whose geometry cannot be read keeps ``geometry`` None (refused as a feature)."""
    features: list[Any] = []
    for row in csv.DictReader(io.StringIO(text)):
        props = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        geometry: Any = None
        wkt = props.pop("wkt", "")
        lon = props.pop("lon", "") or props.pop("longitude", "")
        lat = props.pop("lat", "") or props.pop("latitude", "")
        try:
            if wkt:
                geometry = json.loads(shapely.to_geojson(shapely.wkt.loads(wkt)))
            elif lon and lat:
                geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        except (ValueError, shapely.errors.ShapelyError) as error:
            features.append({"type": "Feature", "problem": f"wkt/lon/lat: {error}"})
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return features


def _features(text: str | bytes) -> list[Any]:
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    if not text.lstrip().startswith(("{", "[")):
        return _csv_features(text)
    data = json.loads(text)
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValueError("a FeatureCollection needs a list of features")
        return features
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    raise ValueError("expected a GeoJSON FeatureCollection or Feature")


def _people(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _FeatureProblem("people: expected a whole number")
    try:
        return int(value)
    except ValueError:
        raise _FeatureProblem("people: expected a whole number") from None


def notifications_import(
    *,
    actor: User,
    text: str | bytes,
    organisation: str | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Validate every feature of the GeoJSON ``text``; import them unless ``dry_run`` or
    any is in error (then only with ``valid_only``). ``organisation``: the name used
    for features without an ``organisation`` property. Raises ``ValueError`` when the
    file is not GeoJSON at all.

    Each feature is validated by ``notification_built``, the very checks of
    ``notification_submit``; who may notify, the mechanism and the organisations are read
    once. What is imported is written in one transaction (decision 0145): every row in
    one bulk insert and its ``NotificationSubmitted`` event in one append, so a failure
    leaves nothing half written."""
    from accord.deconfliction.services.notifications import (
        notification_built,
        notifier_of,
        submitted_event,
    )

    notifier = notifier_of(actor)
    now = now or timezone.now()
    features = _features(text)
    report = ImportReport(features=len(features))
    organisations = {o.name: o for o in restrict(Organisation.objects.all(), actor)}
    rows: list[Notification] = []
    for position, feature in enumerate(features):
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise _FeatureProblem("not a GeoJSON Feature")
            if feature.get("problem"):
                raise _FeatureProblem(feature["problem"])
            props = feature.get("properties") or {}
            if not isinstance(props, dict):
                raise _FeatureProblem("properties must be an object")
            name = props.get("organisation") or organisation
            found = organisations.get(name) if name else None
            if found is None:
                raise _FeatureProblem(f"organisation: no registered organisation {name!r}")
            rows.append(
                notification_built(
                    notifier,
                    organisation=found,
                    kind=str(props.get("kind") or ""),
                    title=str(props.get("title") or ""),
                    geometry=feature.get("geometry"),
                    buffer_m=float(props.get("buffer_m") or props.get("corridor_m") or 0),
                    site_type=str(props.get("site_type") or ""),
                    starts_at=_moment(props.get("starts_at"), "starts_at"),
                    ends_at=_moment(props.get("ends_at"), "ends_at"),
                    vehicles=str(props.get("vehicles") or ""),
                    people=_people(props.get("people")),
                    contact=str(props.get("contact") or ""),
                    emergency=str(props.get("emergency")).lower() in ("true", "1", "yes"),
                    now=now,
                )
            )
        except (_FeatureProblem, AccordError, TypeError, ValueError) as error:
            report.errors.append({"feature": position, "reason": str(error)})
    report.valid = len(rows)
    if dry_run or not rows or (report.errors and not valid_only):
        return report
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=BATCH)
        events_append([submitted_event(notifier, row) for row in rows])
    report.imported = len(rows)
    return report
