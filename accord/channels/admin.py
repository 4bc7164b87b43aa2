from django.contrib import admin

from accord.channels.models import DutyWatch, Message, SigningKey
from accord.web.admin_mixins import ReadOnlyAdmin, ScopedReadOnlyAdmin


@admin.register(Message)
class MessageAdmin(ScopedReadOnlyAdmin):
    list_display = [
        "mechanism",
        "seq",
        "precedence",
        "from_delegation",
        "sent_at",
        "acknowledged_at",
    ]
    exclude = ["text"]


@admin.register(DutyWatch)
class DutyWatchAdmin(ScopedReadOnlyAdmin):
    list_display = ["mechanism", "delegation", "officer", "backup", "started_at", "ended_at"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    """Public keys only: the encrypted private key is never shown."""

    list_display = ["delegation", "public_key", "created_at"]
    exclude = ["private_key_encrypted"]
