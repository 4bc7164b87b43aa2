"""Every write to the single negotiating text.

The one-text procedure: the pen-holder (every facilitator delegation unless the document
names others) edits; parties propose, state positions and withdraw their own options;
the pen-holder incorporates, merges or declines each proposal with a reason. Each
service checks permission, validates, writes in one transaction and appends its event
with the document's scope. For a non-paper, events caused by the author's delegation
carry no actor and no payload names the author (the author is recorded once, in a
``NonPaperAuthorRecorded`` event only the author's delegation and the facilitators see).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accord.accounts import access
from accord.drafting import brackets, numbering
from accord.drafting.models import (
    Document,
    Position,
    Proposal,
    Provision,
    Referral,
    Revision,
    new_wid,
)
from accord.drafting.textformat import ImportReport
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.services import event_append
from accord.process.models import Body, Delegation

NEEDS_DELEGATION = "Only members of a delegation can work on negotiating texts."
NOT_A_MEMBER = "Only members of {body} can work on its texts."
NOT_PEN_HOLDER = "Only the pen-holder of this document ({holders}) can change its text."
FROZEN = "This document was adopted and is frozen: nothing in it can change."
NO_SUCH_DOCUMENT = "There is no such document."
NO_SUCH_PROVISION = "There is no such provision."
NO_SUCH_PROPOSAL = "There is no such proposal."
NO_SUCH_REVISION = "There is no such revision."
NO_SUCH_REFERRAL = "There is no such referral."
TITLE_REQUIRED = "A document needs a title (at most 300 characters)."
STATUS_INVALID = "Unknown document status {status!r}."
AGREED_ONLY_BY_ADOPTION = "A text becomes 'agreed' only by adopting it."
PARTIES_ONLY_NON_PAPERS = "A party may start a non-paper; other texts are the facilitators'."
PEN_HOLDERS_INVALID = "Pen-holders must be delegation codes of this process: {codes}."
KIND_INVALID = "Unknown provision kind {kind!r}."
PARENT_INVALID = "A {kind} cannot be placed under {parent}."
TEXT_TOO_LONG = "A provision can hold at most 50,000 characters."
BRACKETS_INVALID = "The brackets do not balance: {reason} at character {position}."
SPONSORS_INVALID = "Options can only be sponsored by parties ({parties}); not by {codes}."
GROUP_INVALID = "There is no bracket group {n} in this provision."
OPTION_INVALID = "There is no option {n} in that bracket group."
STATUS_PROVISION_INVALID = "Unknown provision status {status!r}."
ONLY_PARTIES = "Only a party's delegation can do this."
PROPOSAL_KIND_INVALID = "Unknown kind of proposal {kind!r}."
JUSTIFICATION_REQUIRED = "A proposal needs a justification."
PROPOSAL_TEXT_REQUIRED = "This kind of proposal needs the proposed wording."
PROPOSAL_TARGET_REQUIRED = "This kind of proposal needs the provision it is about."
NOT_YOUR_OPTION = "A delegation can only withdraw an option it sponsors."
NOT_PENDING = "This proposal was already decided or withdrawn."
DECISION_INVALID = "Decide a proposal with 'incorporate', 'merge' or 'decline'."
REASON_REQUIRED = "Give the reason for merging or declining a proposal."
MERGE_TEXT_REQUIRED = "A merge needs the merged wording."
NOT_YOUR_PROPOSAL = "Only the delegation that made a proposal can withdraw it."
STANCE_INVALID = "A position is one of: accept, ad_referendum, reserve, reject."
ADOPTION_REFUSED = "The document cannot be adopted: {reason}"
NO_REPORTS_TO = "{body} reports to no other body: there is nowhere to refer this provision."
NOTE_REQUIRED = "A referral needs a note explaining what is to be settled."
REFERRAL_DECIDED = "This referral was already decided."
ONLY_RECEIVING_BODY = "Only the facilitators of {body} can record its decision."
DECISION_REQUIRED = "Record the decision in a sentence or more."
MAX_TEXT = 50_000


@dataclass
class Placement:
    """Where a new or moved provision goes: under ``parent`` after sibling ``after``."""

    parent: Provision | None = None
    after: Provision | None = None


# --- Checks ------------------------------------------------------------------------------


def _delegation(actor: Any) -> Delegation:
    delegation = getattr(actor, "delegation", None)
    if delegation is None or not getattr(actor, "is_active", False):
        raise PermissionDenied(NEEDS_DELEGATION)
    return delegation


def _require_sees(actor: Any, document: Document) -> Delegation:
    delegation = _delegation(actor)
    if not access.can_see(actor, process_id=document.process_id, scope=document.scope):
        raise NotFound(NO_SUCH_DOCUMENT)
    return delegation


def pen_holder_codes(document: Document) -> list[str]:
    if document.pen_holders:
        return list(document.pen_holders)
    return list(
        Delegation.objects.filter(
            process_id=document.process_id, kind=Delegation.Kind.FACILITATOR
        ).values_list("code", flat=True)
    )


def may_hold_pen(actor: Any, document: Document) -> bool:
    delegation = getattr(actor, "delegation", None)
    return (
        delegation is not None
        and access.can_see(actor, process_id=document.process_id, scope=document.scope)
        and delegation.code in pen_holder_codes(document)
        and not document.frozen
    )


def _fresh(document: Document) -> Document:
    """The document as committed now: pen-holders and adoption may have changed since the
    caller read it."""
    fresh = Document.objects.filter(pk=document.pk).only("pen_holders", "adopted_at").first()
    if fresh is None:
        raise NotFound(NO_SUCH_DOCUMENT)
    document.pen_holders, document.adopted_at = fresh.pen_holders, fresh.adopted_at
    return document


def _reread(provision: Provision) -> Provision:
    """The provision as committed now (its wording may have changed since it was read)."""
    fresh = (
        Provision.objects.select_related("document", "document__process", "parent")
        .filter(pk=provision.pk)
        .first()
    )
    if fresh is None:
        raise NotFound(NO_SUCH_PROVISION)
    return fresh


def _require_pen(actor: Any, document: Document) -> Delegation:
    delegation = _require_sees(actor, document)
    _fresh(document)
    if delegation.code not in pen_holder_codes(document):
        raise PermissionDenied(NOT_PEN_HOLDER.format(holders=", ".join(pen_holder_codes(document))))
    if document.frozen:
        raise Conflict(FROZEN)
    return delegation


def _require_party(actor: Any, document: Document) -> Delegation:
    delegation = _require_sees(actor, document)
    if not delegation.is_party:
        raise PermissionDenied(ONLY_PARTIES)
    if _fresh(document).frozen:
        raise Conflict(FROZEN)
    return delegation


def party_codes(process_id: int) -> list[str]:
    return list(
        Delegation.objects.filter(process_id=process_id, kind=Delegation.Kind.PARTY).values_list(
            "code", flat=True
        )
    )


def check_text(text: str, *, process_id: int) -> brackets.Counts:
    """Validate a wording: balanced brackets, sponsors that are parties. Returns its counts."""
    if len(text) > MAX_TEXT:
        raise ValidationFailed(TEXT_TOO_LONG)
    try:
        counts = brackets.count(text)
    except brackets.BracketError as error:
        raise ValidationFailed(
            BRACKETS_INVALID.format(reason=error.reason.lower(), position=error.position + 1)
        ) from error
    used = brackets.sponsors(text)
    parties = party_codes(process_id)
    unknown = sorted(used - set(parties))
    if unknown:
        raise ValidationFailed(
            SPONSORS_INVALID.format(parties=", ".join(parties), codes=", ".join(unknown))
        )
    return counts


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _locked(document: Document) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.frozen:
        raise Conflict(FROZEN)
    return locked


def _event(
    document: Document,
    *,
    kind: str,
    subject: str,
    actor: Any,
    payload: dict[str, Any],
    scope: str | None = None,
) -> None:
    shown_actor = actor
    if (
        document.status == Document.Status.NON_PAPER
        and getattr(actor, "delegation_id", None) == document.author_delegation_id
    ):
        shown_actor = None
    event_append(
        kind=kind,
        subject=subject,
        scope=scope or document.scope,
        payload={"document": document.pk, **payload},
        actor=shown_actor,
        process=document.process,
    )


# --- Tree maintenance --------------------------------------------------------------------


def tree_order(provisions: Iterable[Provision]) -> list[Provision]:
    """``provisions`` in document order (depth first, siblings by ``order``)."""
    children: dict[int | None, list[Provision]] = {}
    for p in provisions:
        children.setdefault(p.parent_id, []).append(p)
    for siblings in children.values():
        siblings.sort(key=lambda p: (p.order, p.pk or 0))
    out: list[Provision] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return out


def renumber(document: Document) -> list[Provision]:
    """Recompute every provision's eid, label and num; write only those that changed."""
    ordered = tree_order(
        Provision.objects.filter(document=document).only(
            "id", "wid", "parent_id", "order", "kind", "eid", "label", "num"
        )
    )
    wid_of = {p.pk: p.wid for p in ordered}
    numbers = numbering.number(
        numbering.Node(p.wid, wid_of.get(p.parent_id) if p.parent_id else None, p.kind)
        for p in ordered
    )
    changed = []
    for p in ordered:
        n = numbers[p.wid]
        if (p.eid, p.label, p.num) != (n.eid, n.label, n.num):
            p.eid, p.label, p.num = n.eid, n.label, n.num
            changed.append(p)
    if changed:
        # One prepared UPDATE executed per row: ``bulk_update``'s CASE expressions cost
        # seconds when a move renumbers thousands of provisions.
        table = connection.ops.quote_name(Provision._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET eid = %s, label = %s, num = %s WHERE id = %s",  # noqa: S608
                [(p.eid, p.label, p.num, p.pk) for p in changed],
            )
    return ordered


