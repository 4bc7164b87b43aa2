"""Search source: the searcher's own delegation's internal notes."""

from django.urls import reverse
from django.utils.translation import gettext

from accord.accounts.models import User
from accord.notes.selectors import note_search
from accord.search_base import SearchHit, snippet


def search_hits(*, actor: User | None, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            gettext("internal note"),
            gettext("Internal note on {subject}").format(
                subject=note.body.name if note.body else note.subject
            ),
            snippet(note.text, query),
            reverse("process:body", args=[note.body.code]) if note.body else reverse("notes:list"),
        )
        for note in note_search(actor=actor, query=query, limit=limit)
    ]
