from django.contrib import admin

from accord.security.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: security events are recorded, never edited."""

    list_display = ("at", "kind", "username", "address", "detail")
    list_filter = ("kind",)
    search_fields = ("username", "address")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