def _check_placement(document: Document, kind: str, placement: Placement) -> None:
    if kind not in numbering.KINDS:
        raise ValidationFailed(KIND_INVALID.format(kind=kind))
    parent = placement.parent
    if parent is not None and parent.document_id != document.pk:
        raise NotFound(NO_SUCH_PROVISION)
    if placement.after is not None and (
        placement.after.document_id != document.pk
        or placement.after.parent_id != (parent.pk if parent else None)
    ):
        raise ValidationFailed("The provision to insert after must be under the same parent.")
    parent_kind = parent.kind if parent else None
    if parent_kind not in numbering.ALLOWED_PARENTS[kind]:
        raise ValidationFailed(
            PARENT_INVALID.format(kind=kind, parent=parent.label if parent else "the top level")
        )


def _make_room(document: Document, placement: Placement) -> int:
    """The ``order`` for a provision placed per ``placement``, shifting later siblings."""
    siblings = Provision.objects.filter(document=document, parent=placement.parent)
    if placement.after is None:
        top = siblings.aggregate(m=Max("order"))["m"]
        return 0 if top is None else top + 1
    at = placement.after.order + 1
    later = list(siblings.filter(order__gte=at))
    for p in later:
        p.order += 1
    Provision.objects.bulk_update(later, ["order"])
    return at


