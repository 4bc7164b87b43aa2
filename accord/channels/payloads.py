"""What is said about a message outside the server, and what of it is signed.

``signed_fields`` is what a side signs (decision 0041: never changed, or every stored
signature fails). ``message_payload`` is what the live feed and the API say about a
message to its channel's members. Ids are public ids (UUIDs), never primary keys
(decision 0046).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.channels.models import Message


def signed_fields(message: Message, attachments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "channel": message.mechanism.code,
        "seq": message.seq,
        "kind": message.kind,
        "from_side": message.from_delegation.code,
        "to_side": message.to_delegation.code,
        "sender": message.sender.username if message.sender else None,
        "sent_at": message.sent_at.astimezone(dt.UTC).isoformat(),
        "precedence": message.precedence,
        "language": message.language,
        "topic": message.topic.title if message.topic else None,
        "text": message.text,
        "attachments": attachments,
        "client_id": message.client_id,
        "prev_hash": message.prev_hash,
    }


def message_payload(message: Message) -> dict[str, Any]:
    """What the live feed and the API say about a message (its members only): one
    serialisation, so a client reads a feed frame and an API answer alike (the API adds
    receipts, escalations, signature and translations: ``api.message_out``).

    The sides are ``from_side``/``to_side`` and the sender is a username (null for a
    link test), as in the signed fields and the transcript; ``sender_name`` is how pages
    show the sender. ``kind`` comes before ``client_id`` (the hotline bench matches
    frames by that order). Reads nothing beyond the message, its channel, sides,
    sender, topic, reply and attachments: a new message's are known (sending is the
    hot path)."""
    return {
        "id": str(message.public_id),
        "channel": message.mechanism.code,
        "seq": message.seq,
        "kind": message.kind,
        "client_id": message.client_id,
        "from_side": message.from_delegation.code,
        "to_side": message.to_delegation.code,
        "sender": message.sender.username if message.sender else None,
        "sender_name": str(message.sender) if message.sender else None,
        "precedence": message.precedence,
        "language": message.language,
        "topic": message.topic.title if message.topic else None,
        "topic_id": str(message.topic.public_id) if message.topic else None,
        "text": message.text,
        "sent_at": message.sent_at,
        "acknowledge_by": message.acknowledge_by,
        "state": message.state,
        "reply_to": str(message.reply.public_id) if message.reply else None,
        "attachments": [
            {
                "id": str(a.public_id),
                "filename": a.filename,
                "size": a.size,
                "content_type": a.content_type,
            }
            for a in message.attachments.all()
        ],
    }
