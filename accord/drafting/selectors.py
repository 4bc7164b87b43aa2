"""Every read of the negotiating texts, through ``accounts.access``.

Documents, proposals, revisions and referrals carry their own scope; provisions and
positions are read through their document's. A document the actor may not see answers
exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet, Sum

from accord.accounts import access
from accord.drafting import services
from accord.drafting.models import Document, Position, Proposal, Provision, Referral, Revision
from accord.errors import NotFound
from accord.events.models import Event
from accord.process.models import Delegation


def document_list(*, actor: Any, body_code: str | None = None) -> QuerySet[Document]:
    documents = access.restrict(Document.objects.all(), actor).select_related("body")
    if body_code is not None:
        documents = documents.filter(body__code=body_code)
    return documents.annotate(
        spans=Sum("provisions__bracket_spans"), sets=Sum("provisions__option_sets")
    )


def document_get(*, actor: Any, document_id: int) -> Document:
    document = (
        access.restrict(Document.objects.all(), actor)
        .select_related("body", "body__reports_to", "process")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(services.NO_SUCH_DOCUMENT)
    return document


def document_author(*, actor: Any, document: Document) -> Delegation | None:
    """The delegation that wrote ``document``, if ``actor`` may know it.

    Everyone who sees the document knows who wrote a facilitators' text or a proposal;
    a non-paper's author is known only to its own delegation and the facilitators.
    """
    author = document.author_delegation
    if author is None:
        return None
    if document.status != Document.Status.NON_PAPER:
        return author
    viewer = getattr(actor, "delegation", None)
    if viewer is None:
        return None
    if viewer.pk == author.pk or viewer.is_facilitator:
        return author
    return None


def _restricted_provisions(actor: Any) -> QuerySet[Provision]:
    return access.restrict(
        Provision.objects.all(),
        actor,
        process_field="document__process",
        scope_field="document__scope",
    )


def provision_list(*, actor: Any, document: Document) -> list[Provision]:
    """``document``'s provisions in document order (the actor must see the document)."""
    rows = _restricted_provisions(actor).filter(document=document)
    return services.tree_order(rows)


def provision_get(*, actor: Any, wid: str) -> Provision:
    provision = (
        _restricted_provisions(actor)
        .select_related("document", "document__body", "document__process", "parent")
        .filter(wid=wid)
        .first()
    )
    if provision is None:
        raise NotFound(services.NO_SUCH_PROVISION)
    return provision


def positions_by_provision(*, actor: Any, document: Document) -> dict[int, dict[str, Position]]:
    """{provision id: {party code: position}} for the positions on ``document``."""
    document_get(actor=actor, document_id=document.pk)
    table: dict[int, dict[str, Position]] = defaultdict(dict)
    for position in Position.objects.filter(provision__document=document).select_related(
        "delegation"
    ):
        table[position.provision_id][position.delegation.code] = position
    return table


def proposal_list(
    *, actor: Any, document: Document | None = None, state: str | None = None
) -> QuerySet[Proposal]:
    proposals = access.restrict(Proposal.objects.all(), actor).select_related(
        "delegation", "proposed_by", "decided_by", "provision", "document"
    )
    if document is not None:
        proposals = proposals.filter(document=document)
    if state is not None:
        proposals = proposals.filter(state=state)
    return proposals


def proposal_get(*, actor: Any, proposal_id: int) -> Proposal:
    proposal = proposal_list(actor=actor).filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(services.NO_SUCH_PROPOSAL)
    return proposal


def revision_list(*, actor: Any, document: Document) -> QuerySet[Revision]:
    return (
        access.restrict(Revision.objects.all(), actor)
        .filter(document=document)
        .defer("snapshot")
        .select_related("issued_by")
    )


def revision_get(*, actor: Any, document: Document, number: int) -> Revision:
    revision = (
        access.restrict(Revision.objects.all(), actor)
        .filter(document=document, number=number)
        .first()
    )
    if revision is None:
        raise NotFound(services.NO_SUCH_REVISION)
    return revision


