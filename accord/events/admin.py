"""The event log in the admin: read-only, filtered by access, never by ``seq``.

An event's ``seq`` is global: the gaps between the numbers of the events an operator may
see would count the events they may not (the reason the feed's cursors are opaque).
Rows are listed with their opaque cursor (``events/cursor.py``) instead, are not linked,
and a change page is found only by that cursor.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accord.admin_base import ScopedReadOnlyAdmin
from accord.events import cursor as cursors
from accord.events.models import Event


@admin.register(Event)
class EventAdmin(ScopedReadOnlyAdmin):
    list_display = ["cursor", "occurred_at", "kind", "subject", "scope", "actor"]
    list_display_links = None
    list_filter = ["kind", "scope"]
    exclude = ["seq"]

    @admin.display(description=_("cursor"))
    def cursor(self, event: Event) -> str:
        return cursors.encode(event.seq)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        try:
            seq = cursors.decode(object_id)
        except cursors.BadCursor:
            return None
        return self.get_queryset(request).filter(seq=seq).first()
