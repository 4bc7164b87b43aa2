"""What the minutes record: decisions and action items (who does what by when), and the
sweep that flags overdue actions. Who may act: ``accord.meetings.access``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent
from accord.locking import lock_rows
from accord.meetings import access
from accord.meetings.models import ActionItem, Decision
from accord.meetings.services._common import append, new_event, text_check
from accord.meetings.services.minutes import draft_minutes_for_record

DECISION_TEXT_REQUIRED = ValidationFailed.case(
    "decision.text_required", _("Some text is required.")
)
DECISION_TEXT_TOO_LONG = ValidationFailed.case(
    "decision.text_too_long", _("The text is too long (at most {n} characters).")
)
ACTION_ITEM_TEXT_REQUIRED = ValidationFailed.case(
    "action_item.text_required", _("Some text is required.")
)
ACTION_ITEM_TEXT_TOO_LONG = ValidationFailed.case(
    "action_item.text_too_long", _("The text is too long (at most {n} characters).")
)
ACTION_ITEM_DUE_DATE_INVALID = ValidationFailed.case(
    "action_item.due_date_invalid", _("The due date must be a date.")
)
ACTION_ITEM_OWNER_CANNOT_SEE = ValidationFailed.case(
    "action_item.owner_cannot_see", _("The owner must be someone who can see this session.")
)
ACTION_ITEM_NOT_ALLOWED = PermissionDenied.case(
    "action_item.not_allowed", _("Only the owner or a facilitator can close an action item.")
)
ACTION_ITEM_ALREADY_DONE = Conflict.case(
    "action_item.already_done", _("This action item is already done.")
)


def decision_record(*, actor: User, session_id: object, text: str) -> Decision:
    """Record a decision in the draft minutes (the rapporteur)."""
    text = text_check(
        text, required=DECISION_TEXT_REQUIRED, too_long=DECISION_TEXT_TOO_LONG, limit=10_000
    )
    with transaction.atomic():
        session, minutes = draft_minutes_for_record(actor=actor, session_id=session_id)
        number = (minutes.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
        decision = Decision.objects.create(
            process=minutes.process,
            scope=minutes.scope,
            minutes=minutes,
            number=number,
            text=text,
            recorded_by=actor,
        )
        append(
            "DecisionRecorded",
            subject=f"session:{session.pk}",
            record=decision,
            actor=actor,
            payload={"title": session.title, "number": number, "text": text},
        )
    return decision


def action_item_record(
    *, actor: User, session_id: object, text: str, owner: str, due_on: dt.date
) -> ActionItem:
    """Record an action item in the draft minutes (the rapporteur). ``owner`` (a
    username) must be able to see the session; ``due_on`` is the last day to do it."""
    text = text_check(
        text, required=ACTION_ITEM_TEXT_REQUIRED, too_long=ACTION_ITEM_TEXT_TOO_LONG, limit=5000
    )
    if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
        raise ACTION_ITEM_DUE_DATE_INVALID()
    with transaction.atomic():
        session, minutes = draft_minutes_for_record(actor=actor, session_id=session_id)
        person = access.person_access(actor, owner)
        if not policy.can_see(person, process_id=session.process_id, scope=session.scope):
            raise ACTION_ITEM_OWNER_CANNOT_SEE()
        number = (minutes.action_items.aggregate(n=Max("number"))["n"] or 0) + 1
        item = ActionItem.objects.create(
            process=minutes.process,
            scope=minutes.scope,
            minutes=minutes,
            number=number,
            text=text,
            owner=person,
            due_on=due_on,
            recorded_by=actor,
        )
        append(
            "ActionItemRecorded",
            subject=f"action:{item.pk}",
            record=item,
            actor=actor,
            payload={
                "session": str(session.pk),
                "number": number,
                "text": text,
                "owner": person.username,
                "due_on": due_on,
            },
        )
    return item


def action_item_complete(*, actor: User, action_id: object) -> ActionItem:
    """Mark an action item done (its owner, or a facilitator who can see it)."""
    was_overdue: list[bool] = []

    def check(item: ActionItem) -> None:
        if not access.may_complete_action_item(actor, item):
            raise ACTION_ITEM_NOT_ALLOWED()
        if item.status == ActionItem.Status.DONE:
            raise ACTION_ITEM_ALREADY_DONE()
        was_overdue.append(item.status == ActionItem.Status.OVERDUE)

    def change(item: ActionItem) -> list[str]:
        item.status = ActionItem.Status.DONE
        item.completed_at = timezone.now()
        return ["status", "completed_at"]

    def events(item: ActionItem) -> list[NewEvent]:
        payload = {
            "session": str(item.minutes.session_id),
            "number": item.number,
            "text": item.text,
            "late": was_overdue[0],
        }
        return [
            new_event(
                "ActionItemCompleted",
                subject=f"action:{item.pk}",
                record=item,
                actor=actor,
                payload=payload,
            )
        ]

    rows = access.named(policy.restrict(ActionItem.objects.all(), actor), action_id).select_related(
        "process", "owner", "minutes"
    )
    with transaction.atomic():
        return change_locked(
            rows, missing=access.ACTION_ITEM_NOT_FOUND, check=check, change=change, events=events
        )


def action_items_flag_overdue(*, now: dt.datetime) -> int:
    """Flag every open action item due before ``now``'s UTC date as overdue; return how
    many. A sweep (``accord/sweeper.py``), acting for no one.

    Each item is flagged in its own transaction with its status re-checked under a row
    lock (skipping rows another sweeper holds), so each is flagged and announced
    (``ActionItemOverdue``, in the item's scope) exactly once however often, and however
    concurrently, this runs, and whatever crashed half-way before.
    """
    today = now.astimezone(dt.UTC).date()
    candidates = list(
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__lt=today)
        .order_by("due_on", "created_at")
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in candidates:
        with transaction.atomic():
            open_ = ActionItem.objects.filter(
                pk=pk, status=ActionItem.Status.OPEN, due_on__lt=today
            )
            # Not ``change_locked``: a sweep skips the rows another sweeper holds (and
            # so must not wait on them), which ``change_locked`` does not do.
            item = (
                lock_rows(open_, skip_locked=True)
                .select_related("owner", "process", "minutes")
                .first()
            )
            if item is None:
                continue  # done, flagged or moved meanwhile, or locked by another sweeper
            item.status = ActionItem.Status.OVERDUE
            item.flagged_overdue_at = timezone.now()
            item.save(update_fields=["status", "flagged_overdue_at"])
            append(
                "ActionItemOverdue",
                subject=f"action:{item.pk}",
                record=item,
                actor=None,
                payload={
                    "session": str(item.minutes.session_id),
                    "number": item.number,
                    "text": item.text,
                    "owner": item.owner.username,
                    "due_on": item.due_on,
                },
            )
            flagged += 1
    return flagged
