"""Every read of the negotiating texts, through ``accounts.access``.

Documents, proposals, revisions and referrals carry their own scope; provisions and
positions are read through their document's. A document the actor may not see answers
exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.drafting.access import (
    DOCUMENT_NOT_FOUND,
    REVISION_NOT_FOUND,
    party_codes,
    pen_holder_codes,
    provisions_visible,
    referrals_visible,
)
from accord.drafting.models import Document, Position, Proposal, Provision, Referral, Revision
from accord.drafting.tree import text_sha256, tree_order
from accord.errors import NotFound
from accord.events.models import Event
from accord.process.models import Delegation

if TYPE_CHECKING:
    from accord.accounts.models import User

NO_SUCH_LABEL = NotFound.case("provision.label_not_found", _("There is no {label} in this text."))


def document_list(*, actor: User | None, body_code: str | None = None) -> QuerySet[Document]:
    documents = access.restrict(Document.objects.all(), actor).select_related(
        "body", "author_delegation"
    )
    if body_code is not None:
        documents = documents.filter(body__code=body_code)
    return documents.annotate(
        spans=Sum("provisions__bracket_spans"), sets=Sum("provisions__option_sets")
    )


def document_author(*, actor: User | None, document: Document) -> Delegation | None:
    """The delegation that wrote ``document``, if ``actor`` may know it.

    Everyone who sees the document knows who wrote a facilitators' text or a proposal;
    a non-paper's author is known only to its own delegation and the facilitators.
    """
    author = document.author_delegation
    if author is None:
        return None
    if document.status != Document.Status.NON_PAPER:
        return author
    viewer = access.delegation_of(actor)
    if viewer is None:
        return None
    if viewer.pk == author.pk or access.is_facilitator(actor):
        return author
    return None


def provision_list(*, actor: User | None, document: Document) -> list[Provision]:
    """``document``'s provisions in document order (the actor must see the document)."""
    rows = provisions_visible(actor).filter(document=document)
    return tree_order(rows)


def positions_by_provision(
    *, actor: User | None, document: Document
) -> dict[int, dict[str, Position]]:
    """{provision id: {party code: position}} for the positions on ``document``."""
    _visible(actor, document)
    table: dict[int, dict[str, Position]] = defaultdict(dict)
    for position in Position.objects.filter(provision__document=document).select_related(
        "delegation"
    ):
        table[position.provision_id][position.delegation.code] = position
    return table


def proposal_list(
    *, actor: User | None, document: Document | None = None, state: str | None = None
) -> QuerySet[Proposal]:
    proposals = access.restrict(Proposal.objects.all(), actor).select_related(
        "delegation", "proposed_by", "decided_by", "provision", "document"
    )
    if document is not None:
        proposals = proposals.filter(document=document)
    if state is not None:
        proposals = proposals.filter(state=state)
    return proposals


def revision_list(*, actor: User | None, document: Document) -> QuerySet[Revision]:
    return (
        access.restrict(Revision.objects.all(), actor)
        .filter(document=document)
        .defer("snapshot")
        .select_related("issued_by")
    )


def revision_get(*, actor: User | None, document: Document, number: int) -> Revision:
    revision = (
        access.restrict(Revision.objects.all(), actor)
        .filter(document=document, number=number)
        .first()
    )
    if revision is None:
        raise REVISION_NOT_FOUND()
    return revision


def referral_list(
    *, actor: User | None, to_body_code: str | None = None, document: Document | None = None
) -> QuerySet[Referral]:
    """Referrals the actor may see: those sent to a body they sit on, and those about a
    document they may read (the working group sees what it referred and the outcome)."""
    referrals = referrals_visible(actor)
    if to_body_code is not None:
        referrals = referrals.filter(to_body__code=to_body_code)
    if document is not None:
        referrals = referrals.filter(document=document)
    return referrals.select_related("from_body", "to_body", "document", "referred_by")


def document_history(*, actor: User | None, document: Document, limit: int = 200) -> list[Event]:
    """Events about ``document`` and its provisions that the actor may see, oldest first."""
    newest = (
        access.restrict(Event.objects.all(), actor)
        .filter(Q(subject=document.subject) | Q(payload__document=str(document.public_id)))
        .select_related("actor")
        .order_by("-seq")[:limit]
    )
    return list(reversed(newest))


def bracket_counts_by_body(*, actor: User | None) -> dict[str, int]:
    """Open bracketed spans plus option sets per body code, over documents ``actor`` sees."""
    rows = (
        provisions_visible(actor)
        .values("document__body__code")
        .annotate(spans=Sum("bracket_spans"), sets=Sum("option_sets"))
    )
    counts: dict[str, int] = {}
    for row in rows:
        code = row["document__body__code"]
        counts[code] = counts.get(code, 0) + (row["spans"] or 0) + (row["sets"] or 0)
    return counts


def bracket_count_history(*, actor: User | None) -> list[tuple[dt.date, str, int]]:
    """(date of each revision, body code, bracket count in that revision), oldest first,
    over revisions of documents ``actor`` may see."""
    rows = (
        access.restrict(Revision.objects.all(), actor)
        .order_by("issued_at", "pk")
        .values_list("issued_at", "document__body__code", "bracket_spans", "option_sets")
    )
    return [(issued.date(), code, spans + sets) for issued, code, spans, sets in rows]


