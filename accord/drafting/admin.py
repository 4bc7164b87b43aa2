"""Read-only, scoped admin for the negotiating texts, addressed by public id.

A document's author is never listed here: for a non-paper it is hidden from the other
party, and the admin is no way around that (``selectors.document_author`` is the one
place that decides). Documents, proposals, revisions and referrals are found by their
``public_id`` in admin URLs, never by their primary key (decision 0051): a key's gaps
would tell a staff member of one working group that other groups' texts exist.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from accord.admin_base import ScopedReadOnlyAdmin
from accord.drafting.models import Document, Proposal, Referral, Revision


class _PublicIdChangeList(ChangeList):
    def url_for_result(self, result: Any) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(quote(str(result.public_id)),),
            current_app=self.model_admin.admin_site.name,
        )


class PublicIdAdmin(ScopedReadOnlyAdmin):
    """Rows listed and opened by ``public_id``; the change page links its history by it."""

    change_form_template = "admin/drafting/public_id_change_form.html"
    object_history_template = "admin/drafting/public_id_object_history.html"
    readonly_fields = ["public_id"]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _PublicIdChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        queryset = self.get_queryset(request)
        try:
            public_id = queryset.model._meta.get_field("public_id").to_python(object_id)
            return queryset.get(public_id=public_id)
        except (queryset.model.DoesNotExist, ValidationError, ValueError):
            return None


@admin.register(Document)
class DocumentAdmin(PublicIdAdmin):
    list_display = ["title", "body", "status", "scope", "created_at", "adopted_at"]
    exclude = ["author", "author_delegation"]


@admin.register(Proposal)
class ProposalAdmin(PublicIdAdmin):
    list_display = ["document", "delegation", "kind", "state", "proposed_at"]


@admin.register(Revision)
class RevisionAdmin(PublicIdAdmin):
    list_display = ["document", "number", "issued_at", "bracket_spans", "option_sets"]
    exclude = ["snapshot"]


@admin.register(Referral)
class ReferralAdmin(PublicIdAdmin):
    list_display = ["provision_label", "from_body", "to_body", "state", "referred_at"]
