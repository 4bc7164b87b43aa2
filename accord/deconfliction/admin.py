from django.contrib import admin

from accord.admin_base import ScopedReadOnlyAdmin
from accord.deconfliction.models import Notification, Organisation, ViolationReport


@admin.register(Organisation)
class OrganisationAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "registered_at"]


@admin.register(Notification)
class NotificationAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "kind", "status", "submitted_at"]


@admin.register(ViolationReport)
class ViolationReportAdmin(ScopedReadOnlyAdmin):
    list_display = ["public_id", "delegation", "status", "reported_at"]