def _set_text(provision: Provision, text: str) -> None:
    counts = check_text(text, process_id=provision.document.process_id)
    provision.text = text
    provision.bracket_spans = counts.spans
    provision.option_sets = counts.option_sets
    if provision.status in (Provision.Status.AGREED, Provision.Status.AGREED_AD_REF):
        # The agreement was on other words: the wording is open again.
        provision.status = Provision.Status.CONVERGING


# --- Documents ---------------------------------------------------------------------------


def document_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    status: str = Document.Status.FACILITATORS_TEXT,
    pen_holders: list[str] | None = None,
) -> Document:
    """Start a document owned by ``body`` (scope ``body:<code>``). Parties start non-papers."""
    delegation = _delegation(actor)
    scope = access.body_scope(body.code)
    if body.process_id != delegation.process_id or not access.can_see(
        actor, process_id=body.process_id, scope=scope
    ):
        raise PermissionDenied(NOT_A_MEMBER.format(body=body.name))
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ValidationFailed(TITLE_REQUIRED)
    if status not in Document.Status.values:
        raise ValidationFailed(STATUS_INVALID.format(status=status))
    if status == Document.Status.AGREED:
        raise ValidationFailed(AGREED_ONLY_BY_ADOPTION)
    if delegation.is_party and status != Document.Status.NON_PAPER:
        raise PermissionDenied(PARTIES_ONLY_NON_PAPERS)
    holders = _check_pen_holders(pen_holders or [], process_id=body.process_id)
    with transaction.atomic():
        document = Document.objects.create(
            process_id=body.process_id,
            body=body,
            scope=scope,
            title=title,
            status=status,
            pen_holders=holders,
            author=actor,
            author_delegation=delegation,
        )
        _event(
            document,
            kind="DocumentCreated",
            subject=document.subject,
            actor=actor,
            payload={"title": title, "status": status, "body": body.code},
        )
        if status == Document.Status.NON_PAPER:
            author_scope = (
                access.caucus_scope(delegation.code) if delegation.is_party else access.FACILITATORS
            )
            event_append(
                kind="NonPaperAuthorRecorded",
                subject=document.subject,
                scope=author_scope,
                payload={"document": document.pk, "title": title, "author": delegation.code},
                actor=actor,
                process=document.process,
            )
    return document


