"""The divergence register in the admin: read-only, filtered by access, addressed by
public id.

Rows are listed, opened and linked by ``public_id``, never by primary key (decisions
0046, 0062): the gaps between the keys of the positions an Iran staff member may see
would count the US internal positions between them.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from accord.admin_base import ScopedReadOnlyAdmin
from accord.divergences.models import BridgingProposal, Divergence, Position, Referral


class _PublicIdChangeList(ChangeList):
    def url_for_result(self, result: Any) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(quote(str(result.public_id)),),
            current_app=self.model_admin.admin_site.name,
        )


class _PublicIdAdmin(ScopedReadOnlyAdmin):
    """Rows listed and opened by ``public_id``; the change page links its history by it."""

    change_form_template = "admin/divergences/public_id_change_form.html"
    object_history_template = "admin/divergences/public_id_object_history.html"
    readonly_fields: list[str] = ["public_id"]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _PublicIdChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        queryset = self.get_queryset(request)
        try:
            public_id = queryset.model._meta.get_field("public_id").to_python(object_id)
            return queryset.get(public_id=public_id)
        except (queryset.model.DoesNotExist, ValidationError, ValueError):
            return None


def _shown(name: str) -> Any:
    """A read-only column showing the related row ``name`` as text, not as a link by key."""

    @admin.display(description=name.replace("_", " "))
    def show(self: Any, row: Any) -> str:
        value = getattr(row, name)
        return str(value) if value is not None else "—"

    return show


class _NoKeyLinksAdmin(_PublicIdAdmin):
    """Related rows (process, body, delegation, people, the divergence) shown as text: a
    read-only foreign key would render as a link naming the other row by its key."""

    process_shown = _shown("process")
    body_shown = _shown("body")
    delegation_shown = _shown("delegation")
    author_shown = _shown("author")
    created_by_shown = _shown("created_by")
    by_shown = _shown("by")
    divergence_shown = _shown("divergence")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.is_relation]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        related = [f.name for f in self.model._meta.fields if f.is_relation]
        return ["public_id", *(f"{name}_shown" for name in related)]


@admin.register(Divergence)
class DivergenceAdmin(_NoKeyLinksAdmin):
    list_display = ["number", "title", "body", "status", "rung", "rung_deadline"]


@admin.register(Position)
class PositionAdmin(_NoKeyLinksAdmin):
    list_display = ["divergence_shown", "delegation", "scope", "updated_at"]


@admin.register(BridgingProposal)
class BridgingProposalAdmin(_NoKeyLinksAdmin):
    list_display = ["divergence_shown", "created_at"]


@admin.register(Referral)
class ReferralAdmin(_NoKeyLinksAdmin):
    list_display = ["divergence_shown", "from_rung", "to_rung", "automatic", "at"]
