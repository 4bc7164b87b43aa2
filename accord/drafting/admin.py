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
from django.utils.translation import gettext_lazy as _

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


def _shown(attribute: str, description: str) -> Any:
    """A read-only column showing ``attribute`` (a related row) as text, never as a link
    by primary key."""

    @admin.display(description=description)
    def shown(self: Any, obj: Any) -> str:
        value = obj
        for name in attribute.split("."):
            value = getattr(value, name, None)
        return "" if value is None else str(value)

    return shown


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
