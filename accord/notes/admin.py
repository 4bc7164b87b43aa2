from django.contrib import admin

from accord.notes.models import InternalNote
from accord.web.admin_mixins import ScopedReadOnlyAdmin


@admin.register(InternalNote)
class InternalNoteAdmin(ScopedReadOnlyAdmin):
    list_display = ["delegation", "subject", "author", "created_at"]
