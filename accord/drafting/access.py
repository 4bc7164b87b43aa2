"""The way into the negotiating texts: fetch what a user named, and say who may act.

``<entity>_access(actor, public_id, *, lock=False)`` is the only way to fetch a
document, provision, proposal, revision or referral a user asked for by its public id
(documents, proposals, revisions and referrals by a random UUID, decision 0051;
provisions by their ``wid``). Missing, malformed and invisible ids raise the same
``NotFound`` case, so existence never leaks.

``may_<verb>(actor, thing) -> bool`` holds every "who may act" rule of the one-text
procedure: the pen-holder edits and decides; parties propose, state positions and
withdraw their own proposals and options; the receiving body's facilitators record its
decision on a referral. Services refuse where a ``may_`` says no, pages offer an action
only where it says yes. Who someone is (facilitator, party, which delegation) is asked of
``accounts.access``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.drafting import brackets
from accord.drafting.models import Document, Proposal, Provision, Referral, Revision
from accord.errors import NotFound
from accord.locking import lock_rows
from accord.process.models import Body, Delegation
from accord.public_ids import parse_public_id

if TYPE_CHECKING:
    from accord.accounts.models import User

DOCUMENT_NOT_FOUND = NotFound.case("document.not_found", _("There is no such document."))
PROVISION_NOT_FOUND = NotFound.case("provision.not_found", _("There is no such provision."))
PROPOSAL_NOT_FOUND = NotFound.case("proposal.not_found", _("There is no such proposal."))
REVISION_NOT_FOUND = NotFound.case("revision.not_found", _("There is no such revision."))
REFERRAL_NOT_FOUND = NotFound.case("provision_referral.not_found", _("There is no such referral."))


# --- Fetching what a user named ------------------------------------------------------------


def document_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Document:
    """The document ``public_id`` that ``actor`` may see (locked with ``lock``)."""
    rows = Document.objects.select_related("body", "body__reports_to", "process")
    return access.visible_get(
        rows, actor, missing=DOCUMENT_NOT_FOUND, lock=lock, public_id=parse_public_id(public_id)
    )


def provisions_visible(actor: User | None) -> QuerySet[Provision]:
    """Provisions of the documents ``actor`` may see (provisions carry their document's
    scope)."""
    return access.restrict(
        Provision.objects.all(),
        actor,
        process_field="document__process",
        scope_field="document__scope",
    )


def provision_access(actor: User | None, wid: Any, *, lock: bool = False) -> Provision:
    """The provision ``wid`` (its public id) of a document ``actor`` may see."""
    rows = Provision.objects.select_related(
        "document", "document__body", "document__body__reports_to", "document__process", "parent"
    )
    return access.visible_get(
        rows,
        actor,
        missing=PROVISION_NOT_FOUND,
        lock=lock,
        process_field="document__process",
        scope_field="document__scope",
        wid=str(wid) if wid else None,
    )


def proposal_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Proposal:
    """The proposal ``public_id`` that ``actor`` may see."""
    rows = Proposal.objects.select_related(
        "delegation", "document", "document__body", "document__process", "provision"
    )
    return access.visible_get(
        rows, actor, missing=PROPOSAL_NOT_FOUND, lock=lock, public_id=parse_public_id(public_id)
    )


def revision_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Revision:
    """The revision ``public_id`` that ``actor`` may see."""
    rows = Revision.objects.select_related("document", "document__body")
    return access.visible_get(
        rows, actor, missing=REVISION_NOT_FOUND, lock=lock, public_id=parse_public_id(public_id)
    )


def referrals_visible(actor: User | None) -> QuerySet[Referral]:
    """Referrals ``actor`` may see: those sent to a body they sit on, and those about a
    document they may read (the working group sees what it referred and the outcome)."""
    granted = access.clearance(actor)
    if granted.process_id is None:
        return Referral.objects.none()
    visible_documents = access.restrict(Document.objects.all(), actor).values("pk")
    return Referral.objects.filter(process_id=granted.process_id).filter(
        Q(scope__in=granted.scopes) | Q(document__in=visible_documents)
    )


def referral_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Referral:
    """The referral ``public_id`` that ``actor`` may see (see ``referrals_visible``)."""
    key = parse_public_id(public_id)
    if key is None:
        raise REFERRAL_NOT_FOUND()
    rows = referrals_visible(actor).select_related(
        "from_body", "to_body", "document", "document__process", "provision"
    )
    if lock:
        rows = lock_rows(rows)
    referral = rows.filter(public_id=key).first()
    if referral is None:
        raise REFERRAL_NOT_FOUND()
    return referral


# --- Who holds the pen, who the parties are ------------------------------------------------


def pen_holder_codes(document: Document, *, known: dict[int, list[str]] | None = None) -> list[str]:
    """The delegations that hold ``document``'s pen: those it names, else every
    facilitator delegation of its process (read once per process when a list passes
    the same ``known`` for each of its documents)."""
    if document.pen_holders:
        return list(document.pen_holders)
    if known is not None and document.process_id in known:
        return list(known[document.process_id])
    codes = list(
        Delegation.objects.filter(
            process_id=document.process_id, kind=Delegation.Kind.FACILITATOR
        ).values_list("code", flat=True)
    )
    if known is not None:
        known[document.process_id] = codes
    return codes


def party_codes(process_id: int) -> list[str]:
    """The codes of the parties' delegations in ``process_id``."""
    return list(
        Delegation.objects.filter(process_id=process_id, kind=Delegation.Kind.PARTY).values_list(
            "code", flat=True
        )
    )


