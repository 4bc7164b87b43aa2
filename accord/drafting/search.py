"""Search source: provisions and document titles of the texts the searcher may see.

A provision is also found by its label ("Article 4.2", "PP3", "Part II"), alone or with
words of its document's title ("Article 4.2 nuclear annex", "Article 4.2 of the annex").
A provision's snippet is its wording as a reader sees it (``brackets.readable``), never
the raw sponsor markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext

from accord.drafting import brackets
from accord.drafting.access import provisions_visible
from accord.drafting.selectors import document_list, provision_search
from accord.search_base import SearchHit, snippet

if TYPE_CHECKING:
    from accord.accounts.models import User
    from accord.drafting.models import Provision

# The labels ``drafting.numbering`` gives (an article's paragraph is "Article 4.2").
LABEL = re.compile(
    r"""(?P<label>PP\s?\d+|Part\s+[IVXLC]+|Art(?:icle|\.)?\s*\d+(?:\.\d+)?(?:\([a-z]+\))?
    |Paragraph\s+\d+(?:\([a-z]+\))?)""",
    re.IGNORECASE | re.VERBOSE,
)
CONNECTIVES = re.compile(r"^(?:of|in)\s+(?:the\s+)?|\s+(?:of|in)(?:\s+the)?$", re.IGNORECASE)


def label_query(query: str) -> tuple[str, str] | None:
    """(the label as ``numbering`` writes it, the words left for the document's title)
    when ``query`` names a provision by its label; else None."""
    found = LABEL.search(query)
    if found is None:
        return None
    label = re.sub(r"\s+", " ", found.group("label")).strip()
    label = re.sub(r"^art(?:icle|\.)?\s*", "Article ", label, flags=re.IGNORECASE)
    label = re.sub(r"^pp\s?", "PP", label, flags=re.IGNORECASE)
    label = re.sub(r"^part\s+", "Part ", label, flags=re.IGNORECASE)
    label = re.sub(r"^paragraph\s+", "Paragraph ", label, flags=re.IGNORECASE)
    if label.startswith("Part "):
        label = "Part " + label[5:].upper()
    rest = (query[: found.start()] + " " + query[found.end() :]).strip()
    return label, CONNECTIVES.sub("", rest).strip()


def _provision_hit(p: Provision, query: str) -> SearchHit:
    return SearchHit(
        gettext("provision"),
        f"{p.label} — {p.document.title}",
        snippet(brackets.readable(p.text), query),
        reverse("drafting:document", args=[p.document.public_id]) + f"#{p.wid}",
        subject=f"provision:{p.wid}",
    )


def search_hits(*, actor: User | None, query: str, limit: int) -> list[SearchHit]:
    hits = [
        SearchHit(
            gettext("negotiating text"),
            d.title,
            d.get_status_display(),
            reverse("drafting:document", args=[d.public_id]),
            subject=f"document:{d.public_id}",
        )
        for d in document_list(actor=actor).filter(title__icontains=query)[:limit]
    ]
    labelled = label_query(query)
    by_label: list[Provision] = []
    if labelled is not None:
        label, title = labelled
        rows = provisions_visible(actor).filter(label__iexact=label).select_related("document")
        if title:
            rows = rows.filter(document__title__icontains=title)
        by_label = list(rows.order_by("document__title")[:limit])
    hits += [_provision_hit(p, query) for p in by_label]
    hits += [
        _provision_hit(p, query)
        for p in provision_search(actor=actor, query=query, limit=limit)
        if p not in by_label
    ]
    return hits[:limit]
