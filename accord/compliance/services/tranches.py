"""Relief tranches tied to verified steps: a tranche falls due when every condition is
verified (on the publication that verifies the last), and the party that owes it
releases it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.compliance import access
from accord.compliance.access import TRANCHE_NOT_FOUND, PublicId
from accord.compliance.models import Commitment, Tranche
from accord.compliance.services.common import (
    FACILITATORS_ONLY,
    NOT_NOW,
    PARTY_ONLY,
    UNKNOWN_PARTY,
    UNKNOWN_STEP,
    text,
    title,
)
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append
from accord.process.models import Delegation
from accord.process.selectors import process_for


def tranche_create(
    *,
    actor: User,
    title_text: str,
    owed_by_code: str,
    owed_to_code: str,
    condition_ids: list[str],
    description: str = "",
    grace_days: int = 7,
) -> Tranche:
    """A tranche of relief ``owed_by_code`` owes ``owed_to_code`` once the commitments
    ``condition_ids`` (public ids) are verified."""
    process = process_for(actor)
    if not access.may_create_tranche(actor, process):
        raise FACILITATORS_ONLY()
    parties = {
        d.code: d for d in Delegation.objects.filter(process=process, kind=Delegation.Kind.PARTY)
    }
    for code in (owed_by_code, owed_to_code):
        if code not in parties:
            raise UNKNOWN_PARTY(code=code)
    conditions = [access.commitment_access(actor, c) for c in condition_ids]
    if not conditions:
        raise UNKNOWN_STEP(code="—")
    with transaction.atomic():
        row = Tranche.objects.create(
            process=process,
            scope=policy.SHARED,
            title=title(title_text),
            description=text(description, required=False),
            owed_by=parties[owed_by_code],
            owed_to=parties[owed_to_code],
            grace_days=max(0, min(365, grace_days)),
            created_at=timezone.now(),
        )
        row.conditions.set(conditions)
        event_append(
            kind="TrancheDefined",
            subject=row.subject,
            scope=row.scope,
            payload={
                "id": str(row.public_id),
                "title": row.title,
                "owed_by": owed_by_code,
                "conditions": [c.code for c in conditions],
            },
            actor=actor,
            process=process,
        )
        tranches_fall_due(commitment=conditions[0], now=row.created_at)
    return row


def tranches_fall_due(*, commitment: Commitment, now: dt.datetime) -> list[Tranche]:
    """Every waiting tranche conditioned on ``commitment`` whose conditions are now all
    verified falls due. Precondition: inside the transaction that verified it."""
    due = []
    for tranche in Tranche.objects.filter(conditions=commitment, status=Tranche.Status.WAITING):
        if all(c.status == Commitment.Status.VERIFIED for c in tranche.conditions.all()):
            tranche.status = Tranche.Status.DUE
            tranche.due_at = now
            tranche.save(update_fields=["status", "due_at"])
            event_append(
                kind="TrancheFellDue",
                subject=tranche.subject,
                scope=tranche.scope,
                payload={"id": str(tranche.public_id), "title": tranche.title},
                process=tranche.process,
            )
            due.append(tranche)
    return due


def tranche_release(*, actor: User, tranche_id: PublicId) -> Tranche:
    """The party that owes a due tranche releases it."""

    def check(row: Tranche) -> None:
        if not access.may_release(actor, row):
            if row.status != Tranche.Status.DUE:
                raise NOT_NOW(stage=row.get_status_display())
            raise PARTY_ONLY()

    def change(row: Tranche) -> list[str]:
        row.status = Tranche.Status.RELEASED
        row.released_at = timezone.now()
        return ["status", "released_at"]

    with transaction.atomic():
        return change_locked(
            access.tranche_rows(actor, tranche_id),
            missing=TRANCHE_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(
                    "TrancheReleased",
                    row.subject,
                    row.scope,
                    {"id": str(row.public_id), "title": row.title},
                    actor,
                    row.process,
                )
            ],
        )
