"""Read-only, scoped admin for the negotiating texts, addressed by public id.

A document's author is never listed here: for a non-paper it is hidden from the other
party, and the admin is no way around that (``selectors.document_author`` is the one
place that decides). Documents, proposals, revisions and referrals are found by their
``public_id`` in admin URLs, never by their primary key (decision 0051): a key's gaps
would tell a staff member of one working group that other groups' texts exist.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accord.admin_base import PublicIdAdmin
from accord.admin_base import shown as _shown
from accord.drafting.models import Document, Proposal, Referral, Revision


@admin.register(Document)
class DocumentAdmin(PublicIdAdmin):
    list_display = ["title", "body", "status", "scope", "created_at", "adopted_at"]
    fields = readonly_fields = [
        "public_id",
        "title",
        "body_code",
        "scope",
        "status",
        "pen_holders",
        "created_at",
        "updated_at",
        "adopted_at",
    ]
    body_code = _shown("body.code", _("body"))


@admin.register(Proposal)
class ProposalAdmin(PublicIdAdmin):
    list_display = ["document", "delegation", "kind", "state", "proposed_at"]
    fields = readonly_fields = [
        "public_id",
        "document_title",
        "provision_wid",
        "kind",
        "text",
        "new_kind",
        "group",
        "option",
        "justification",
        "delegation_code",
        "scope",
        "state",
        "reason",
        "proposed_at",
        "decided_at",
    ]
    document_title = _shown("document.title", _("document"))
    delegation_code = _shown("delegation.code", _("delegation"))


@admin.register(Revision)
class RevisionAdmin(PublicIdAdmin):
    list_display = ["document", "number", "issued_at", "bracket_spans", "option_sets"]
    fields = readonly_fields = [
        "public_id",
        "document_title",
        "number",
        "note",
        "bracket_spans",
        "option_sets",
        "scope",
        "issued_at",
    ]
    document_title = _shown("document.title", _("document"))


@admin.register(Referral)
class ReferralAdmin(PublicIdAdmin):
    list_display = ["provision_label", "from_body", "to_body", "state", "referred_at"]
    fields = readonly_fields = [
        "public_id",
        "document_title",
        "provision_wid",
        "provision_label",
        "text_as_referred",
        "from_body_code",
        "to_body_code",
        "note",
        "scope",
        "state",
        "decision",
        "decided_text",
        "referred_at",
        "decided_at",
    ]
    document_title = _shown("document.title", _("document"))
    from_body_code = _shown("from_body.code", _("from body"))
    to_body_code = _shown("to_body.code", _("to body"))
