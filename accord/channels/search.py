"""Search source: messages of the channels the searcher is a member of."""

from django.urls import reverse

from accord.channels.selectors import message_search
from accord.search_base import SearchHit, snippet


def search_hits(*, actor: object, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            "channel message",
            f"{message.mechanism.code} #{message.seq} {message.precedence} "
            f"from {message.from_delegation.code}",
            snippet(message.text, query),
            reverse("channels:detail", args=[message.mechanism.code]) + f"#msg-{message.public_id}",
        )
        for message in message_search(actor=actor, query=query, limit=limit)
    ]
