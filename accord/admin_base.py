"""Admin rules shared by every app: read-only, and content filtered by the access policy.

Writes go through services (so every change is an event); the admin is for looking.
Content with a visibility scope is shown only as far as ``accounts.access`` allows the
signed-in operator to see it, so the admin is no way around need-to-know.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

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