def document_counts(*, actor: User | None, document: Document) -> dict[str, int]:
    """Bracketed spans, option sets and provisions by status for one document."""
    rows = provisions_visible(actor).filter(document=document)
    totals = rows.aggregate(spans=Sum("bracket_spans"), sets=Sum("option_sets"))
    by_status = dict.fromkeys(Provision.Status.values, 0)
    for status in rows.values_list("status", flat=True):
        by_status[status] += 1
    spans, sets = totals["spans"] or 0, totals["sets"] or 0
    return {"spans": spans, "option_sets": sets, "total": spans + sets, **by_status}


def revision_series(*, actor: User | None, document: Document) -> list[tuple[int, int, int]]:
    """(revision number, spans, option sets) for the chart of one document."""
    return list(
        revision_list(actor=actor, document=document).values_list(
            "number", "bracket_spans", "option_sets"
        )
    )


def sponsor_colours(*, actor: User | None) -> dict[str, str]:
    granted = access.clearance(actor)
    if granted.process_id is None:
        return {}
    return dict(
        Delegation.objects.filter(
            process_id=granted.process_id, kind=Delegation.Kind.PARTY
        ).values_list("code", "colour")
    )


def party_list(*, actor: User | None) -> list[Delegation]:
    granted = access.clearance(actor)
    if granted.process_id is None:
        return []
    return list(
        Delegation.objects.filter(process_id=granted.process_id, kind=Delegation.Kind.PARTY)
    )


def pen_holder_names(*, actor: User | None, document: Document) -> list[str]:
    """The names of the delegations holding ``document``'s pen (its short names), in the
    order ``access.pen_holder_codes`` gives them, for a page to show."""
    codes = pen_holder_codes(document)
    granted = access.clearance(actor)
    if granted.process_id is None:
        return []
    names = {
        d.code: str(d)
        for d in Delegation.objects.filter(process_id=granted.process_id, code__in=codes)
    }
    return [names.get(code, code) for code in codes]


def provision_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[Provision]:
    """Provisions of visible documents whose wording or heading contains ``query``."""
    return (
        provisions_visible(actor)
        .filter(Q(text__icontains=query) | Q(heading__icontains=query))
        .select_related("document")[:limit]
    )


def provision_by_label(*, actor: User | None, document: Document, label: str) -> Provision:
    """The provision now labelled ``label`` ("Article 4.2") in ``document``."""
    provision = provisions_visible(actor).filter(document=document, label=label.strip()).first()
    if provision is None:
        raise NO_SUCH_LABEL(label=repr(label.strip()))
    return provision


def _visible(actor: User | None, document: Document) -> None:
    if not access.can_see(actor, process_id=document.process_id, scope=document.scope):
        raise DOCUMENT_NOT_FOUND()


def document_snapshot(document: Document) -> dict[str, Any]:
    """The provision tree as plain JSON, in document order (what a revision stores).

    For a document the caller already fetched through ``access``."""
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


def adoption_blockers(document: Document, provisions: list[Provision] | None = None) -> list[str]:
    """Why ``document`` cannot be adopted yet (empty: it can). Nothing is agreed until
    everything is agreed: every party must accept every provision's current wording."""
    if provisions is None:
        provisions = tree_order(Provision.objects.filter(document=document))
    if not provisions:
        return [gettext("the document has no provisions.")]
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
    # Translated once, not once per provision (a treaty has thousands).
    still_bracketed: dict[int, str] = {}  # by count: each plural form translated once
    not_accepted = gettext("{label} is not accepted by {parties}.")
    blockers = []
    for p in provisions:
        if p.brackets:
            if p.brackets not in still_bracketed:
                still_bracketed[p.brackets] = ngettext(
                    "{label} still has {n} bracket.", "{label} still has {n} brackets.", p.brackets
                )
            blockers.append(still_bracketed[p.brackets].format(label=p.label, n=p.brackets))
        # A part or article with no wording of its own is a container: its heading
        # goes with the provisions under it.
        missing = [c for c in parties if c not in accepted.get(p.pk, set())] if p.text else []
        if missing:
            blockers.append(not_accepted.format(label=p.label, parties=", ".join(missing)))
    return blockers


def provisions_awaiting_positions(
    *, actor: User | None, documents: list[Document]
) -> dict[int, list[Provision]]:
    """``provisions_awaiting_position`` for several documents at once (the desk), by
    document id, in two queries however many documents there are."""
    delegation = access.delegation_of(actor)
    if delegation is None:
        return {}
    ids = [d.pk for d in documents if access.can_see(actor, process_id=d.process_id, scope=d.scope)]
    if not ids:
        return {}
    stated = dict(
        Position.objects.filter(provision__document_id__in=ids, delegation=delegation).values_list(
            "provision_id", "text_sha256"
        )
    )
    rows: dict[int, list[Provision]] = {}
    for provision in provisions_visible(actor).filter(document_id__in=ids):
        rows.setdefault(provision.document_id, []).append(provision)
    return {
        document_id: [
            p for p in tree_order(found) if p.text and stated.get(p.pk) != text_sha256(p.text)
        ]
        for document_id, found in rows.items()
    }


def provisions_awaiting_position(*, actor: User | None, document: Document) -> list[Provision]:
    """The provisions of ``document`` (with wording of their own) on whose current wording
    ``actor``'s delegation has stated no position, in document order. Nothing for a
    document ``actor`` may not see, nor for someone of no delegation."""
    delegation = access.delegation_of(actor)
    if delegation is None or not access.can_see(
        actor, process_id=document.process_id, scope=document.scope
    ):
        return []
    stated = dict(
        Position.objects.filter(provision__document=document, delegation=delegation).values_list(
            "provision_id", "text_sha256"
        )
    )
    return [
        p
        for p in provision_list(actor=actor, document=document)
        if p.text and stated.get(p.pk) != text_sha256(p.text)
    ]
