"""Search source: messages of the channels the searcher is a member of."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accord.accounts.models import User
from accord.channels.selectors import message_search
from accord.search_base import SearchHit, snippet


def search_hits(*, actor: User, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            _("channel message"),
            _("{channel} #{seq} {precedence} from {side}").format(
                channel=message.mechanism.code,
                seq=message.seq,
                precedence=message.precedence,
                side=message.from_delegation.code,
            ),
            snippet(message.text, query),
            reverse("channels:detail", args=[message.mechanism.code]) + f"#msg-{message.public_id}",
        )
        for message in message_search(actor=actor, query=query, limit=limit)
    ]
