"""Proposals: a party proposes a change, the pen-holder incorporates, merges or declines
it with a reason, the party that made it may withdraw it while it is pending."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.drafting import brackets
from accord.drafting.access import (
    PROPOSAL_NOT_FOUND,
    PROVISION_NOT_FOUND,
    document_access,
    may_decide_proposal,
    may_propose,
    may_withdraw_option,
    may_withdraw_proposal,
    proposal_access,
    provision_access,
)
from accord.drafting.models import Document, Proposal, Provision
from accord.drafting.services.common import (
    FROZEN,
    OPTION_INVALID,
    Placement,
    check_placement,
    check_text,
    delegation_required,
    event,
    group_index,
    pen_required,
)
from accord.drafting.services.provisions import (
    delete_locked,
    edit_locked,
    insert_locked,
    option_add_locked,
)
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import events_append
from accord.locking import lock_rows

if TYPE_CHECKING:
    from accord.accounts.models import User

ONLY_PARTIES = PermissionDenied.case(
    "proposal.only_parties", _("Only a party's delegation can do this.")
)
KIND_INVALID = ValidationFailed.case("proposal.kind_invalid", _("Unknown kind of proposal {kind}."))
JUSTIFICATION_REQUIRED = ValidationFailed.case(
    "proposal.justification_required", _("A proposal needs a justification.")
)
TEXT_REQUIRED = ValidationFailed.case(
    "proposal.text_required", _("This kind of proposal needs the proposed wording.")
)
TARGET_REQUIRED = ValidationFailed.case(
    "proposal.target_required", _("This kind of proposal needs the provision it is about.")
)
NOT_YOUR_OPTION = PermissionDenied.case(
    "proposal.not_your_option", _("A delegation can only withdraw an option it sponsors.")
)
NOT_PENDING = Conflict.case(
    "proposal.not_pending", _("This proposal was already decided or withdrawn.")
)
DECISION_INVALID = ValidationFailed.case(
    "proposal.decision_invalid", _("Decide a proposal with 'incorporate', 'merge' or 'decline'.")
)
REASON_REQUIRED = ValidationFailed.case(
    "proposal.reason_required", _("Give the reason for merging or declining a proposal.")
)
MERGE_TEXT_REQUIRED = ValidationFailed.case(
    "proposal.merge_text_required", _("A merge needs the merged wording.")
)
NOT_YOURS = PermissionDenied.case(
    "proposal.not_yours", _("Only the delegation that made a proposal can withdraw it.")
)
TARGET_GONE = Conflict.case(
    "proposal.target_gone", _("The provision this proposal was about no longer exists.")
)
OPTION_MOVED = Conflict.case(
    "proposal.option_moved", _("The option to withdraw is no longer where it was.")
)

DECISIONS = {
    "incorporate": Proposal.State.INCORPORATED,
    "merge": Proposal.State.MERGED,
    "decline": Proposal.State.DECLINED,
}


def _check_proposal(
    actor: User,
    document: Document,
    *,
    kind: str,
    provision: Provision | None,
    text: str,
    new_kind: str,
    group: int | None,
    option: int | None,
) -> None:
    if kind != Proposal.Kind.INSERT and provision is None:
        raise TARGET_REQUIRED()
    if kind in (Proposal.Kind.INSERT, Proposal.Kind.REPLACE, Proposal.Kind.ADD_OPTION):
        if not text:
            raise TEXT_REQUIRED()
        check_text(text, process_id=document.process_id)
    if kind == Proposal.Kind.INSERT:
        parent = provision.parent if provision else None
        check_placement(document, new_kind, Placement(parent, provision))
    if kind == Proposal.Kind.ADD_OPTION and provision is not None:
        group_index(provision, group)
    if kind == Proposal.Kind.WITHDRAW_OPTION and provision is not None:
        if group is None or option is None:
            raise OPTION_INVALID(n="?")
        found = group_index(provision, group)
        if not 0 <= option < len(found[group].options):
            raise OPTION_INVALID(n=option + 1)
        if not may_withdraw_option(actor, provision, group, option):
            raise NOT_YOUR_OPTION()


def proposal_submit(
    *,
    actor: User,
    document_id: str,
    kind: str,
    justification: str,
    provision_id: str | None = None,
    text: str = "",
    new_kind: str = "",
    group: int | None = None,
    option: int | None = None,
) -> Proposal:
    """A party proposes a change to the provision ``provision_id`` (a wid; for an insert:
    the one to insert after); the pen-holder decides. Validated now, applied later."""
    delegation = delegation_required(actor)
    document = document_access(actor, document_id)
    if not may_propose(actor, document):
        if document.frozen:
            raise FROZEN()
        raise ONLY_PARTIES()
    if kind not in Proposal.Kind.values:
        raise KIND_INVALID(kind=repr(kind))
    justification = (justification or "").strip()
    if not justification:
        raise JUSTIFICATION_REQUIRED()
    provision = provision_access(actor, provision_id) if provision_id else None
    if provision is not None and provision.document_id != document.pk:
        raise PROVISION_NOT_FOUND()
    text = (text or "").strip()
    if kind == Proposal.Kind.INSERT:
        new_kind = new_kind or Provision.Kind.PARAGRAPH
    _check_proposal(
        actor,
        document,
        kind=kind,
        provision=provision,
        text=text,
        new_kind=new_kind,
        group=group,
        option=option,
    )
    with transaction.atomic():
        proposal = Proposal.objects.create(
            process_id=document.process_id,
            scope=document.scope,
            document=document,
            provision=provision,
            provision_wid=provision.wid if provision else "",
            kind=kind,
            text=text,
            new_kind=new_kind if kind == Proposal.Kind.INSERT else "",
            group=group,
            option=option,
            justification=justification,
            delegation=delegation,
            proposed_by=actor,
        )
        payload = {
            "proposal": str(proposal.public_id),
            "kind": kind,
            "delegation": delegation.code,
            "wid": proposal.provision_wid,
            "label": provision.label if provision else "",
        }
        events_append(
            [
                event(
                    document,
                    kind="ProposalSubmitted",
                    subject=proposal.subject,
                    actor=actor,
                    payload=payload,
                )
            ]
        )
    return proposal


def _pending(proposal: Proposal) -> None:
    if proposal.state != Proposal.State.PENDING:
        raise NOT_PENDING()


def proposal_withdraw(*, actor: User, proposal_id: str) -> Proposal:
    """The delegation that made a pending proposal withdraws it."""
    delegation = delegation_required(actor)
    proposal = proposal_access(actor, proposal_id)
    if not may_withdraw_proposal(actor, proposal):
        raise NOT_YOURS()

    def change(row: Proposal) -> list[str]:
        row.state = Proposal.State.WITHDRAWN
        row.decided_at = timezone.now()
        return ["state", "decided_at"]

    with transaction.atomic():
        return change_locked(
            Proposal.objects.filter(pk=proposal.pk).select_related("document__process"),
            missing=PROPOSAL_NOT_FOUND,
            check=_pending,
            change=change,
            events=lambda row: [
                event(
                    row.document,
                    kind="ProposalWithdrawn",
                    subject=row.subject,
                    actor=actor,
                    payload={"proposal": str(row.public_id), "delegation": delegation.code},
                )
            ],
        )


def proposal_decide(
    *, actor: User, proposal_id: str, decision: str, reason: str = "", text: str | None = None
) -> Proposal:
    """The pen-holder incorporates (as proposed), merges (with ``text``) or declines."""
    proposal = proposal_access(actor, proposal_id)
    if not may_decide_proposal(actor, proposal):
        pen_required(actor, proposal.document)
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise DECISION_INVALID()
    if decision in ("merge", "decline") and not reason:
        raise REASON_REQUIRED()
    wording = proposal.text
    if decision == "merge":
        wording = (text or "").strip()
        if not wording and proposal.kind != Proposal.Kind.DELETE:
            raise MERGE_TEXT_REQUIRED()
    with transaction.atomic():
        document = document_access(actor, proposal.document.public_id, lock=True)
        pen_required(actor, document)

        def change(row: Proposal) -> list[str]:
            if decision != "decline":
                _apply(actor, document, row, wording, merged=decision == "merge")
            row.state = DECISIONS[decision]
            row.reason = reason
            row.decided_by = actor
            row.decided_at = timezone.now()
            # Only these fields: applying a deletion has already nulled ``provision``.
            return ["state", "reason", "decided_by", "decided_at"]

        return change_locked(
            Proposal.objects.filter(pk=proposal.pk).select_related("delegation", "provision"),
            missing=PROPOSAL_NOT_FOUND,
            check=_pending,
            change=change,
            events=lambda row: [
                event(
                    document,
                    kind="ProposalDecided",
                    subject=row.subject,
                    actor=actor,
                    payload={
                        "proposal": str(row.public_id),
                        "decision": row.state,
                        "delegation": row.delegation.code,
                        "wid": row.provision_wid,
                        "reason": reason,
                    },
                )
            ],
        )


def _apply(
    actor: User, document: Document, proposal: Proposal, wording: str, *, merged: bool
) -> None:
    """Apply ``proposal`` to ``document`` (locked), as proposed or merged."""
    provision = proposal.provision
    if proposal.kind != Proposal.Kind.INSERT and provision is None:
        raise TARGET_GONE()
    if provision is not None:
        locked = Provision.objects.select_related("parent").filter(pk=provision.pk)
        provision = lock_rows(locked).get()
        provision.document = document
    if proposal.kind == Proposal.Kind.INSERT:
        kind = proposal.new_kind or Provision.Kind.PARAGRAPH
        placement = Placement(parent=provision.parent if provision else None, after=provision)
        insert_locked(actor, document, kind=kind, text=wording, heading="", placement=placement)
        return
    assert provision is not None
    if proposal.kind == Proposal.Kind.DELETE and not (merged and wording):
        delete_locked(actor, document, provision)
    elif proposal.kind == Proposal.Kind.ADD_OPTION and not merged:
        option_add_locked(
            actor,
            document,
            provision,
            group=proposal.group,
            text=wording,
            sponsors=[proposal.delegation.code],
        )
    elif proposal.kind == Proposal.Kind.WITHDRAW_OPTION and not merged:
        assert proposal.group is not None
        try:
            new_text = brackets.option_withdraw(
                provision.text, proposal.group, proposal.option or 0, proposal.delegation.code
            )
        except (IndexError, PermissionError) as error:
            raise OPTION_MOVED() from error
        edit_locked(actor, document, provision, text=new_text)
    else:
        edit_locked(actor, document, provision, text=wording)
