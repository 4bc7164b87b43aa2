"""Search source: divergences, and the positions on them the searcher may read."""

from django.urls import reverse
from django.utils.translation import gettext

from accord.accounts.models import User
from accord.divergences.selectors import divergence_search
from accord.search_base import SearchHit, snippet


def search_hits(*, actor: User | None, query: str, limit: int) -> list[SearchHit]:
    hits = []
    for row in divergence_search(actor=actor, query=query, limit=limit):
        texts = [row.title, row.description, *(p.text for p in row.visible_positions)]
        text = next((t for t in texts if query.lower() in t.lower()), row.title)
        hits.append(
            SearchHit(
                gettext("divergence"),
                gettext("{code}: {title}").format(code=row.code, title=row.title),
                snippet(text, query),
                reverse("divergences:detail", args=[row.public_id]),
            )
        )
    return hits
