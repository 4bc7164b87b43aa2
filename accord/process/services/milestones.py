"""Writes of the roadmap: a milestone met, extended by the HLC, or flagged overdue.

Each is one locked change (``events.changes.change_locked``): the milestone's row is
locked, its state re-checked as committed now, changed, saved and its event appended in
one transaction, so a milestone is met, extended or flagged exactly once however many
people (or sweepers) try at the same moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append
from accord.locking import lock_rows
from accord.process import access
from accord.process.models import Milestone, MilestoneExtension

MILESTONE_NOT_YOURS = PermissionDenied.case(
    "milestone.mark_met_not_allowed",
    _("Only the facilitators or the chairs of the milestone's body can record it as met."),
)
MILESTONE_ALREADY_MET = Conflict.case(
    "milestone.already_met", _("Milestone {code!r} is already met.")
)
MILESTONE_GONE = NotFound.case(
    "milestone.gone", _("This milestone was removed from the roadmap meanwhile.")
)
MILESTONE_EXTEND_NOT_YOURS = PermissionDenied.case(
    "milestone.extend_not_allowed",
    _("Only the chairs and rapporteurs of {body} record its decisions to extend a milestone."),
)
MILESTONE_EXTEND_MET = Conflict.case(
    "milestone.extend_met", _("Milestone {code!r} is met; a met milestone is not extended.")
)
MILESTONE_EXTEND_NOT_LATER = ValidationFailed.case(
    "milestone.extend_not_later",
    _("The new date ({new_due_on}) must be after the current due date ({due_on})."),
)
MILESTONE_EXTEND_TOO_FAR = ValidationFailed.case(
    "milestone.extend_too_far",
    _("The new date ({new_due_on}) is more than a year after the roadmap ends."),
)
MILESTONE_EXTEND_NO_REASON = ValidationFailed.case(
    "milestone.extend_no_reason", _("An extension needs the reason the HLC gave.")
)
MILESTONE_EXTEND_REASON_TOO_LONG = ValidationFailed.case(
    "milestone.extend_reason_too_long", _("The reason can hold at most 5,000 characters.")
)
MILESTONE_EXTEND_REF_TOO_LONG = ValidationFailed.case(
    "milestone.extend_ref_too_long", _("The decision reference can hold at most 200 characters.")
)

# Not yet delivered and not yet flagged: what the overdue sweep looks at.
OPEN_STATUSES = (Milestone.Status.PENDING, Milestone.Status.EXTENDED)


def _subject(row: Milestone) -> str:
    return f"milestone:{row.code}"


def milestone_mark_met(*, actor: User, code: str) -> Milestone:
    """Record that milestone ``code`` was delivered, whether it was pending or overdue.

    Raise ``MILESTONE_NOT_FOUND`` outside the actor's process, ``MILESTONE_NOT_YOURS``
    unless ``access.may_mark_met``, ``MILESTONE_ALREADY_MET`` if it is met. Return the
    updated milestone.
    """
    milestone = access.milestone_access(actor, code)
    if not access.may_mark_met(actor, milestone):
        raise MILESTONE_NOT_YOURS()
    was_overdue = False

    def check(row: Milestone) -> None:
        nonlocal was_overdue
        if row.status == Milestone.Status.MET:
            raise MILESTONE_ALREADY_MET(code=row.code)
        was_overdue = row.status == Milestone.Status.OVERDUE

    def change(row: Milestone) -> list[str]:
        row.status = Milestone.Status.MET
        row.met_at = timezone.now()
        return ["status", "met_at"]

    def events(row: Milestone) -> Iterator[NewEvent]:
        yield NewEvent(
            kind="MilestoneMet",
            subject=_subject(row),
            # Roadmap status is structure, and structure is shared.
            scope=policy.SHARED,
            payload={
                "code": row.code,
                "body": milestone.body.code,
                "due_on": row.due_on,
                "met_at": row.met_at,
                "was_overdue": was_overdue,
            },
            actor=actor,
            process=milestone.process,
        )

    with transaction.atomic():
        return change_locked(
            Milestone.objects.filter(pk=milestone.pk),
            missing=MILESTONE_GONE,
            check=check,
            change=change,
            events=events,
        )


def milestone_extend(
    *,
    actor: User,
    code: str,
    new_due_on: dt.date,
    reason: str,
    decision_ref: str = "",
) -> Milestone:
    """Record the HLC's decision to move milestone ``code`` to ``new_due_on``, for ``reason``.

    The milestone becomes ``extended`` (pending under its new date, even if it was
    overdue); the charter's date is kept in ``original_due_on`` and every extension in
    ``MilestoneExtension``. Raise ``MILESTONE_EXTEND_NOT_YOURS`` unless
    ``access.may_extend``, a ``ValidationFailed`` case for a date not after the current one
    or a missing reason, ``MILESTONE_EXTEND_MET`` for a met milestone.
    """
    milestone = access.milestone_access(actor, code)
    if not access.may_extend(actor, milestone):
        top = milestone.process.oversight_body()
        name = top.name if top is not None else _("the oversight body")
        raise MILESTONE_EXTEND_NOT_YOURS(body=name)
    reason = (reason or "").strip()
    decision_ref = (decision_ref or "").strip()
    if not reason:
        raise MILESTONE_EXTEND_NO_REASON()
    if len(reason) > 5000:
        raise MILESTONE_EXTEND_REASON_TOO_LONG()
    if len(decision_ref) > 200:
        raise MILESTONE_EXTEND_REF_TOO_LONG()
    process = milestone.process
    before: dict[str, dt.date] = {}
    was: list[str] = []

    def check(row: Milestone) -> None:
        if row.status == Milestone.Status.MET:
            raise MILESTONE_EXTEND_MET(code=row.code)
        if new_due_on <= row.due_on:
            raise MILESTONE_EXTEND_NOT_LATER(new_due_on=new_due_on, due_on=row.due_on)
        if new_due_on > process.roadmap_ends_on + dt.timedelta(days=366):
            raise MILESTONE_EXTEND_TOO_FAR(new_due_on=new_due_on)
        before["due_on"] = row.due_on
        was.append(row.status)

    def change(row: Milestone) -> list[str]:
        if row.original_due_on is None:
            row.original_due_on = row.due_on
        row.due_on = new_due_on
        row.status = Milestone.Status.EXTENDED
        row.flagged_overdue_at = None
        MilestoneExtension.objects.create(
            process=process,
            milestone=row,
            previous_due_on=before["due_on"],
            new_due_on=new_due_on,
            reason=reason,
            decision_ref=decision_ref,
            decided_by=actor if getattr(actor, "pk", None) else None,
            decided_at=timezone.now(),
        )
        return ["original_due_on", "due_on", "status", "flagged_overdue_at"]

    def events(row: Milestone) -> Iterator[NewEvent]:
        yield NewEvent(
            kind="MilestoneExtended",
            subject=_subject(row),
            scope=policy.SHARED,
            payload={
                "code": row.code,
                "body": milestone.body.code,
                "original_due_on": row.original_due_on,
                "previous_due_on": before["due_on"],
                "new_due_on": new_due_on,
                "was": was[0],
                "reason": reason,
                "decision_ref": decision_ref,
            },
            actor=actor,
            process=process,
        )

    with transaction.atomic():
        # Only the milestone's row is locked: no select_related, which on PostgreSQL would
        # lock its body and process too.
        return change_locked(
            Milestone.objects.filter(pk=milestone.pk),
            missing=MILESTONE_GONE,
            check=check,
            change=change,
            events=events,
        )


def milestones_flag_overdue(*, today: dt.date) -> int:
    """Flag every pending or extended milestone due before ``today`` as overdue; return how many.

    A sweep: it acts for no one. ``today``: the current date (the sweeper passes the UTC
    date). A milestone is overdue on the day after its due date. Each milestone is flagged
    in its own transaction, with its status re-checked under a row lock (skipping rows
    another sweeper holds), so each is flagged and announced (``MilestoneOverdue``)
    exactly once however often, and however concurrently, this runs.
    """
    candidates = list(
        Milestone.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in candidates:
        with transaction.atomic():
            pending = Milestone.objects.filter(pk=pk, status__in=OPEN_STATUSES, due_on__lt=today)
            # Skip-locked rows are another sweeper's: ``change_locked`` would wait for them.
            row = lock_rows(pending, skip_locked=True).first()
            if row is None:
                continue  # met, flagged or moved meanwhile, or locked by another sweeper
            row.status = Milestone.Status.OVERDUE
            row.flagged_overdue_at = timezone.now()
            row.save(update_fields=["status", "flagged_overdue_at"])
            event_append(
                kind="MilestoneOverdue",
                subject=_subject(row),
                scope=policy.SHARED,
                payload={
                    "code": row.code,
                    "body": row.body.code,
                    "title": row.title,
                    "due_day": row.due_day,
                    "due_on": row.due_on,
                    "original_due_on": row.original_due_on,
                },
                process=row.process,
            )
            flagged += 1
    return flagged
