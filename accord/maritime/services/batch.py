"""The ingest's batch writes as prepared statements (one ``executemany`` each).

A batch is hundreds of rows of a few numbers; the ORM's ``bulk_create`` and
``bulk_update`` build a model instance, compile each value and (for updates) a CASE
expression per row, which cost more than decoding the AIS that produced them
(``bench/maritime_bench.py``). These write the same rows with one prepared statement
executed per row, on SQLite and PostgreSQL alike (``INSERT ... ON CONFLICT``).
Decision 0140.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

from accord.maritime.models import Encounter, TrackPoint, Vessel, VesselPosition


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return connection.ops.quote_name(str(getattr(field, "column", name)))


def moment_value(value: dt.datetime | None) -> Any:
    """An aware date-time as the database takes it (Django's own adaptation)."""
    return None if value is None else connection.ops.adapt_datetimefield_value(value)


POSITION_COLUMNS = (
    "vessel",
    "mechanism",
    "at",
    "lat",
    "lon",
    "sog",
    "cog",
    "heading",
    "nav_status",
    "under_way",
    "updated_at",
)


def positions_upsert(rows: Sequence[Sequence[Any]]) -> None:
    """The latest position of each vessel (``POSITION_COLUMNS`` in order, times already
    through ``moment_value``): inserted, or replacing the vessel's row."""
    if not rows:
        return
    columns = [_column(VesselPosition, name) for name in POSITION_COLUMNS]
    vessel = columns[0]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
    sql = (
        f"INSERT INTO {_table(VesselPosition)} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({vessel}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


TRACK_COLUMNS = ("vessel", "at", "lat", "lon", "sog", "cog")


def track_insert(rows: Sequence[Sequence[Any]]) -> None:
    """Thinned track points (``TRACK_COLUMNS`` in order, times through ``moment_value``)."""
    if not rows:
        return
    columns = [_column(TrackPoint, name) for name in TRACK_COLUMNS]
    sql = (
        f"INSERT INTO {_table(TrackPoint)} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def encounters_update(encounters: Iterable[Encounter], fields: Sequence[str]) -> None:
    """``fields`` of saved encounters, one prepared UPDATE per encounter."""
    concrete = [Encounter._meta.get_field(name) for name in fields]
    rows = []
    for encounter in encounters:
        values: list[Any] = []
        for field in concrete:
            value = getattr(encounter, field.attname)  # type: ignore[union-attr]
            if isinstance(value, dt.datetime):
                value = moment_value(value)
            elif isinstance(value, str):
                value = str(value)  # a choice's plain value
            values.append(value)
        values.append(encounter.pk)
        rows.append(values)
    if not rows:
        return
    assignments = ", ".join(f"{_column(Encounter, name)} = %s" for name in fields)
    sql = f"UPDATE {_table(Encounter)} SET {assignments} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def vessels_update(changes: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """Static data of vessels: ``(pk, {field: value})``, the same fields for each."""
    if not changes:
        return
    names = list(changes[0][1])
    assignments = ", ".join(f"{_column(Vessel, name)} = %s" for name in names)
    sql = f"UPDATE {_table(Vessel)} SET {assignments} WHERE id = %s"  # noqa: S608
    rows = [
        [moment_value(v) if isinstance(v, dt.datetime) else v for v in (values[n] for n in names)]
        + [pk]
        for pk, values in changes
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
