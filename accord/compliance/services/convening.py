"""The standing joint body convenes within the charter's days of a request (fewer when
urgent): a party or the facilitators ask, the facilitators record the meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.compliance import access
from accord.compliance.access import CONVENING_NOT_FOUND, PublicId
from accord.compliance.models import ConveningRequest
from accord.compliance.services.common import FACILITATORS_ONLY, NOT_NOW, PARTICIPANTS_ONLY, title
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append
from accord.process.selectors import process_for


def _payload(row: ConveningRequest, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "title": row.title,
        "urgent": row.urgent,
        "convene_by": row.convene_by,
        "dispute": row.dispute.code if row.dispute else "",
        **extra,
    }


def convening_request(
    *,
    actor: User,
    title_text: str,
    urgent: bool = False,
    dispute_id: PublicId | None = None,
    now: dt.datetime | None = None,
) -> ConveningRequest:
    """Ask the joint body to convene: it must within ``convene_within_days`` (the
    urgent ``convene_urgent_within_days``) of the request."""
    process = process_for(actor)
    if not access.may_request_convening(actor, process):
        raise PARTICIPANTS_ONLY()
    dispute = access.dispute_access(actor, dispute_id) if dispute_id else None
    delegation = policy.delegation_of(actor)
    assert delegation is not None
    terms = access.terms(process)
    now = now or timezone.now()
    days = terms.convene_urgent_days if urgent else terms.convene_days
    with transaction.atomic():
        row = ConveningRequest.objects.create(
            process=process,
            scope=policy.SHARED,
            requested_by=delegation,
            dispute=dispute,
            title=title(title_text),
            urgent=urgent,
            requested_at=now,
            convene_by=now + dt.timedelta(days=days),
            author=actor,
        )
        event_append(
            kind="ConveningRequested",
            subject=row.subject,
            scope=row.scope,
            payload=_payload(row, party=delegation.code),
            actor=actor,
            process=process,
            occurred_at=now,
        )
    return row


def convening_record(*, actor: User, request_id: PublicId) -> ConveningRequest:
    """Record that the joint body convened on the request: the facilitators, once."""

    def check(row: ConveningRequest) -> None:
        if not access.may_record_convening(actor, row):
            if row.convened_at is not None:
                raise NOT_NOW(stage=row.convened_at.date().isoformat())
            raise FACILITATORS_ONLY()

    def change(row: ConveningRequest) -> list[str]:
        row.convened_at = timezone.now()
        return ["convened_at"]

    with transaction.atomic():
        return change_locked(
            access.convening_rows(actor, request_id),
            missing=CONVENING_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                NewEvent(
                    "JointBodyConvened", row.subject, row.scope, _payload(row), actor, row.process
                )
            ],
        )
