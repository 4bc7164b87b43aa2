"""Internal notes' way in: fetch a note a user named, and who may write, edit or delete.

A note is its delegation's alone (scope ``party:<code>``): ``note_access`` finds it only
for that delegation's users, and answers a note of another delegation exactly like a
missing one, so not even its existence leaks. Who someone is comes from
``accounts.access``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import User
from accord.errors import NotFound
from accord.notes.models import InternalNote
from accord.process.models import Body
from accord.public_ids import parse_public_id

NOTE_NOT_FOUND = NotFound.case("note.not_found", _("There is no such note."))


def note_access(actor: User | None, public_id: Any, *, lock: bool = False) -> InternalNote:
    """The note ``public_id`` names, if ``actor``'s delegation keeps it; else
    ``NOTE_NOT_FOUND``. A note's id is its (random) primary key."""
    return access.visible_get(
        InternalNote.objects.select_related("author", "body", "delegation", "process"),
        actor,
        missing=NOTE_NOT_FOUND,
        lock=lock,
        pk=parse_public_id(public_id),
    )


def may_write(actor: User | None, body: Body | None = None) -> bool:
    """Keep an internal note (on ``body``, when given): anyone acting for a delegation of
    the process."""
    delegation = access.delegation_of(actor)
    if delegation is None:
        return False
    return body is None or body.process_id == delegation.process_id


def may_edit(actor: User | None, note: InternalNote) -> bool:
    """Change a note's text: its own delegation (notes are the delegation's, not the
    author's: a colleague may correct one)."""
    delegation = access.delegation_of(actor)
    return delegation is not None and delegation.pk == note.delegation_id


def may_delete(actor: User | None, note: InternalNote) -> bool:
    """Delete a note: its own delegation."""
    delegation = access.delegation_of(actor)
    return delegation is not None and delegation.pk == note.delegation_id
