from django.contrib import admin

from accord.accounts.models import ApiToken, Appointment, User
from accord.admin_base import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "display_name", "delegation", "is_active", "is_staff"]
    list_filter = ["delegation", "is_active"]
    exclude = ["password"]


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "body", "mechanism"]
    list_filter = ["role", "body", "mechanism"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "prefix", "created_at", "revoked_at"]
    exclude = ["key_sha256"]
