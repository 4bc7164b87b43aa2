from django.contrib import admin

from accord.admin_base import ScopedReadOnlyAdmin
from accord.events.models import Event


@admin.register(Event)
class EventAdmin(ScopedReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "kind", "subject", "scope", "actor"]
    list_filter = ["kind", "scope"]
