"""Search source: provisions and document titles of the texts the searcher may see."""

from django.urls import reverse

from accord.drafting.selectors import document_list, provision_search
from accord.search_base import SearchHit, snippet


def search_hits(*, actor: object, query: str, limit: int) -> list[SearchHit]:
    hits = [
        SearchHit(
            "negotiating text",
            d.title,
            d.get_status_display(),
            reverse("drafting:document", args=[d.pk]),
        )
        for d in document_list(actor=actor).filter(title__icontains=query)[:limit]
    ]
    hits += [
        SearchHit(
            "provision",
            f"{p.label} — {p.document.title}",
            snippet(p.text, query),
            reverse("drafting:document", args=[p.document_id]) + f"#{p.wid}",
        )
        for p in provision_search(actor=actor, query=query, limit=limit)
    ]
    return hits[:limit]