def referral_list(
    *, actor: Any, to_body_code: str | None = None, document: Document | None = None
) -> QuerySet[Referral]:
    """Referrals the actor may see: those sent to a body they sit on, and those about a
    document they may read (the working group sees what it referred and the outcome)."""
    granted = access.clearance(actor)
    if granted.process_id is None:
        return Referral.objects.none()
    visible_documents = access.restrict(Document.objects.all(), actor).values("pk")
    referrals = Referral.objects.filter(process_id=granted.process_id).filter(
        Q(scope__in=granted.scopes) | Q(document__in=visible_documents)
    )
    if to_body_code is not None:
        referrals = referrals.filter(to_body__code=to_body_code)
    if document is not None:
        referrals = referrals.filter(document=document)
    return referrals.select_related("from_body", "to_body", "document", "referred_by")


def referral_get(*, actor: Any, referral_id: int) -> Referral:
    referral = referral_list(actor=actor).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(services.NO_SUCH_REFERRAL)
    return referral


def document_history(*, actor: Any, document: Document, limit: int = 200) -> list[Event]:
    """Events about ``document`` and its provisions that the actor may see, oldest first."""
    newest = (
        access.restrict(Event.objects.all(), actor)
        .filter(Q(subject=document.subject) | Q(payload__document=document.pk))
        .select_related("actor")
        .order_by("-seq")[:limit]
    )
    return list(reversed(newest))


def bracket_counts_by_body(*, actor: Any) -> dict[str, int]:
    """Open bracketed spans plus option sets per body code, over documents ``actor`` sees."""
    rows = (
        _restricted_provisions(actor)
        .values("document__body__code")
        .annotate(spans=Sum("bracket_spans"), sets=Sum("option_sets"))
    )
    counts: dict[str, int] = {}
    for row in rows:
        code = row["document__body__code"]
        counts[code] = counts.get(code, 0) + (row["spans"] or 0) + (row["sets"] or 0)
    return counts


def bracket_count_history(*, actor: Any) -> list[tuple[dt.date, str, int]]:
    """(date of each revision, body code, bracket count in that revision), oldest first,
    over revisions of documents ``actor`` may see."""
    rows = (
        access.restrict(Revision.objects.all(), actor)
        .order_by("issued_at", "pk")
        .values_list("issued_at", "document__body__code", "bracket_spans", "option_sets")
    )
    return [(issued.date(), code, spans + sets) for issued, code, spans, sets in rows]


def document_counts(*, actor: Any, document: Document) -> dict[str, int]:
    """Bracketed spans, option sets and provisions by status for one document."""
    rows = _restricted_provisions(actor).filter(document=document)
    totals = rows.aggregate(spans=Sum("bracket_spans"), sets=Sum("option_sets"))
    by_status = dict.fromkeys(Provision.Status.values, 0)
    for status in rows.values_list("status", flat=True):
        by_status[status] += 1
    spans, sets = totals["spans"] or 0, totals["sets"] or 0
    return {"spans": spans, "option_sets": sets, "total": spans + sets, **by_status}


def revision_series(*, actor: Any, document: Document) -> list[tuple[int, int, int]]:
    """(revision number, spans, option sets) for the chart of one document."""
    return list(
        revision_list(actor=actor, document=document).values_list(
            "number", "bracket_spans", "option_sets"
        )
    )


def sponsor_colours(*, actor: Any) -> dict[str, str]:
    granted = access.clearance(actor)
    if granted.process_id is None:
        return {}
    return dict(
        Delegation.objects.filter(
            process_id=granted.process_id, kind=Delegation.Kind.PARTY
        ).values_list("code", "colour")
    )


def party_list(*, actor: Any) -> list[Delegation]:
    granted = access.clearance(actor)
    if granted.process_id is None:
        return []
    return list(
        Delegation.objects.filter(process_id=granted.process_id, kind=Delegation.Kind.PARTY)
    )


def provision_search(*, actor: Any, query: str, limit: int = 50) -> QuerySet[Provision]:
    """Provisions of visible documents whose wording or heading contains ``query``."""
    return (
        _restricted_provisions(actor)
        .filter(Q(text__icontains=query) | Q(heading__icontains=query))
        .select_related("document")[:limit]
    )


def provision_by_label(*, actor: Any, document: Document, label: str) -> Provision:
    """The provision now labelled ``label`` ("Article 4.2") in ``document``."""
    provision = _restricted_provisions(actor).filter(document=document, label=label.strip()).first()
    if provision is None:
        raise NotFound(f"There is no {label.strip()!r} in this text.")
    return provision
