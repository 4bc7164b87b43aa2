"""Read-only, scoped admin for the negotiating texts. A document's author is never
listed here: for a non-paper it is hidden from the other party, and the admin is no way
around that (``selectors.document_author`` is the one place that decides)."""

from django.contrib import admin

from accord.admin_base import ScopedReadOnlyAdmin
from accord.drafting.models import Document, Proposal, Referral, Revision


@admin.register(Document)
class DocumentAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "body", "status", "scope", "created_at", "adopted_at"]
    exclude = ["author", "author_delegation"]


@admin.register(Proposal)
class ProposalAdmin(ScopedReadOnlyAdmin):
    list_display = ["document", "delegation", "kind", "state", "proposed_at"]


@admin.register(Revision)
class RevisionAdmin(ScopedReadOnlyAdmin):
    list_display = ["document", "number", "issued_at", "bracket_spans", "option_sets"]
    exclude = ["snapshot"]


@admin.register(Referral)
class ReferralAdmin(ScopedReadOnlyAdmin):
    list_display = ["provision_label", "from_body", "to_body", "state", "referred_at"]
