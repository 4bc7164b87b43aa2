from django.contrib import admin

from accord.admin_base import ScopedReadOnlyAdmin
from accord.notes.models import InternalNote


@admin.register(InternalNote)
class InternalNoteAdmin(ScopedReadOnlyAdmin):
    list_display = ["delegation", "subject", "author", "created_at"]
