"""Every write on channels, one module per aggregate: ``messages`` (send, translate),
``chain`` (append, sign, announce), ``attachments`` (checks), ``receipts`` (delivered,
read, acknowledged), ``duty`` (watches, topics), ``escalation`` and ``link_tests`` (the
sweeps), ``config`` (a channel's settings).

Each service checks permission through ``accord.channels.access``, validates, writes in
one transaction and appends its event(s) there. Channel events carry
``scope = mechanism:<code>``, so the live feed brings them to the channel's members only;
an escalation to a head of delegation goes to that delegation (``party:<code>``) and one
to the facilitators to ``facilitators``, both without the message text. When the charter
says the facilitators are informed, each message is also copied to them.
"""

from accord.channels.services.attachments import (
    ACCEPTED_TYPES,
    ATTACHMENT_BASE64_INVALID,
    ATTACHMENT_EMPTY,
    ATTACHMENT_EXTENSION_LIES,
    ATTACHMENT_NAME_INVALID,
    ATTACHMENT_TOO_LARGE,
    ATTACHMENT_TYPE_REFUSED,
    MAX_ATTACHMENTS,
    TOO_MANY_ATTACHMENTS,
    AttachmentUpload,
    CheckedAttachment,
    attachment_check,
    attachment_upload_from_base64,
    attachments_check,
)
from accord.channels.services.chain import ChainEntry, message_append, signing_key_ensure
from accord.channels.services.config import (
    CHANNEL_SETTINGS_INVALID,
    ChannelConfigInvalid,
    channel_settings,
)
from accord.channels.services.duty import (
    HANDOVER_NOT_ALLOWED,
    HANDOVER_OFFICER_INVALID,
    HANDOVER_SAME_PEOPLE,
    TOPIC_EXISTS,
    TOPIC_NOT_ALLOWED,
    TOPIC_TITLE_INVALID,
    duty_hand_over,
    topic_create,
)
from accord.channels.services.escalation import (
    message_escalate_rung,
    messages_escalate_unacknowledged,
)
from accord.channels.services.link_tests import link_test_send, link_tests_send_due
from accord.channels.services.messages import (
    CLIENT_ID_INVALID,
    CLIENT_ID_REUSED,
    LANGUAGE_INVALID,
    MAX_TEXT_CHARS,
    MESSAGE_NOT_ALLOWED,
    PRECEDENCE_INVALID,
    RECIPIENT_INVALID,
    RECIPIENT_NEEDED,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    TRANSLATION_EXISTS,
    TRANSLATION_INVALID,
    TRANSLATION_NOT_ALLOWED,
    URGENT_TOO_LONG,
    message_existing,
    message_send,
    translation_add,
)
from accord.channels.services.receipts import (
    ALREADY_ACKNOWLEDGED,
    MAX_RECEIPTS,
    NOT_DUTY_OFFICER,
    RECEIPT_STATE_INVALID,
    RECEIPT_STATES,
    RECEIPTS_BATCH_INVALID,
    message_acknowledge,
    receipts_record,
)

__all__ = [
    "ACCEPTED_TYPES",
    "ALREADY_ACKNOWLEDGED",
    "ATTACHMENT_BASE64_INVALID",
    "ATTACHMENT_EMPTY",
    "ATTACHMENT_EXTENSION_LIES",
    "ATTACHMENT_NAME_INVALID",
    "ATTACHMENT_TOO_LARGE",
    "ATTACHMENT_TYPE_REFUSED",
    "CHANNEL_SETTINGS_INVALID",
    "CLIENT_ID_INVALID",
    "CLIENT_ID_REUSED",
    "HANDOVER_NOT_ALLOWED",
    "HANDOVER_OFFICER_INVALID",
    "HANDOVER_SAME_PEOPLE",
    "LANGUAGE_INVALID",
    "MAX_ATTACHMENTS",
    "MAX_RECEIPTS",
    "MAX_TEXT_CHARS",
    "MESSAGE_NOT_ALLOWED",
    "NOT_DUTY_OFFICER",
    "PRECEDENCE_INVALID",
    "RECEIPTS_BATCH_INVALID",
    "RECEIPT_STATES",
    "RECEIPT_STATE_INVALID",
    "RECIPIENT_INVALID",
    "RECIPIENT_NEEDED",
    "TEXT_EMPTY",
    "TEXT_TOO_LONG",
    "TOO_MANY_ATTACHMENTS",
    "TOPIC_EXISTS",
    "TOPIC_NOT_ALLOWED",
    "TOPIC_TITLE_INVALID",
    "TRANSLATION_EXISTS",
    "TRANSLATION_INVALID",
    "TRANSLATION_NOT_ALLOWED",
    "URGENT_TOO_LONG",
    "AttachmentUpload",
    "ChainEntry",
    "ChannelConfigInvalid",
    "CheckedAttachment",
    "attachment_check",
    "attachment_upload_from_base64",
    "attachments_check",
    "channel_settings",
    "duty_hand_over",
    "link_test_send",
    "link_tests_send_due",
    "message_acknowledge",
    "message_append",
    "message_escalate_rung",
    "message_existing",
    "message_send",
    "messages_escalate_unacknowledged",
    "receipts_record",
    "signing_key_ensure",
    "topic_create",
    "translation_add",
]
