"""The way into the analysis: fetch the text analysed, a party's own preferences, a
tabled package's provenance; say who may act.

The analysis is of one negotiating text, named by the document's public id and fetched
through ``drafting.access.document_access`` (what a user may read of the text). A party
states and shares its own preferences only; the facilitators alone read the frontier,
and only from the preferences the parties consented to share (decision 0086). A user who
may not read the frontier is answered as if it did not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.analysis.models import NonPaper, Preference
from accord.drafting import access as drafting_access
from accord.drafting.models import Document
from accord.errors import NotFound
from accord.public_ids import parse_public_id

if TYPE_CHECKING:
    from accord.accounts.models import User

ANALYSIS_NOT_FOUND = NotFound.case(
    "analysis.not_found", _("There is no analysis of this text for you.")
)
NON_PAPER_NOT_FOUND = NotFound.case("analysis_non_paper.not_found", _("There is no such package."))


def document_access(actor: User | None, public_id: Any, *, lock: bool = False) -> Document:
    """The text ``public_id`` that ``actor`` may read (drafting's way in)."""
    return drafting_access.document_access(actor, public_id, lock=lock)


def analysis_access(actor: User | None, public_id: Any) -> Document:
    """The text ``public_id`` whose frontier ``actor`` may read: its facilitators only;
    anyone else is answered as if there were none."""
    document = drafting_access.document_access(actor, public_id)
    if not may_analyse(actor, document):
        raise ANALYSIS_NOT_FOUND()
    return document


def preference_access(actor: User | None, document: Document) -> Preference | None:
    """``actor``'s delegation's own preferences on ``document`` (None if not stated);
    restricted like every read, so nobody else's row is ever returned."""
    delegation = access.delegation_of(actor)
    if delegation is None:
        return None
    rows = access.restrict(
        Preference.objects.filter(document=document, delegation=delegation), actor
    )
    return rows.select_related("delegation").first()


def non_paper_access(actor: User | None, public_id: Any) -> NonPaper:
    """The provenance ``public_id`` of a tabled package (facilitators only)."""
    rows = NonPaper.objects.select_related("source", "document")
    return access.visible_get(
        rows, actor, missing=NON_PAPER_NOT_FOUND, public_id=parse_public_id(public_id)
    )


def _reads(actor: User | None, document: Document) -> bool:
    return access.in_process(actor, document.process_id) and access.can_see(
        actor, process_id=document.process_id, scope=document.scope
    )


def may_state_preferences(actor: User | None, document: Document) -> bool:
    """A party that reads ``document`` states (and shares, and withdraws) its own
    preferences on it, until the text is adopted."""
    return (
        not document.frozen
        and access.is_party(actor, process_id=document.process_id)
        and _reads(actor, document)
    )


def may_share_preferences(actor: User | None, document: Document) -> bool:
    """Consent to share, and its withdrawal: the party's own, like stating them."""
    return may_state_preferences(actor, document)


def may_analyse(actor: User | None, document: Document) -> bool:
    """The facilitators who read ``document`` read its frontier."""
    return access.is_facilitator(actor, process_id=document.process_id) and _reads(actor, document)


def may_table_package(actor: User | None, document: Document) -> bool:
    """A facilitator who reads the frontier tables a package as a non-paper, while the
    text is open (drafting's ``document_create`` decides the rest)."""
    return not document.frozen and may_analyse(actor, document)


def may_open_analysis(actor: User | None) -> bool:
    """Parties (their own preferences) and facilitators (the frontier) use the analysis."""
    return access.is_party(actor) or access.is_facilitator(actor)
