"""The channels in the admin: read-only, filtered by access, addressed by public id.

Messages and duty watches are found by their ``public_id`` in admin URLs, never by
their primary key (decision 0046): a primary key's gaps would tell a staff member of
one channel how much another channel carries.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.admin_base import ReadOnlyAdmin, ScopedReadOnlyAdmin
from accord.channels.models import DutyWatch, Message, SigningKey


class _PublicIdChangeList(ChangeList):
    def url_for_result(self, result: Any) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(quote(str(result.public_id)),),
            current_app=self.model_admin.admin_site.name,
        )


class PublicIdAdmin(ScopedReadOnlyAdmin):
    """Rows listed and opened by ``public_id``; the change page links its history by it."""

    change_form_template = "admin/channels/public_id_change_form.html"
    object_history_template = "admin/channels/public_id_object_history.html"
    readonly_fields = ["public_id"]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return _PublicIdChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        queryset = self.get_queryset(request)
        try:
            public_id = queryset.model._meta.get_field("public_id").to_python(object_id)
            return queryset.get(public_id=public_id)
        except (queryset.model.DoesNotExist, ValidationError, ValueError):
            return None


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
