"""Search source: bodies, mechanisms and milestones (the shared structure), by name,
text or code ("WG-NUC", "NUC-2", "NUC" for all of that group's milestones)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

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
        SearchHit(
            gettext("body"),
            f"{b.name} ({b.code})",
            snippet(b.mandate, query),
            reverse("process:body", args=[b.code]),
            subject=f"body:{b.code}",
        )
        for b in bodies.filter(
            Q(name__icontains=query) | Q(mandate__icontains=query) | Q(code__icontains=query)
        )[:limit]
    ]
    hits += [
        SearchHit(
            gettext("mechanism"),
            f"{m.name} ({m.code})",
            snippet(m.purpose, query),
            reverse("process:mechanism", args=[m.code]),
        )
        for m in selectors.mechanism_list(actor=actor).filter(
            Q(name__icontains=query) | Q(purpose__icontains=query) | Q(code__icontains=query)
        )[:limit]
    ]
    hits += [
        SearchHit(
            gettext("milestone"),
            m.code,
            m.title,
            reverse("process:body", args=[m.body.code]),
            subject=f"milestone:{m.code}",
        )
        for m in selectors.milestone_list(actor=actor).filter(
            Q(title__icontains=query) | Q(code__icontains=query)
        )[:limit]
    ]
    return hits
