"""The maritime picture in the admin: read-only, filtered by access, addressed by
public id (decisions 0046, 0062)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.admin_base import PublicIdAdmin
from accord.admin_base import shown as _shown
from accord.maritime.models import Encounter, Vessel, VesselAlert


class _NoKeyLinksAdmin(PublicIdAdmin):
    """Related rows shown as text, never as links by primary key."""

    process_shown = _shown("process", empty="—")
    mechanism_shown = _shown("mechanism", empty="—")
    vessel_shown = _shown("vessel", empty="—")
    vessel_a_shown = _shown("vessel_a", empty="—")
    vessel_b_shown = _shown("vessel_b", empty="—")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.is_relation]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        related = [f.name for f in self.model._meta.fields if f.is_relation]
        return ["public_id", *(f"{name}_shown" for name in related)]


@admin.register(Vessel)
class VesselAdmin(_NoKeyLinksAdmin):
    list_display = ["mmsi", "name", "flag", "ship_type", "mechanism_shown", "last_seen"]
    search_fields = ["=mmsi", "name", "call_sign"]


@admin.register(Encounter)
class EncounterAdmin(_NoKeyLinksAdmin):
    list_display = ["rule", "status", "vessel_a_shown", "vessel_b_shown", "cpa_nm", "cpa_at"]
    list_filter = ["status", "rule"]


@admin.register(VesselAlert)
class VesselAlertAdmin(_NoKeyLinksAdmin):
    list_display = ["kind", "zone", "vessel_shown", "started_at", "ended_at"]
    list_filter = ["kind"]
