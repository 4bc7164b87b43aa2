"""What an agenda item may be about, as the agenda form offers it: texts, provisions and
divergences the user may see, found by title, words, label ("Article 4.2") or code
("D-1"), never typed as ``kind:id``.

Built on the drafting and divergences search sources, so it offers exactly what search
would show the user (their selectors apply the access policy); nothing else is listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from accord.accounts.models import User
from accord.divergences import search as divergences_search
from accord.divergences.selectors import divergence_list
from accord.drafting import search as drafting_search
from accord.drafting.selectors import document_list
from accord.meetings.services.agenda import SUBJECT_KINDS

MIN_QUERY_CHARS = 2


@dataclass(frozen=True)
class SubjectChoice:
    subject: str  # "divergence:<public id>", what the agenda item stores
    label: str


def subject_choices(*, actor: User, query: str = "", limit: int = 30) -> list[SubjectChoice]:
    """The subjects ``actor`` may pick: matches of ``query``, or (for a query too short
    to search) the texts and the unresolved divergences they see."""
    query = query.strip()
    if len(query) < MIN_QUERY_CHARS:
        documents = [SubjectChoice(d.subject, d.title) for d in document_list(actor=actor)[:limit]]
        divergences = [
            SubjectChoice(
                row.subject, gettext("{code}: {title}").format(code=row.code, title=row.title)
            )
            for row in divergence_list(actor=actor, status="unresolved")[:limit]
        ]
        return (documents + divergences)[:limit]
    hits = [
        *divergences_search.search_hits(actor=actor, query=query, limit=limit),
        *drafting_search.search_hits(actor=actor, query=query, limit=limit),
    ]
    choices: list[SubjectChoice] = []
    for hit in hits:
        if hit.subject.partition(":")[0] in SUBJECT_KINDS and hit.subject not in {
            c.subject for c in choices
        }:
            choices.append(SubjectChoice(hit.subject, hit.title))
    return choices[:limit]
