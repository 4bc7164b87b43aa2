"""Admin rules shared by every app: read-only, content filtered by the access policy,
rows addressed by public id.

Writes go through services (so every change is an event); the admin is for looking.
Content with a visibility scope is shown only as far as ``accounts.access`` allows the
signed-in operator to see it, so the admin is no way around need-to-know. Rows that have
a ``public_id`` are listed, opened and linked by it, never by primary key (decisions
0046, 0051, 0062): a key's gaps would tell a staff member how many rows they may not see
lie between the ones they may.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from accord.accounts import access


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ScopedReadOnlyAdmin(ReadOnlyAdmin):
    """For models with ``process`` and ``scope`` fields."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return access.restrict(super().get_queryset(request), request.user)


class _PublicIdChangeList(ChangeList):
    def url_for_result(self, result: Any) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(quote(str(result.public_id)),),
            current_app=self.model_admin.admin_site.name,
        )


class PublicIdAdmin(ScopedReadOnlyAdmin):
    """Rows listed and opened by ``public_id``; the change page links its history by it.

    The two templates live in ``accord/web/templates/admin/``.
    """

    change_form_template = "admin/public_id_change_form.html"
    object_history_template = "admin/public_id_object_history.html"
    readonly_fields: Any = ["public_id"]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _PublicIdChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        queryset = self.get_queryset(request)
        try:
            public_id = queryset.model._meta.get_field("public_id").to_python(object_id)
            return queryset.get(public_id=public_id)
        except (queryset.model.DoesNotExist, ValidationError, ValueError):
            return None


def shown(attribute: str, description: Any = None, empty: str = "") -> Any:
    """A read-only column showing ``attribute`` (a related row, or a dotted path through
    related rows) as text, never as a link by primary key."""

    @admin.display(description=description or attribute.replace("_", " "))
    def show(self: Any, obj: Any) -> str:
        value = obj
        for name in attribute.split("."):
            value = getattr(value, name, None)
        return empty if value is None else str(value)

    return show
