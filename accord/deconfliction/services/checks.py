"""A party's planned activities and conflict checks: party-internal (``party:<code>``).

The check, its area and its result are the party's alone: the rows and their events carry
the party's scope, so the other party and the facilitators never learn of them; the
facilitators read only counts by day (``selectors.check_statistics``), never an area.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.deconfliction import access
from accord.deconfliction.access import PublicId
from accord.deconfliction.conflicts import ConflictIndex, Notified
from accord.deconfliction.models import ConflictCheck, Notification, PlannedActivity
from accord.deconfliction.services.common import (
    AREA_SHAPES,
    NOT_ALLOWED,
    WINDOW_NEEDED,
    buffer_checked,
    geometry_read,
    text_checked,
    window_checked,
)
from accord.events.models import Event
from accord.events.services import event_append
from accord.process.models import Mechanism


def notified_of(row: Notification) -> Notified:
    return Notified(
        key=str(row.public_id),
        kind=row.kind,
        geometry=shape(row.geometry),
        buffer_m=row.corridor_half_m,
        label=row.title,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
    )


@dataclass
class _Cached:
    seq: int
    index: ConflictIndex


# One index per process, kept up to date incrementally (decisions 0116, 0146): each check
# reads the event log past the last event it has seen; every change of a notification is
# an event with the notification as its subject, appended in the change's transaction,
# and events become visible in their order (decision 0001). So the notifications named by
# the new events are read again and added if in force, removed if not: a new, withdrawn
# or expired notification is reflected at once, in every server process, and a check
# after a quiet spell costs two indexed reads however many rows were imported. The head
# is read before the rows, so a change committed in between is read twice, never missed.
# A head behind the cache's (a test's rolled-back events) means starting again.
_indexes: dict[int, _Cached] = {}
_lock = threading.Lock()
SUBJECT = "notification:"
# Past this many changed notifications (an import), building again is cheaper.
REBUILD_PAST = 2000


def index_forget() -> None:
    """Drop every cached index (tests, whose rolled-back rows the cache cannot see go)."""
    with _lock:
        _indexes.clear()


def _head() -> int:
    return Event.objects.aggregate(head=Max("seq"))["head"] or 0


def _index_for(mechanism: Mechanism) -> ConflictIndex:
    """Precondition: ``_lock`` held."""
    rows = Notification.objects.filter(process_id=mechanism.process_id)
    head = _head()
    cached = _indexes.get(mechanism.process_id)
    named: set[str] = set()
    if cached is not None and head > cached.seq:
        subjects = Event.objects.filter(
            seq__gt=cached.seq,
            seq__lte=head,
            process_id=mechanism.process_id,
            subject__startswith=SUBJECT,
        ).values_list("subject", flat=True)
        named = {subject.removeprefix(SUBJECT) for subject in subjects}
    if cached is None or head < cached.seq or len(named) > REBUILD_PAST:
        cached = _Cached(
            head,
            ConflictIndex.of(
                notified_of(row) for row in rows.filter(status__in=Notification.IN_FORCE)
            ),
        )
    else:
        for row in rows.filter(public_id__in=named) if named else ():
            if row.status in Notification.IN_FORCE:
                cached.index.add(notified_of(row))
            else:
                cached.index.remove(str(row.public_id))
        cached.seq = head
    _indexes[mechanism.process_id] = cached
    return cached.index


def index_for(mechanism: Mechanism) -> ConflictIndex:
    """The in-memory index of what is in force on ``mechanism``'s process (up to date)."""
    with _lock:
        return _index_for(mechanism)


def conflicts_find(
    mechanism: Mechanism,
    area: Any,
    *,
    buffer_m: float,
    planned_from: dt.datetime,
    planned_until: dt.datetime,
) -> list[Any]:
    """``ConflictIndex.check`` on the process's index, under the lock that updates it."""
    with _lock:
        return _index_for(mechanism).check(
            area, buffer_m=buffer_m, planned_from=planned_from, planned_until=planned_until
        )


