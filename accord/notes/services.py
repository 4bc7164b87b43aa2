"""Writing delegation-internal notes: write, edit, delete, each with its event.

Every note and every event about it carries its delegation's scope (``party:<code>``),
so the one access filter keeps both from everyone else, on every route.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.accounts.models import User
from accord.errors import NotFound, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, event_append
from accord.notes import access
from accord.notes.access import NOTE_NOT_FOUND
from accord.notes.models import InternalNote
from accord.process.models import Body

MAX_NOTE_CHARS = 20_000

NOTE_NEEDS_DELEGATION = PermissionDenied.case(
    "note.needs_delegation", _("Only members of a delegation can keep internal notes.")
)
NOTE_NOT_YOURS = PermissionDenied.case(
    "note.not_yours", _("Only the delegation that keeps a note can change or delete it.")
)
NOTE_EMPTY = ValidationFailed.case("note.empty", _("A note needs some text."))
NOTE_TOO_LONG = ValidationFailed.case(
    "note.too_long", _("A note can hold at most 20,000 characters.")
)
NOTE_SUBJECT_INVALID = ValidationFailed.case(
    "note.subject_invalid",
    _("The subject must look like 'kind:identifier', e.g. 'body:HLC'."),
)
NOTE_BODY_NOT_FOUND = NotFound.case(
    "note.body_not_found", _("There is no body {code} in this process.")
)


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise NOTE_EMPTY()
    if len(text) > MAX_NOTE_CHARS:
        raise NOTE_TOO_LONG()
    return text


def note_write(
    *, actor: User, text: str, body_code: str | None = None, subject: str | None = None
) -> InternalNote:
    """Record an internal note of ``actor``'s delegation, filed under the body
    ``body_code`` and/or about ``subject`` (``kind:identifier``; by default the body).

    The note is visible to ``actor``'s delegation only; its event carries the same scope,
    so the live feed delivers it to that delegation and nobody else.
    """
    delegation = accounts_access.delegation_of(actor)
    if delegation is None:
        raise NOTE_NEEDS_DELEGATION()
    body = None
    if body_code:
        body = Body.objects.filter(process_id=delegation.process_id, code=body_code).first()
        if body is None:
            raise NOTE_BODY_NOT_FOUND(code=body_code)
    if not access.may_write(actor, body):
        raise NOTE_NEEDS_DELEGATION()
    text = _text(text)
    if subject is None:
        if body is None:
            raise NOTE_SUBJECT_INVALID()
        subject = f"body:{body.code}"
    kind, sep, ident = subject.partition(":")
    if not sep or not kind.isidentifier() or not ident or len(subject) > 200:
        raise NOTE_SUBJECT_INVALID()
    scope = accounts_access.party_scope(delegation.code)
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


def note_edit(*, actor: User, note_id: uuid.UUID | str, text: str) -> InternalNote:
    """Replace the text of a note of ``actor``'s own delegation (the log keeps the old)."""
    note = access.note_access(actor, note_id)
    if not access.may_edit(actor, note):
        raise NOTE_NOT_YOURS()
    text = _text(text)

    def check(row: InternalNote) -> None:
        if not access.may_edit(actor, row):
            raise NOTE_NOT_YOURS()

    def change(row: InternalNote) -> list[str]:
        row.text = text
        return ["text", "updated_at"]

    def events(row: InternalNote) -> list[NewEvent]:
        payload = {"about": row.subject, "text": text}
        return [
            NewEvent("InternalNoteEdited", f"note:{row.pk}", row.scope, payload, actor, row.process)
        ]

    rows = accounts_access.restrict(InternalNote.objects.all(), actor).filter(pk=note.pk)
    with transaction.atomic():
        return change_locked(
            rows, missing=NOTE_NOT_FOUND, check=check, change=change, events=events
        )


def note_delete(*, actor: User, note_id: uuid.UUID | str) -> None:
    """Delete a note of ``actor``'s own delegation (the event log keeps its history)."""
    with transaction.atomic():
        note = access.note_access(actor, note_id, lock=True)
        if not access.may_delete(actor, note):
            raise NOTE_NOT_YOURS()
        event_append(
            kind="InternalNoteDeleted",
            subject=f"note:{note.pk}",
            scope=note.scope,
            payload={"about": note.subject},
            actor=actor,
            process=note.process,
        )
        note.delete()
