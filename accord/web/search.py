"""Search across what a user may see: bodies, mechanisms, milestones, internal notes.

Each source is read through its app's selectors, so search can only ever find what the
access policy already lets the user read.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from accord.errors import NotFound
from accord.notes.selectors import note_search
from accord.process import selectors as process_selectors

MIN_QUERY_CHARS = 2
MAX_HITS_PER_SOURCE = 50


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    snippet: str
    url: str


def _snippet(text: str, query: str, width: int = 80) -> str:
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: 2 * width]
    start = max(0, at - width)
    return ("…" if start else "") + text[start : at + len(query) + width]


def search(*, actor: object, query: str) -> list[SearchHit]:
    query = query.strip()
    if len(query) < MIN_QUERY_CHARS:
        return []
    try:
        bodies = process_selectors.body_list(actor=actor)
    except NotFound:
        return []
    hits: list[SearchHit] = []
    for body in bodies.filter(
        Q(name__icontains=query) | Q(mandate__icontains=query) | Q(code__icontains=query)
    )[:MAX_HITS_PER_SOURCE]:
        url = reverse("process:body", args=[body.code])
        hits.append(SearchHit("body", body.name, _snippet(body.mandate, query), url))
    for mechanism in process_selectors.mechanism_list(actor=actor).filter(
        Q(name__icontains=query) | Q(purpose__icontains=query)
    )[:MAX_HITS_PER_SOURCE]:
        url = reverse("process:mechanism", args=[mechanism.code])
        hits.append(SearchHit("mechanism", mechanism.name, _snippet(mechanism.purpose, query), url))
    for milestone in process_selectors.milestone_list(actor=actor).filter(title__icontains=query)[
        :MAX_HITS_PER_SOURCE
    ]:
        url = reverse("process:body", args=[milestone.body.code])
        hits.append(SearchHit("milestone", milestone.code, milestone.title, url))
    for note in note_search(actor=actor, query=query, limit=MAX_HITS_PER_SOURCE):
        url = reverse("process:body", args=[note.body.code]) if note.body else reverse("notes:list")
        hits.append(
            SearchHit(
                "internal note", f"Internal note on {note.subject}", _snippet(note.text, query), url
            )
        )
    return hits
