from django.contrib import admin

from accord.admin_base import ReadOnlyAdmin, ScopedReadOnlyAdmin
from accord.meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    CaucusNote,
    Decision,
    Minutes,
    Round,
    Session,
)


@admin.register(Round)
class RoundAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "title", "venue", "starts_on", "ends_on"]


@admin.register(Session)
class SessionAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "kind", "body", "starts_at", "status"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "session", "status", "subject"]


@admin.register(Minutes)
class MinutesAdmin(ScopedReadOnlyAdmin):
    list_display = ["session", "status", "revision"]


@admin.register(Decision)
class DecisionAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "minutes"]


@admin.register(ActionItem)
class ActionItemAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "owner", "due_on", "status"]


@admin.register(CaucusNote)
class CaucusNoteAdmin(ScopedReadOnlyAdmin):
    list_display = ["session", "kind", "title", "author", "created_at"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Feeds hold only digests; operators see that a feed exists, never its URL."""

    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
