"""The channels in the admin: read-only, filtered by access, addressed by public id.

Messages and duty watches are found by their ``public_id`` in admin URLs, never by
their primary key (decision 0046): a primary key's gaps would tell a staff member of
one channel how much another channel carries.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accord.admin_base import PublicIdAdmin, ReadOnlyAdmin
from accord.channels.models import DutyWatch, Message, SigningKey


@admin.register(Message)
class MessageAdmin(PublicIdAdmin):
    list_display = [
        "mechanism",
        "seq",
        "precedence",
        "from_delegation",
        "sent_at",
        "acknowledged_at",
    ]
    # ``reply`` would render as a link to the other message by primary key.
    exclude = ["text", "reply"]
    readonly_fields = ["public_id", "in_reply_to"]

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, message: Message) -> str:
        return f"#{message.reply.seq} ({message.reply.public_id})" if message.reply else "—"


@admin.register(DutyWatch)
class DutyWatchAdmin(PublicIdAdmin):
    list_display = ["mechanism", "delegation", "officer", "backup", "started_at", "ended_at"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    """Public keys only: the encrypted private key is never shown."""

    list_display = ["delegation", "public_key", "created_at"]
    exclude = ["private_key_encrypted"]
