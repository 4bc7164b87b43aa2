"""Writing delegation-internal notes."""

import uuid
from typing import Any

from django.db import transaction

from accord.accounts import access
from accord.errors import NotFound, PermissionDenied, ValidationFailed
from accord.events.services import event_append
from accord.notes.models import InternalNote
from accord.process.models import Body

NOTE_NEEDS_DELEGATION = "Only members of a delegation can keep internal notes."
NOTE_EMPTY = "A note needs some text."
NOTE_TOO_LONG = "A note can hold at most 20,000 characters."
NOTE_SUBJECT_INVALID = "The subject must look like 'kind:identifier', e.g. 'body:HLC'."
NOTE_NOT_FOUND = "There is no such note."
MAX_NOTE_CHARS = 20_000


def note_write(
    *, actor: Any, text: str, body: Body | None = None, subject: str | None = None
) -> InternalNote:
    """Record an internal note of ``actor``'s delegation on ``body`` and/or ``subject``.

    The note is visible to ``actor``'s delegation only; its event carries the same scope,
    so the live feed delivers it to that delegation and nobody else.
    """
    delegation = getattr(actor, "delegation", None)
    if delegation is None or not actor.is_active:
        raise PermissionDenied(NOTE_NEEDS_DELEGATION)
    text = text.strip()
    if not text:
        raise ValidationFailed(NOTE_EMPTY)
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationFailed(NOTE_TOO_LONG)
    if body is not None and body.process_id != delegation.process_id:
        raise NotFound(f"There is no body {body.code!r} in this process.")
    if subject is None:
        if body is None:
            raise ValidationFailed(NOTE_SUBJECT_INVALID)
        subject = f"body:{body.code}"
    kind, sep, ident = subject.partition(":")
    if not sep or not kind.isidentifier() or not ident or len(subject) > 200:
        raise ValidationFailed(NOTE_SUBJECT_INVALID)
    scope = access.party_scope(delegation.code)
    with transaction.atomic():
        note = InternalNote.objects.create(
            process_id=delegation.process_id,
            delegation=delegation,
            author=actor,
            body=body,
            subject=subject,
            scope=scope,
            text=text,
        )
        event_append(
            kind="InternalNoteWritten",
            subject=f"note:{note.pk}",
            scope=scope,
            payload={"about": subject, "text": text},
            actor=actor,
            process=delegation.process,
        )
    return note


def note_delete(*, actor: Any, note_id: uuid.UUID) -> None:
    """Delete a note of ``actor``'s own delegation (the event log keeps its history)."""
    with transaction.atomic():
        note = (
            access.restrict(InternalNote.objects.select_for_update(), actor)
            .filter(pk=note_id)
            .first()
        )
        if note is None:
            raise NotFound(NOTE_NOT_FOUND)
        event_append(
            kind="InternalNoteDeleted",
            subject=f"note:{note.pk}",
            scope=note.scope,
            payload={"about": note.subject},
            actor=actor,
            process=note.process,
        )
        note.delete()
