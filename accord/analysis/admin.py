"""The analysis in the admin: read-only, filtered by access, addressed by public id.

A party's preferences (``party:<code>``) are listed to that party only, the shared
copies and the tabled packages' provenance (``facilitators``) to the facilitators only:
the admin applies ``accounts.access.restrict`` like every read.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.admin_base import PublicIdAdmin
from accord.admin_base import shown as _shown
from accord.analysis.models import NonPaper, Preference, SharedPreference


class _NoKeyLinksAdmin(PublicIdAdmin):
    """Related rows shown as text, never as links naming another row by its key."""

    process_shown = _shown("process", empty="—")
    document_shown = _shown("document", empty="—")
    source_shown = _shown("source", empty="—")
    delegation_shown = _shown("delegation", empty="—")
    updated_by_shown = _shown("updated_by", empty="—")
    created_by_shown = _shown("created_by", empty="—")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.is_relation]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        related = [f.name for f in self.model._meta.fields if f.is_relation]
        return ["public_id", *(f"{name}_shown" for name in related)]


@admin.register(Preference)
class PreferenceAdmin(_NoKeyLinksAdmin):
    list_display = ["document_shown", "delegation_shown", "consented_at", "updated_at"]


@admin.register(SharedPreference)
class SharedPreferenceAdmin(_NoKeyLinksAdmin):
    list_display = ["document_shown", "delegation_shown", "shared_at"]


@admin.register(NonPaper)
class NonPaperAdmin(_NoKeyLinksAdmin):
    list_display = ["source_shown", "document_shown", "created_at"]
