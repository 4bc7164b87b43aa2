"""Row locks that work on every supported database (one helper for every service)."""

from typing import TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def lock_rows(queryset: QuerySet[M], *, skip_locked: bool = False) -> QuerySet[M]:
    """Lock the rows of ``queryset`` until commit where the database can.

    SQLite has no row locks; its IMMEDIATE transactions (settings) already serialise
    writers. Only the rows themselves are locked: related rows joined for reading (some
    through outer joins, which PostgreSQL cannot lock) stay free, so parallel sweepers
    do not skip each other's work.
    """
    features = connection.features
    if not features.has_select_for_update:
        return queryset
    of = ("self",) if features.has_select_for_update_of else ()
    if skip_locked and features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=of)
    return queryset.select_for_update(of=of)
