"""Caucus notes: the notes and papers of a caucus, kept in its scope so the other party
never sees them, by any route. Who may act: ``accord.meetings.access``."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accord.accounts.models import User
from accord.errors import ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent
from accord.meetings import access
from accord.meetings.models import CaucusNote, Session
from accord.meetings.services._common import MAX_TITLE, new_event, text_check

CAUCUS_NOTE_TEXT_REQUIRED = ValidationFailed.case(
    "caucus_note.text_required", _("Some text is required.")
)
CAUCUS_NOTE_TEXT_TOO_LONG = ValidationFailed.case(
    "caucus_note.text_too_long", _("The text is too long (at most {n} characters).")
)
CAUCUS_NOTE_TITLE_REQUIRED = ValidationFailed.case(
    "caucus_note.title_required", _("A title is required (at most 200 characters).")
)
CAUCUS_NOTE_KIND_INVALID = ValidationFailed.case(
    "caucus_note.kind_invalid", _("A caucus record is a 'note' or a 'document'.")
)
CAUCUS_NOTE_NOT_A_CAUCUS = ValidationFailed.case(
    "caucus_note.not_a_caucus", _("Caucus notes belong to caucus sessions.")
)


def caucus_note_write(
    *, actor: User, session_id: object, text: str, title: str = "", kind: str = "note"
) -> CaucusNote:
    """Keep a note or a paper of a caucus (facilitators and the party in the room).

    Its scope is the caucus's: the other party never sees it, by any route."""
    text = text_check(text, required=CAUCUS_NOTE_TEXT_REQUIRED, too_long=CAUCUS_NOTE_TEXT_TOO_LONG)
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        raise CAUCUS_NOTE_TITLE_REQUIRED()
    if kind not in CaucusNote.Kind.values:
        raise CAUCUS_NOTE_KIND_INVALID()
    if kind == CaucusNote.Kind.DOCUMENT and not title:
        raise CAUCUS_NOTE_TITLE_REQUIRED()
    written: list[CaucusNote] = []

    def check(session: Session) -> None:
        if not access.may_write_caucus_note(actor, session):
            raise access.SESSION_NOT_FOUND()
        if not session.is_caucus:
            raise CAUCUS_NOTE_NOT_A_CAUCUS()

    def change(session: Session) -> list[str]:
        # The session row is the lock; the note is new.
        written.append(
            CaucusNote.objects.create(
                process=session.process,
                scope=session.scope,
                session=session,
                kind=kind,
                title=title,
                text=text,
                author=actor,
            )
        )
        return []

    def events(session: Session) -> list[NewEvent]:
        note = written[0]
        return [
            new_event(
                "CaucusNoteWritten",
                subject=f"session:{session.pk}",
                record=note,
                actor=actor,
                payload={"note": str(note.pk), "kind": kind, "title": title, "text": text},
            )
        ]

    with transaction.atomic():
        change_locked(
            access.named(access.sessions_visible(actor), session_id),
            missing=access.SESSION_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )
    return written[0]
