"""Search source: bodies, mechanisms and milestones (the shared structure)."""

from django.db.models import Q
from django.urls import reverse

from accord.accounts.models import User
from accord.errors import NotFound
from accord.process import selectors
from accord.search_base import SearchHit, snippet


def search_hits(*, actor: User, query: str, limit: int) -> list[SearchHit]:
    try:
        bodies = selectors.body_list(actor=actor)
    except NotFound:
        return []
    hits = [
        SearchHit("body", b.name, snippet(b.mandate, query), reverse("process:body", args=[b.code]))
        for b in bodies.filter(
            Q(name__icontains=query) | Q(mandate__icontains=query) | Q(code__icontains=query)
        )[:limit]
    ]
    hits += [
        SearchHit(
            "mechanism",
            m.name,
            snippet(m.purpose, query),
            reverse("process:mechanism", args=[m.code]),
        )
        for m in selectors.mechanism_list(actor=actor).filter(
            Q(name__icontains=query) | Q(purpose__icontains=query)
        )[:limit]
    ]
    hits += [
        SearchHit("milestone", m.code, m.title, reverse("process:body", args=[m.body.code]))
        for m in selectors.milestone_list(actor=actor).filter(title__icontains=query)[:limit]
    ]
    return hits