def activity_record(
    *,
    actor: User,
    title: str,
    geometry: Any,
    buffer_m: float | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> PlannedActivity:
    """Record a planned activity of ``actor``'s party (party-internal)."""
    delegation = accounts_access.delegation_of(actor)
    process_id = delegation.process_id if delegation else None
    if delegation is None or not access.may_plan(actor, process_id):
        raise NOT_ALLOWED(action=gettext("plan activities"))
    mechanism = access.mechanism_of(process_id)
    title = text_checked(title, field=_("title"), limit=200)
    stored, _shape = geometry_read(
        geometry, mechanism=mechanism, accepted=AREA_SHAPES, field=_("planned area")
    )
    buffer = buffer_checked(buffer_m)
    window_checked(starts_at, ends_at)
    scope = accounts_access.party_scope(delegation.code)
    with transaction.atomic():
        activity = PlannedActivity.objects.create(
            process_id=delegation.process_id,
            scope=scope,
            delegation=delegation,
            title=title,
            geometry=stored,
            buffer_m=buffer,
            starts_at=starts_at,
            ends_at=ends_at,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        event_append(
            kind="PlannedActivityRecorded",
            subject=f"activity:{activity.public_id}",
            scope=scope,
            payload={"activity": str(activity.public_id), "title": title},
            actor=actor,
            process=delegation.process,
        )
    return activity


def conflict_check(
    *,
    actor: User,
    geometry: Any = None,
    buffer_m: float | None = 0,
    planned_from: dt.datetime | None = None,
    planned_until: dt.datetime | None = None,
    activity_id: PublicId | None = None,
) -> ConflictCheck:
    """Check an area (or a line with a buffer) and window, or a recorded planned
    activity, against every site and movement in force; record the check and its result
    for ``actor``'s party alone. Each conflict has its distance in metres and the part of
    the window in which it overlaps."""
    delegation = accounts_access.delegation_of(actor)
    process_id = delegation.process_id if delegation else None
    if delegation is None or not access.may_plan(actor, process_id):
        raise NOT_ALLOWED(action=gettext("run conflict checks"))
    mechanism = access.mechanism_of(process_id)
    activity = None
    if activity_id is not None:
        activity = access.activity_access(actor, activity_id)
        geometry, buffer_m = activity.geometry, activity.buffer_m
        planned_from, planned_until = activity.starts_at, activity.ends_at
    stored, area = geometry_read(
        geometry, mechanism=mechanism, accepted=AREA_SHAPES, field=_("planned area")
    )
    buffer = buffer_checked(buffer_m)
    if planned_from is None or planned_until is None:
        raise WINDOW_NEEDED()
    window_checked(planned_from, planned_until)
    found = conflicts_find(
        mechanism, area, buffer_m=buffer, planned_from=planned_from, planned_until=planned_until
    )
    result = [
        {
            "notification": c.key,
            "kind": c.kind,
            "title": c.label,
            "distance_m": c.distance_m,
            "overlap_from": c.overlap_from.isoformat(),
            "overlap_until": c.overlap_until.isoformat(),
        }
        for c in found
    ]
    scope = accounts_access.party_scope(delegation.code)
    with transaction.atomic():
        check = ConflictCheck.objects.create(
            process_id=delegation.process_id,
            scope=scope,
            delegation=delegation,
            activity=activity,
            geometry=stored,
            buffer_m=buffer,
            planned_from=planned_from,
            planned_until=planned_until,
            conflicts=result,
            conflict_count=len(result),
            checked_by=actor,
            checked_at=timezone.now(),
        )
        event_append(
            kind="ConflictChecked",
            subject=f"check:{check.public_id}",
            scope=scope,
            payload={"check": str(check.public_id), "conflicts": len(result)},
            actor=actor,
            process=delegation.process,
        )
    return check