def _check_pen_holders(codes: list[str], *, process_id: int) -> list[str]:
    codes = [c.strip() for c in codes if c.strip()]
    known = set(Delegation.objects.filter(process_id=process_id).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationFailed(PEN_HOLDERS_INVALID.format(codes=", ".join(unknown)))
    return list(dict.fromkeys(codes))


def document_update(
    *,
    actor: Any,
    document: Document,
    title: str | None = None,
    status: str | None = None,
    pen_holders: list[str] | None = None,
) -> Document:
    """Retitle, change the status (not to 'agreed') or the pen-holders of a document."""
    _require_pen(actor, document)
    changes: dict[str, Any] = {}
    with transaction.atomic():
        document = _locked(document)
        if title is not None:
            title = title.strip()
            if not title or len(title) > 300:
                raise ValidationFailed(TITLE_REQUIRED)
            document.title = changes["title"] = title
        if status is not None:
            if status not in Document.Status.values:
                raise ValidationFailed(STATUS_INVALID.format(status=status))
            if status == Document.Status.AGREED:
                raise ValidationFailed(AGREED_ONLY_BY_ADOPTION)
            document.status = changes["status"] = status
        if pen_holders is not None:
            document.pen_holders = changes["pen_holders"] = _check_pen_holders(
                pen_holders, process_id=document.process_id
            )
        document.save()
        _event(
            document,
            kind="DocumentUpdated",
            subject=document.subject,
            actor=actor,
            payload=changes,
        )
    return document


# --- Provisions --------------------------------------------------------------------------


def provision_add(
    *,
    actor: Any,
    document: Document,
    kind: str,
    text: str = "",
    heading: str = "",
    parent: Provision | None = None,
    after: Provision | None = None,
) -> Provision:
    """Add a provision under ``parent`` (top level if None), after ``after`` (or last)."""
    _require_pen(actor, document)
    placement = Placement(parent=parent, after=after)
    _check_placement(document, kind, placement)
    with transaction.atomic():
        document = _locked(document)
        provision = _insert(document, kind=kind, text=text, heading=heading, placement=placement)
        renumber(document)
        provision.refresh_from_db()
        _event(
            document,
            kind="ProvisionAdded",
            subject=provision.subject,
            actor=actor,
            payload={
                "wid": provision.wid,
                "label": provision.label,
                "brackets": provision.brackets,
            },
        )
    return provision


def _insert(
    document: Document, *, kind: str, text: str, heading: str, placement: Placement
) -> Provision:
    provision = Provision(
        document=document,
        parent=placement.parent,
        kind=kind,
        heading=(heading or "").strip()[:300],
    )
    _set_text(provision, text)
    provision.order = _make_room(document, placement)
    provision.save()
    return provision


def provision_edit(
    *, actor: Any, provision: Provision, text: str | None = None, heading: str | None = None
) -> Provision:
    """Change a provision's wording and/or heading (the pen-holder)."""
    _require_pen(actor, provision.document)
    with transaction.atomic():
        document = _locked(provision.document)
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        provision.document = document
        before = provision.brackets
        if text is not None:
            _set_text(provision, text)
        if heading is not None:
            provision.heading = heading.strip()[:300]
        provision.save()
        _event(
            document,
            kind="ProvisionAmended",
            subject=provision.subject,
            actor=actor,
            payload={
                "wid": provision.wid,
                "label": provision.label,
                "brackets_before": before,
                "brackets": provision.brackets,
            },
        )
    return provision


def provision_move(
    *, actor: Any, provision: Provision, parent: Provision | None, after: Provision | None = None
) -> Provision:
    """Move a provision (with its children) under ``parent`` after ``after``."""
    document = provision.document
    _require_pen(actor, document)
    _check_placement(document, provision.kind, Placement(parent, after))
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == provision.pk:
            raise ValidationFailed("A provision cannot be moved inside itself.")
        ancestor = ancestor.parent
    with transaction.atomic():
        document = _locked(document)
        before = provision.label
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        provision.parent = parent
        provision.order = _make_room(document, Placement(parent, after))
        provision.save(update_fields=["parent", "order"])
        renumber(document)
        provision.refresh_from_db()
        _event(
            document,
            kind="ProvisionMoved",
            subject=provision.subject,
            actor=actor,
            payload={"wid": provision.wid, "label_before": before, "label": provision.label},
        )
    return provision


def provision_delete(*, actor: Any, provision: Provision) -> None:
    """Delete a provision and everything under it; revisions keep the old wording."""
    document = provision.document
    _require_pen(actor, document)
    with transaction.atomic():
        document = _locked(document)
        label, wid = provision.label, provision.wid
        Provision.objects.filter(pk=provision.pk).delete()
        renumber(document)
        _event(
            document,
            kind="ProvisionDeleted",
            subject=f"provision:{wid}",
            actor=actor,
            payload={"wid": wid, "label": label},
        )


def provision_status_set(*, actor: Any, provision: Provision, status: str) -> Provision:
    """Record where a provision stands: open, converging, agreed ad referendum, agreed."""
    _require_pen(actor, provision.document)
    if status not in Provision.Status.values:
        raise ValidationFailed(STATUS_PROVISION_INVALID.format(status=status))
    with transaction.atomic():
        document = _locked(provision.document)
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        provision.status = status
        provision.save(update_fields=["status", "updated_at"])
        _event(
            document,
            kind="ProvisionStatusChanged",
            subject=provision.subject,
            actor=actor,
            payload={"wid": provision.wid, "label": provision.label, "status": status},
        )
    return provision


def _group_index(provision: Provision, group: int | None) -> list[brackets.Group]:
    found = list(brackets.groups(brackets.parse(provision.text)))
    if group is not None and not 0 <= group < len(found):
        raise ValidationFailed(GROUP_INVALID.format(n=group + 1))
    return found


def bracket_resolve(*, actor: Any, provision: Provision, group: int, keep: int | None) -> Provision:
    """Clean bracket group ``group`` (0-based): keep option ``keep`` or delete the span."""
    provision = _reread(provision)
    _require_pen(actor, provision.document)
    found = _group_index(provision, group)
    if keep is not None and not 0 <= keep < len(found[group].options):
        raise ValidationFailed(OPTION_INVALID.format(n=keep + 1))
    with transaction.atomic():
        document = _locked(provision.document)
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        provision.document = document
        before = provision.brackets
        _set_text(provision, brackets.resolve(provision.text, group, keep=keep))
        provision.save()
        _event(
            document,
            kind="BracketResolved",
            subject=provision.subject,
            actor=actor,
            payload={
                "wid": provision.wid,
                "label": provision.label,
                "brackets_before": before,
                "brackets": provision.brackets,
            },
        )
    return provision


def option_add(
    *, actor: Any, provision: Provision, group: int | None, text: str, sponsors: list[str]
) -> Provision:
    """Add an option (the pen-holder, on a party's behalf): to group ``group`` or, with
    ``group=None``, as an alternative wording of the whole provision."""
    provision = _reread(provision)
    _require_pen(actor, provision.document)
    return _option_add(actor, provision, group, text, sponsors)


def _option_add(
    actor: Any, provision: Provision, group: int | None, text: str, sponsors: list[str]
) -> Provision:
    _group_index(provision, group)
    check_text(text, process_id=provision.document.process_id)
    with transaction.atomic():
        document = _locked(provision.document)
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        provision.document = document
        before = provision.brackets
        _set_text(provision, brackets.option_append(provision.text, group, text, sponsors))
        provision.save()
        _event(
            document,
            kind="OptionAdded",
            subject=provision.subject,
            actor=actor,
            payload={
                "wid": provision.wid,
                "label": provision.label,
                "sponsors": sponsors,
                "brackets_before": before,
                "brackets": provision.brackets,
            },
        )
    return provision


# --- Proposals ---------------------------------------------------------------------------


def proposal_submit(
    *,
    actor: Any,
    document: Document,
    kind: str,
    justification: str,
    provision: Provision | None = None,
    text: str = "",
    new_kind: str = "",
    group: int | None = None,
    option: int | None = None,
) -> Proposal:
    """A party proposes a change; the pen-holder decides. Validated now, applied later."""
    delegation = _require_party(actor, document)
    if kind not in Proposal.Kind.values:
        raise ValidationFailed(PROPOSAL_KIND_INVALID.format(kind=kind))
    justification = (justification or "").strip()
    if not justification:
        raise ValidationFailed(JUSTIFICATION_REQUIRED)
    if provision is not None:
        provision = _reread(provision)
        if provision.document_id != document.pk:
            raise NotFound(NO_SUCH_PROVISION)
    text = (text or "").strip()
    if kind != Proposal.Kind.INSERT and provision is None:
        raise ValidationFailed(PROPOSAL_TARGET_REQUIRED)
    if kind in (Proposal.Kind.INSERT, Proposal.Kind.REPLACE, Proposal.Kind.ADD_OPTION):
        if not text:
            raise ValidationFailed(PROPOSAL_TEXT_REQUIRED)
        check_text(text, process_id=document.process_id)
    if kind == Proposal.Kind.INSERT:
        new_kind = new_kind or Provision.Kind.PARAGRAPH
        parent = provision.parent if provision else None
        _check_placement(document, new_kind, Placement(parent, provision))
    if kind == Proposal.Kind.ADD_OPTION and provision is not None:
        _group_index(provision, group)
    if kind == Proposal.Kind.WITHDRAW_OPTION and provision is not None:
        if group is None or option is None:
            raise ValidationFailed(OPTION_INVALID.format(n="?"))
        found = _group_index(provision, group)
        if not 0 <= option < len(found[group].options):
            raise ValidationFailed(OPTION_INVALID.format(n=option + 1))
        if delegation.code not in found[group].options[option].sponsors:
            raise PermissionDenied(NOT_YOUR_OPTION)
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
        _event(
            document,
            kind="ProposalSubmitted",
            subject=f"proposal:{proposal.pk}",
            actor=actor,
            payload={
                "proposal": proposal.pk,
                "kind": kind,
                "delegation": delegation.code,
                "wid": proposal.provision_wid,
                "label": provision.label if provision else "",
            },
        )
    return proposal


def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    delegation = _require_sees(actor, proposal.document)
    if delegation.pk != proposal.delegation_id:
        raise PermissionDenied(NOT_YOUR_PROPOSAL)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.state != Proposal.State.PENDING:
            raise Conflict(NOT_PENDING)
        proposal.state = Proposal.State.WITHDRAWN
        proposal.decided_at = timezone.now()
        proposal.save()
        _event(
            proposal.document,
            kind="ProposalWithdrawn",
            subject=f"proposal:{proposal.pk}",
            actor=actor,
            payload={"proposal": proposal.pk, "delegation": delegation.code},
        )
    return proposal


def proposal_decide(
    *, actor: Any, proposal: Proposal, decision: str, reason: str = "", text: str | None = None
) -> Proposal:
    """The pen-holder incorporates (as proposed), merges (with ``text``) or declines."""
    document = proposal.document
    _require_pen(actor, document)
    reason = (reason or "").strip()
    states = {
        "incorporate": Proposal.State.INCORPORATED,
        "merge": Proposal.State.MERGED,
        "decline": Proposal.State.DECLINED,
    }
    if decision not in states:
        raise ValidationFailed(DECISION_INVALID)
    if decision in ("merge", "decline") and not reason:
        raise ValidationFailed(REASON_REQUIRED)
    wording = proposal.text
    if decision == "merge":
        wording = (text or "").strip()
        if not wording and proposal.kind != Proposal.Kind.DELETE:
            raise ValidationFailed(MERGE_TEXT_REQUIRED)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.state != Proposal.State.PENDING:
            raise Conflict(NOT_PENDING)
        if decision != "decline":
            _apply(actor, proposal, wording, merged=decision == "merge")
        proposal.state = states[decision]
        proposal.reason = reason
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        # Only these fields: applying a deletion has already nulled ``provision`` in the row.
        proposal.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        _event(
            document,
            kind="ProposalDecided",
            subject=f"proposal:{proposal.pk}",
            actor=actor,
            payload={
                "proposal": proposal.pk,
                "decision": proposal.state,
                "delegation": proposal.delegation.code,
                "wid": proposal.provision_wid,
                "reason": reason,
            },
        )
    return proposal


def _apply(actor: Any, proposal: Proposal, wording: str, *, merged: bool) -> None:
    provision = proposal.provision
    if proposal.kind != Proposal.Kind.INSERT and provision is None:
        raise Conflict("The provision this proposal was about no longer exists.")
    if proposal.kind == Proposal.Kind.INSERT:
        parent = provision.parent if provision else None
        provision_add(
            actor=actor,
            document=proposal.document,
            kind=proposal.new_kind or Provision.Kind.PARAGRAPH,
            text=wording,
            parent=parent,
            after=provision,
        )
    elif proposal.kind == Proposal.Kind.REPLACE:
        assert provision is not None
        provision_edit(actor=actor, provision=provision, text=wording)
    elif proposal.kind == Proposal.Kind.DELETE:
        assert provision is not None
        if merged and wording:
            provision_edit(actor=actor, provision=provision, text=wording)
        else:
            provision_delete(actor=actor, provision=provision)
    elif proposal.kind == Proposal.Kind.ADD_OPTION:
        assert provision is not None
        if merged:
            provision_edit(actor=actor, provision=provision, text=wording)
        else:
            _option_add(actor, provision, proposal.group, wording, [proposal.delegation.code])
    else:
        assert provision is not None and proposal.group is not None
        if merged:
            provision_edit(actor=actor, provision=provision, text=wording)
            return
        try:
            new_text = brackets.option_withdraw(
                provision.text, proposal.group, proposal.option or 0, proposal.delegation.code
            )
        except (IndexError, PermissionError) as error:
            raise Conflict("The option to withdraw is no longer where it was.") from error
        provision_edit(actor=actor, provision=provision, text=new_text)


# --- Positions and adoption --------------------------------------------------------------


def position_state(*, actor: Any, provision: Provision, stance: str, comment: str = "") -> Position:
    """A party states (or changes) its position on a provision's current wording."""
    delegation = _require_party(actor, provision.document)
    if stance not in Position.Stance.values:
        raise ValidationFailed(STANCE_INVALID)
    with transaction.atomic():
        document = _locked(provision.document)
        provision = Provision.objects.select_for_update().get(pk=provision.pk)
        position, _ = Position.objects.update_or_create(
            provision=provision,
            delegation=delegation,
            defaults={
                "stance": stance,
                "comment": (comment or "").strip(),
                "text_sha256": text_sha256(provision.text),
                "stated_by": actor,
            },
        )
        _derive_status(provision)
        _event(
            document,
            kind="PositionStated",
            subject=provision.subject,
            actor=actor,
            payload={
                "wid": provision.wid,
                "label": provision.label,
                "delegation": delegation.code,
                "stance": stance,
                "status": provision.status,
            },
        )
    return position


def _derive_status(provision: Provision) -> None:
    """Provisional agreement follows the parties' positions on the current wording."""
    current = text_sha256(provision.text)
    parties = set(party_codes(provision.document.process_id))
    stances = {
        p.delegation.code: p.stance
        for p in provision.positions.select_related("delegation")
        if p.text_sha256 == current
    }
    status = provision.status
    if parties and set(stances) >= parties and provision.brackets == 0:
        if all(stances[c] == Position.Stance.ACCEPT for c in parties):
            status = Provision.Status.AGREED
        elif all(
            stances[c] in (Position.Stance.ACCEPT, Position.Stance.AD_REFERENDUM) for c in parties
        ):
            status = Provision.Status.AGREED_AD_REF
        else:
            status = Provision.Status.CONVERGING
    elif status in (Provision.Status.AGREED, Provision.Status.AGREED_AD_REF):
        status = Provision.Status.CONVERGING
    if status != provision.status:
        provision.status = status
        provision.save(update_fields=["status", "updated_at"])


def adoption_blockers(document: Document, provisions: list[Provision] | None = None) -> list[str]:
    """Why ``document`` cannot be adopted yet (empty: it can). Nothing is agreed until
    everything is agreed: every party must accept every provision's current wording."""
    if provisions is None:
        provisions = tree_order(Provision.objects.filter(document=document))
    if not provisions:
        return ["the document has no provisions."]
    parties = party_codes(document.process_id)
    accepted: dict[int, set[str]] = {}
    shas = {p.pk: text_sha256(p.text) for p in provisions}
    for position in Position.objects.filter(provision__document=document).select_related(
        "delegation"
    ):
        if position.stance == Position.Stance.ACCEPT and position.text_sha256 == shas.get(
            position.provision_id
        ):
            accepted.setdefault(position.provision_id, set()).add(position.delegation.code)
    blockers = []
    for p in provisions:
        if p.brackets:
            blockers.append(f"{p.label} still has {p.brackets} bracket(s).")
        # A part or article with no wording of its own is a container: its heading
        # goes with the provisions under it.
        missing = [c for c in parties if c not in accepted.get(p.pk, set())] if p.text else []
        if missing:
            blockers.append(f"{p.label} is not accepted by {', '.join(missing)}.")
    return blockers


def document_adopt(*, actor: Any, document: Document) -> Document:
    """Adopt the whole text: every party accepts every provision. Freezes it for ever."""
    _require_pen(actor, document)
    with transaction.atomic():
        document = _locked(document)
        blockers = adoption_blockers(document)
        if blockers:
            more = f" (and {len(blockers) - 3} more)" if len(blockers) > 3 else ""
            raise Conflict(ADOPTION_REFUSED.format(reason=" ".join(blockers[:3]) + more))
        revision = _revision(document, actor=actor, note="Adopted text")
        document.status = Document.Status.AGREED
        document.adopted_at = timezone.now()
        document.adopted_by = actor
        document.save()
        _event(
            document,
            kind="DocumentAdopted",
            subject=document.subject,
            actor=actor,
            payload={"title": document.title, "revision": revision.number},
        )
    return document


# --- Revisions ---------------------------------------------------------------------------


def snapshot(document: Document) -> dict[str, Any]:
    """The provision tree as plain JSON, in document order (what a revision stores)."""
    provisions = tree_order(Provision.objects.filter(document=document))
    wid_of = {p.pk: p.wid for p in provisions}
    return {
        "title": document.title,
        "status": document.status,
        "provisions": [
            {
                "wid": p.wid,
                "parent": wid_of.get(p.parent_id) if p.parent_id else None,
                "kind": p.kind,
                "heading": p.heading,
                "text": p.text,
                "status": p.status,
                "eid": p.eid,
                "label": p.label,
                "num": p.num,
                "brackets": p.brackets,
                "spans": p.bracket_spans,
                "option_sets": p.option_sets,
            }
            for p in provisions
        ],
    }


def _revision(document: Document, *, actor: Any, note: str) -> Revision:
    data = snapshot(document)
    last = Revision.objects.filter(document=document).aggregate(m=Max("number"))["m"] or 0
    revision = Revision.objects.create(
        process_id=document.process_id,
        scope=document.scope,
        document=document,
        number=last + 1,
        snapshot=data,
        note=note,
        bracket_spans=sum(p["spans"] for p in data["provisions"]),
        option_sets=sum(p["option_sets"] for p in data["provisions"]),
        issued_by=actor,
        issued_at=timezone.now(),
    )
    _event(
        document,
        kind="RevisionIssued",
        subject=document.subject,
        actor=actor,
        payload={"revision": revision.number, "brackets": revision.brackets, "note": note},
    )
    return revision


def revision_issue(*, actor: Any, document: Document, note: str = "") -> Revision:
    """Issue the next numbered revision: an immutable snapshot of the text as it stands."""
    _require_pen(actor, document)
    with transaction.atomic():
        document = _locked(document)
        return _revision(document, actor=actor, note=(note or "").strip())


# --- Referral to the body above ----------------------------------------------------------


def referral_create(*, actor: Any, provision: Provision, note: str) -> Referral:
    """The pen-holder of a working group's text refers a contested provision upwards."""
    document = provision.document
    _require_pen(actor, document)
    body = document.body
    if body.reports_to_id is None:
        raise ValidationFailed(NO_REPORTS_TO.format(body=body.name))
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(NOTE_REQUIRED)
    to_body = body.reports_to
    assert to_body is not None
    with transaction.atomic():
        referral = Referral.objects.create(
            process_id=document.process_id,
            scope=access.body_scope(to_body.code),
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
            "referral": referral.pk,
            "wid": provision.wid,
            "label": provision.label,
            "from_body": body.code,
            "to_body": to_body.code,
            "note": note,
        }
        _event(
            document,
            kind="ProvisionReferred",
            subject=provision.subject,
            actor=actor,
            payload=payload,
        )
        _agenda_queue(referral, actor)
        _event(
            document,
            kind="ProvisionReferred",
            subject=f"referral:{referral.pk}",
            actor=actor,
            payload=payload,
            scope=referral.scope,
        )
    return referral


def _agenda_queue(referral: Referral, actor: Any) -> None:
    """Put the referral on the receiving body's next draft agenda (meetings decision
    0023), when the meetings app is installed; in the referral's transaction."""
    try:
        from accord.meetings.services import agenda_item_queue
    except ImportError:
        return
    agenda_item_queue(
        body=referral.to_body,
        title=f"Referred by {referral.from_body.code}: {referral.provision_label} "
        f"({referral.document.title})",
        subject=f"provision:{referral.provision_wid}",
        note=referral.note,
        actor=actor,
    )


def referral_decide(
    *, actor: Any, referral: Referral, decision: str, text: str | None = None
) -> Referral:
    """The receiving body's facilitators record its decision, optionally with the wording
    it settled on (which then replaces the provision's text)."""
    delegation = _delegation(actor)
    if not access.can_see(actor, process_id=referral.process_id, scope=referral.scope):
        raise NotFound(NO_SUCH_REFERRAL)
    if not delegation.is_facilitator:
        raise PermissionDenied(ONLY_RECEIVING_BODY.format(body=referral.to_body.name))
    decision = (decision or "").strip()
    if not decision:
        raise ValidationFailed(DECISION_REQUIRED)
    wording = (text or "").strip()
    document = referral.document
    if wording:
        check_text(wording, process_id=referral.process_id)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral.state != Referral.State.OPEN:
            raise Conflict(REFERRAL_DECIDED)
        if wording:
            if referral.provision_id is None:
                raise Conflict("The referred provision no longer exists.")
            locked = _locked(document)
            provision = Provision.objects.select_for_update().get(pk=referral.provision_id)
            provision.document = locked
            before = provision.brackets
            _set_text(provision, wording)
            provision.save()
            _event(
                locked,
                kind="ProvisionAmended",
                subject=provision.subject,
                actor=actor,
                payload={
                    "wid": provision.wid,
                    "label": provision.label,
                    "brackets_before": before,
                    "brackets": provision.brackets,
                    "by_decision_of": referral.to_body.code,
                },
            )
        referral.state = Referral.State.DECIDED
        referral.decision = decision
        referral.decided_text = wording
        referral.decided_by = actor
        referral.decided_at = timezone.now()
        referral.save()
        payload = {
            "referral": referral.pk,
            "wid": referral.provision_wid,
            "label": referral.provision_label,
            "to_body": referral.to_body.code,
            "decision": decision,
        }
        _event(
            document,
            kind="ReferralDecided",
            subject=f"provision:{referral.provision_wid}",
            actor=actor,
            payload=payload,
        )
        _event(
            document,
            kind="ReferralDecided",
            subject=f"referral:{referral.pk}",
            actor=actor,
            payload=payload,
            scope=referral.scope,
        )
    return referral


# --- Import ------------------------------------------------------------------------------


def document_import(
    *,
    actor: Any,
    body: Body,
    title: str,
    report: ImportReport,
    status: str = Document.Status.FACILITATORS_TEXT,
) -> Document:
    """Create a document from an import (``drafting.textformat``/``exports``); all or nothing.

    Every wording is checked first; the provisions are then written one tree level at a
    time with ``bulk_create`` (a parent's primary key exists before its children).
    """
    if report.errors:
        raise ValidationFailed("The import has errors: " + " ".join(report.errors[:5]))
    parties = set(party_codes(body.process_id))
    items = report.provisions
    counts: list[brackets.Counts] = []
    depth: list[int] = []
    for item in items:
        if item.kind not in numbering.KINDS:
            raise ValidationFailed(f"Line {item.line}: " + KIND_INVALID.format(kind=item.kind))
        if item.parent is not None and not 0 <= item.parent < len(depth):
            raise ValidationFailed(f"Line {item.line}: the provision has no valid parent.")
        parent_kind = items[item.parent].kind if item.parent is not None else None
        if parent_kind not in numbering.ALLOWED_PARENTS[item.kind]:
            raise ValidationFailed(
                f"Line {item.line}: "
                + PARENT_INVALID.format(kind=item.kind, parent=parent_kind or "the top level")
            )
        if len(item.text) > MAX_TEXT:
            raise ValidationFailed(f"Line {item.line}: {TEXT_TOO_LONG}")
        try:
            counts.append(brackets.count(item.text))
            unknown = brackets.sponsors(item.text) - parties
        except brackets.BracketError as error:
            raise ValidationFailed(
                f"Line {item.line}: "
                + BRACKETS_INVALID.format(reason=error.reason.lower(), position=error.position + 1)
            ) from error
        if unknown:
            raise ValidationFailed(
                f"Line {item.line}: "
                + SPONSORS_INVALID.format(
                    parties=", ".join(sorted(parties)), codes=", ".join(sorted(unknown))
                )
            )
        depth.append(depth[item.parent] + 1 if item.parent is not None else 0)
    with transaction.atomic():
        document = document_create(
            actor=actor, body=body, title=title or report.title or "Imported text", status=status
        )
        _require_pen(actor, document)
        orders: dict[int | None, int] = {}
        rows: list[Provision] = []
        wids = [new_wid() for _ in items]
        numbers = numbering.number(
            numbering.Node(
                wids[i], wids[item.parent] if item.parent is not None else None, item.kind
            )
            for i, item in enumerate(items)
        )
        for index, item in enumerate(items):
            order = orders.get(item.parent, 0)
            orders[item.parent] = order + 1
            number = numbers[wids[index]]
            rows.append(
                Provision(
                    document=document,
                    wid=wids[index],
                    eid=number.eid,
                    label=number.label,
                    num=number.num,
                    order=order,
                    kind=item.kind,
                    heading=item.heading[:300],
                    text=item.text,
                    status=item.status if item.status in Provision.Status.values else "open",
                    bracket_spans=counts[index].spans,
                    option_sets=counts[index].option_sets,
                )
            )
        for level in range(max(depth, default=-1) + 1):
            batch = []
            for index, item in enumerate(items):
                if depth[index] != level:
                    continue
                if item.parent is not None:
                    rows[index].parent = rows[item.parent]
                batch.append(rows[index])
            Provision.objects.bulk_create(batch, batch_size=500)
        _event(
            document,
            kind="DocumentImported",
            subject=document.subject,
            actor=actor,
            payload={"provisions": len(rows), "brackets": sum(c.total for c in counts)},
        )
    return document
