"""Search source: commitments and disputes, by their code ("C-4", "DR-1") first, then
by words of their title and description; read through the app's selectors, so only
what the searcher may read (every commitment and dispute is shared; a confidential
verification report is not searched)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from accord.accounts.models import User
from accord.compliance import selectors
from accord.search_base import SearchHit, numbered, snippet


def search_hits(*, actor: User | None, query: str, limit: int) -> list[SearchHit]:
    words = Q(title__icontains=query) | Q(description__icontains=query)
    commitments = selectors.commitment_list(actor=actor)
    disputes = selectors.dispute_list(actor=actor)
    # A code names one row (numbered() reads the whole query: "DR-1" is no "C-…").
    by_code = []
    number = numbered(query, "C")
    if number is not None:
        by_code += list(commitments.filter(number=number)[:1])
    number = numbered(query, "DR")
    if number is not None:
        by_code += list(disputes.filter(number=number)[:1])
    rows = by_code + [
        row
        for row in [*commitments.filter(words)[:limit], *disputes.filter(words)[:limit]]
        if row not in by_code
    ]
    hits = []
    for row in rows[:limit]:
        is_dispute = row.subject.startswith("dispute:")
        text = next(
            (t for t in (row.title, row.description) if query.lower() in t.lower()), row.title
        )
        hits.append(
            SearchHit(
                gettext("dispute") if is_dispute else gettext("commitment"),
                gettext("{code}: {title}").format(code=row.code, title=row.title),
                snippet(text, query),
                reverse(
                    "compliance:dispute" if is_dispute else "compliance:commitment",
                    args=[row.public_id],
                ),
                subject=row.subject,
            )
        )
    return hits