def _sees(actor: User | None, document: Document) -> bool:
    return access.in_process(actor, document.process_id) and access.can_see(
        actor, process_id=document.process_id, scope=document.scope
    )


# --- Who may act -----------------------------------------------------------------------------


def may_create_document(actor: User | None, body: Body, status: str) -> bool:
    """Members of ``body`` start its texts; a party may start only a non-paper; no one
    starts an agreed text (a text becomes agreed by adoption)."""
    if status == Document.Status.AGREED or not access.in_process(actor, body.process_id):
        return False
    if not access.can_see(actor, process_id=body.process_id, scope=access.body_scope(body.code)):
        return False
    return status == Document.Status.NON_PAPER or not access.is_party(actor)


def may_start_document(actor: User | None, status: str) -> bool:
    """May ``actor`` start a text of ``status`` in at least one body (what the "Start a
    text" form offers)? A member of a body may; a party only a non-paper; no one an
    agreed text (a text becomes agreed by adoption)."""
    if status not in Document.Status.values or status == Document.Status.AGREED:
        return False
    granted = access.clearance(actor)
    sits_in_a_body = any(scope.startswith(f"{access.BODY}:") for scope in granted.scopes)
    if granted.process_id is None or not sits_in_a_body:
        return False
    return status == Document.Status.NON_PAPER or not access.is_party(actor)


def may_hold_pen(actor: User | None, document: Document) -> bool:
    """May ``actor`` change ``document``'s text (edit, resolve, decide proposals, issue
    revisions)? Its pen-holders may, until it is adopted."""
    delegation = access.delegation_of(actor)
    return (
        delegation is not None
        and not document.frozen
        and _sees(actor, document)
        and delegation.code in pen_holder_codes(document)
    )


def may_adopt(actor: User | None, document: Document) -> bool:
    """The pen-holder adopts the text (once everything is agreed)."""
    return may_hold_pen(actor, document)


def may_take_part(actor: User | None, document: Document) -> bool:
    """Parties who see ``document`` propose changes and state positions, until adoption."""
    return (
        not document.frozen
        and access.is_party(actor, process_id=document.process_id)
        and _sees(actor, document)
    )


def may_propose(actor: User | None, document: Document) -> bool:
    """A party proposes changes to a text it sees."""
    return may_take_part(actor, document)


def may_state_position(actor: User | None, document: Document) -> bool:
    """A party states its position on a provision of a text it sees."""
    return may_take_part(actor, document)


def may_withdraw_option(actor: User | None, provision: Provision, group: int, option: int) -> bool:
    """A party may propose withdrawing only an option it sponsors."""
    delegation = access.delegation_of(actor)
    if delegation is None or not may_propose(actor, provision.document):
        return False
    try:
        found = list(brackets.groups(brackets.parse(provision.text)))
        return delegation.code in found[group].options[option].sponsors
    except (brackets.BracketError, IndexError):
        return False


def may_withdraw_proposal(actor: User | None, proposal: Proposal) -> bool:
    """Only the delegation that made a proposal withdraws it."""
    delegation = access.delegation_of(actor)
    return (
        delegation is not None
        and delegation.pk == proposal.delegation_id
        and _sees(actor, proposal.document)
    )


def may_decide_proposal(actor: User | None, proposal: Proposal) -> bool:
    """The pen-holder incorporates, merges or declines a proposal."""
    return may_hold_pen(actor, proposal.document)


def may_refer(actor: User | None, document: Document) -> bool:
    """The pen-holder of a text whose body reports to another refers provisions upwards."""
    return document.body.reports_to_id is not None and may_hold_pen(actor, document)


def may_decide_referral(actor: User | None, referral: Referral) -> bool:
    """The facilitators who see a referral record the receiving body's decision."""
    return access.is_facilitator(actor, process_id=referral.process_id) and access.can_see(
        actor, process_id=referral.process_id, scope=referral.scope
    )


def may_translate(actor: User | None, document: Document) -> bool:
    """The pen-holder keeps the text's language versions (adds one, translates its
    provisions), as it keeps the original (decision 0163)."""
    return may_hold_pen(actor, document)
