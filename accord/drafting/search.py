"""Search source: provisions and document titles of the texts the searcher may see.

A provision's snippet is its wording as a reader sees it (``brackets.readable``), never
the raw sponsor markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext

from accord.drafting import brackets
from accord.drafting.selectors import document_list, provision_search
from accord.search_base import SearchHit, snippet

if TYPE_CHECKING:
    from accord.accounts.models import User


def search_hits(*, actor: User | None, query: str, limit: int) -> list[SearchHit]:
    hits = [
        SearchHit(
            gettext("negotiating text"),
            d.title,
            d.get_status_display(),
            reverse("drafting:document", args=[d.public_id]),
        )
        for d in document_list(actor=actor).filter(title__icontains=query)[:limit]
    ]
    hits += [
        SearchHit(
            gettext("provision"),
            f"{p.label} — {p.document.title}",
            snippet(brackets.readable(p.text), query),
            reverse("drafting:document", args=[p.document.public_id]) + f"#{p.wid}",
        )
        for p in provision_search(actor=actor, query=query, limit=limit)
    ]
    return hits[:limit]
