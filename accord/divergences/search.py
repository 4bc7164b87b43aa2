"""Search source: divergences, and the positions on them the searcher may read."""

from django.urls import reverse
from django.utils.translation import gettext

from accord.accounts.models import User
from accord.divergences.selectors import divergence_list, divergence_search
from accord.search_base import SearchHit, numbered, snippet


def search_hits(*, actor: User | None, query: str, limit: int) -> list[SearchHit]:
    hits = []
    rows = divergence_search(actor=actor, query=query, limit=limit)
    number = numbered(query, "D")
    if number is not None:
        # "D-1": the divergence of that number, first (decision 0062).
        named = list(divergence_list(actor=actor).filter(number=number)[:1])
        rows = named + [row for row in rows if row not in named]
    for row in rows:
        texts = [row.title, row.description, *(p.text for p in row.visible_positions)]
        text = next((t for t in texts if query.lower() in t.lower()), row.title)
        hits.append(
            SearchHit(
                gettext("divergence"),
                gettext("{code}: {title}").format(code=row.code, title=row.title),
                snippet(text, query),
                reverse("divergences:detail", args=[row.public_id]),
                subject=f"divergence:{row.public_id}",
            )
        )
    return hits
