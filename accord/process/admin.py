from django.contrib import admin

from accord.admin_base import ReadOnlyAdmin
from accord.process.models import Body, Delegation, Mechanism, Milestone, Process


@admin.register(Process)
class ProcessAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "roadmap_starts_on", "roadmap_length_days", "loaded_at"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "process"]
    list_filter = ["kind", "process"]


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "reports_to", "process"]


@admin.register(Mechanism)
class MechanismAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "process"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "body", "due_on", "status"]
    list_filter = ["status", "body"]
