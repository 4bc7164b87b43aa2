from django.contrib import admin

from accord.events.models import Event
from accord.web.admin_mixins import ScopedReadOnlyAdmin


@admin.register(Event)
class EventAdmin(ScopedReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "kind", "subject", "scope", "actor"]
    list_filter = ["kind", "scope"]
