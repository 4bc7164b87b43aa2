"""Incidents in the admin: read-only, filtered by access, addressed by public id.

Related rows are left out of the forms (a read-only foreign key renders as a link naming
the other row by its key, decisions 0046, 0062).
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.admin_base import PublicIdAdmin
from accord.incidents.models import Incident, IncidentStep, VesselAffiliation, VesselAnnotation


class _NoKeyLinksAdmin(PublicIdAdmin):
    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.get_fields() if f.is_relation]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["public_id"]


@admin.register(Incident)
class IncidentAdmin(_NoKeyLinksAdmin):
    list_display = ["code", "category", "step", "reported_at", "due_at"]
    list_filter = ["category", "step"]


@admin.register(IncidentStep)
class IncidentStepAdmin(_NoKeyLinksAdmin):
    list_display = ["step", "at", "missed", "scope"]


@admin.register(VesselAffiliation)
class VesselAffiliationAdmin(_NoKeyLinksAdmin):
    list_display = ["affiliation", "scope", "set_at"]


@admin.register(VesselAnnotation)
class VesselAnnotationAdmin(_NoKeyLinksAdmin):
    list_display = ["scope", "written_at", "shared_at"]
