"""Referrals: a working group's pen-holder refers a contested provision to the body it
reports to; that body's facilitators record its decision (and, optionally, the wording
it settled on, which then replaces the provision's text)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.drafting.access import (
    REFERRAL_NOT_FOUND,
    may_decide_referral,
    may_refer,
    provision_access,
    referral_access,
)
from accord.drafting.models import Document, Provision, Referral
from accord.drafting.services.common import (
    check_text,
    delegation_required,
    event,
    pen_required,
    unfrozen,
)
from accord.drafting.services.provisions import edit_locked, locked_pair
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, events_append
from accord.locking import lock_rows
from accord.meetings.services import agenda_item_queue

if TYPE_CHECKING:
    from accord.accounts.models import User

NO_BODY_ABOVE = ValidationFailed.case(
    "provision_referral.no_body_above",
    _("{body} reports to no other body: there is nowhere to refer this provision."),
)
NOTE_REQUIRED = ValidationFailed.case(
    "provision_referral.note_required",
    _("A referral needs a note explaining what is to be settled."),
)
ALREADY_DECIDED = Conflict.case(
    "provision_referral.already_decided", _("This referral was already decided.")
)
ONLY_RECEIVING_BODY = PermissionDenied.case(
    "provision_referral.not_receiving_facilitator",
    _("Only the facilitators of {body} can record its decision."),
)
DECISION_REQUIRED = ValidationFailed.case(
    "provision_referral.decision_required", _("Record the decision in a sentence or more.")
)
PROVISION_GONE = Conflict.case(
    "provision_referral.provision_gone", _("The referred provision no longer exists.")
)


def _both(document_event: NewEvent, referral: Referral) -> list[NewEvent]:
    """The event in the working group's scope and its copy in the receiving body's."""
    copy = dataclasses.replace(document_event, subject=referral.subject, scope=referral.scope)
    return [document_event, copy]


def referral_create(*, actor: User, provision_id: str, note: str) -> Referral:
    """The pen-holder of a working group's text refers provision ``provision_id`` (a wid)
    upwards, and it goes on the receiving body's next draft agenda (meetings decision
    0023)."""
    document = provision_access(actor, provision_id).document
    pen_required(actor, document)
    body = document.body
    if not may_refer(actor, document):
        raise NO_BODY_ABOVE(body=body.name)
    note = (note or "").strip()
    if not note:
        raise NOTE_REQUIRED()
    to_body = body.reports_to
    assert to_body is not None
    with transaction.atomic():
        document, provision = locked_pair(actor, provision_id)
        referral = Referral.objects.create(
            process_id=document.process_id,
            scope=accounts_access.body_scope(to_body.code),
            document=document,
            provision=provision,
            provision_wid=provision.wid,
            provision_label=provision.label,
            text_as_referred=provision.text,
            from_body=body,
            to_body=to_body,
            note=note,
            referred_by=actor,
        )
        payload = {
            "referral": str(referral.public_id),
            "wid": provision.wid,
            "label": provision.label,
            "from_body": body.code,
            "to_body": to_body.code,
            "note": note,
        }
        referred = event(
            document,
            kind="ProvisionReferred",
            subject=provision.subject,
            actor=actor,
            payload=payload,
        )
        events_append(_both(referred, referral)[:1])
        agenda_item_queue(
            actor=actor,
            process_code=document.process.code,
            body_code=to_body.code,
            title=gettext("Referred by {body}: {label} ({title})").format(
                body=body.code, label=provision.label, title=document.title
            ),
            subject=provision.subject,
            note=note,
        )
        events_append(_both(referred, referral)[1:])
    return referral


def referral_decide(
    *, actor: User, referral_id: str, decision: str, text: str | None = None
) -> Referral:
    """The receiving body's facilitators record its decision, optionally with the wording
    it settled on (which then replaces the provision's text)."""
    delegation_required(actor)
    referral = referral_access(actor, referral_id)
    if not may_decide_referral(actor, referral):
        raise ONLY_RECEIVING_BODY(body=referral.to_body.name)
    decision = (decision or "").strip()
    if not decision:
        raise DECISION_REQUIRED()
    wording = (text or "").strip()
    if wording:
        check_text(wording, process_id=referral.process_id)

    def check(row: Referral) -> None:
        if row.state != Referral.State.OPEN:
            raise ALREADY_DECIDED()
        if wording and row.provision_id is None:
            raise PROVISION_GONE()

    def change(row: Referral) -> list[str]:
        if wording and row.provision_id is not None:
            # The decision is the receiving body's: its facilitators need not hold the
            # working group's pen, so the document is locked without that check.
            document = unfrozen(_document_locked(row))
            provision = lock_rows(Provision.objects.filter(pk=row.provision_id)).get()
            provision.document = document
            edit_locked(actor, document, provision, text=wording, by_decision_of=row.to_body.code)
        row.state = Referral.State.DECIDED
        row.decision = decision
        row.decided_text = wording
        row.decided_by = actor
        row.decided_at = timezone.now()
        return ["state", "decision", "decided_text", "decided_by", "decided_at"]

    def events(row: Referral) -> list[NewEvent]:
        payload = {
            "referral": str(row.public_id),
            "wid": row.provision_wid,
            "label": row.provision_label,
            "to_body": row.to_body.code,
            "decision": decision,
        }
        decided = event(
            row.document,
            kind="ReferralDecided",
            subject=f"provision:{row.provision_wid}",
            actor=actor,
            payload=payload,
        )
        return _both(decided, row)

    with transaction.atomic():
        return change_locked(
            Referral.objects.filter(pk=referral.pk).select_related(
                "to_body", "document", "document__process"
            ),
            missing=REFERRAL_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )


def _document_locked(referral: Referral) -> Document:
    """``referral``'s document, locked (the caller is in the change's transaction)."""
    document = lock_rows(
        Document.objects.filter(pk=referral.document_id).select_related("process")
    ).first()
    assert document is not None
    return document
