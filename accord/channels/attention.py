"""What the channels put on a person's desk: messages and link tests to acknowledge.

Read through ``selectors.messages_awaiting_acknowledgement``, which asks
``access.may_acknowledge_for_side``: a duty officer (on watch, backup, appointed) or the
head of the receiving side is asked; the sending side is not, and sees nothing of it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.attention import AttentionItem, AttentionKind, about_text, attention_register
from accord.channels.models import Message
from accord.channels.selectors import messages_awaiting_acknowledgement

MESSAGE_TO_ACKNOWLEDGE = AttentionKind(
    "channels.message_to_acknowledge", _("Messages to acknowledge"), order=10
)
LINK_TEST_TO_ANSWER = AttentionKind("channels.link_test_to_answer", _("Link tests to answer"), 20)


def _item(kind: AttentionKind, message: Message, sentence: str) -> AttentionItem:
    channel = message.mechanism
    url = reverse("channels:detail", args=[channel.code]) + f"#msg-{message.public_id}"
    return AttentionItem(
        kind=kind.code,
        sentence=sentence.format(side=message.from_delegation, channel=channel.name),
        url=url,
        subject=f"message:{message.public_id}",
        about=about_text(message.text),
        deadline=message.acknowledge_by,
        urgent=message.urgent,
        badges=(message.precedence, channel.code),
    )


def messages_to_acknowledge(actor: User) -> list[AttentionItem]:
    sentence = gettext("Acknowledge the message from {side} on {channel}")
    return [
        _item(MESSAGE_TO_ACKNOWLEDGE, m, sentence)
        for m in messages_awaiting_acknowledgement(actor=actor)
        if m.kind == Message.Kind.MESSAGE
    ]


def link_tests_to_answer(actor: User) -> list[AttentionItem]:
    sentence = gettext("Answer the link test from {side} on {channel}")
    return [
        _item(LINK_TEST_TO_ANSWER, m, sentence)
        for m in messages_awaiting_acknowledgement(actor=actor)
        if m.kind == Message.Kind.LINK_TEST
    ]


def register() -> None:
    attention_register(MESSAGE_TO_ACKNOWLEDGE, messages_to_acknowledge)
    attention_register(LINK_TEST_TO_ANSWER, link_tests_to_answer)
