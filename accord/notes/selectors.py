"""Reading internal notes: only ever through ``access.restrict``."""

from django.db.models import QuerySet

from accord.accounts import access
from accord.accounts.models import User
from accord.notes.models import InternalNote


def note_list(
    *, actor: User | None, subject: str | None = None, body_code: str | None = None
) -> QuerySet[InternalNote]:
    notes = access.restrict(InternalNote.objects.all(), actor).select_related(
        "author", "body", "delegation"
    )
    if subject is not None:
        notes = notes.filter(subject=subject)
    if body_code is not None:
        notes = notes.filter(body__code=body_code)
    return notes


def note_search(*, actor: User | None, query: str, limit: int = 50) -> QuerySet[InternalNote]:
    """Notes ``actor`` may see whose text contains ``query`` (case-insensitive)."""
    return note_list(actor=actor).filter(text__icontains=query)[:limit]


# A panel (a body's page) shows the newest notes; the notes page has the rest, by page.
PANEL_SIZE = 20


def note_panel(
    *, actor: User | None, subject: str | None = None, body_code: str | None = None
) -> list[InternalNote]:
    """The newest ``PANEL_SIZE`` notes ``actor`` may see on a body or a subject."""
    return list(note_list(actor=actor, subject=subject, body_code=body_code)[:PANEL_SIZE])
