"""The one way a service changes a row that others may be changing too.

Lock the row, re-check its state (it may have moved since the caller read it), change
it, save the changed fields, append the event: the same five steps in one transaction
for every state transition of every app (a proposal decided, a message acknowledged, a
milestone met). ``change_locked`` does them in that order, so no service repeats them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import transaction
from django.db.models import Model, QuerySet

from accord.errors import ErrorCase
from accord.events.services import NewEvent, events_append
from accord.locking import lock_rows

M = TypeVar("M", bound=Model)


def change_locked(
    rows: QuerySet[M],
    *,
    missing: ErrorCase,
    check: Callable[[M], None] | None = None,
    change: Callable[[M], Iterable[str]],
    events: Callable[[M], Iterable[NewEvent]],
) -> M:
    """Lock the one row of ``rows``, ``check`` it, ``change`` it, save it, append ``events``.

    ``rows`` selects one row the actor may act on (already restricted by the app's
    access); none raises ``missing``. ``check(row)`` raises an ``AccordError`` when the
    row's state, as committed now, no longer allows the change. ``change(row)`` sets
    fields and returns their names (saved with ``update_fields``; none saves nothing).
    ``events(row)`` gives the events that record the change, appended in the same
    transaction. Precondition: inside ``transaction.atomic`` (checked).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("change_locked must run inside the transaction of its change")
    row = lock_rows(rows).first()
    if row is None:
        raise missing()
    if check is not None:
        check(row)
    fields = list(change(row))
    if fields:
        row.save(update_fields=fields)
    events_append(list(events(row)))
    return row
