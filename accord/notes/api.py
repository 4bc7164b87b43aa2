"""API for delegation-internal notes."""

import datetime as dt
import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord import pagination
from accord.notes import selectors, services
from accord.notes.access import note_access
from accord.notes.models import InternalNote

router = Router(tags=["notes"])
NOTE_ORDER = ("-created_at", "-id")


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=services.MAX_NOTE_CHARS)
    body: str | None = Field(default=None, description="Code of the body the note is filed under")
    subject: str | None = Field(default=None, description="What it is about, e.g. 'body:HLC'")


class NoteEditIn(Schema):
    text: str = Field(min_length=1, max_length=services.MAX_NOTE_CHARS)


class NoteOut(Schema):
    id: uuid.UUID
    delegation: str
    author: str
    body: str | None
    subject: str
    text: str
    created_at: dt.datetime


def _out(note: InternalNote) -> dict:
    return {
        "id": note.pk,
        "delegation": note.delegation.code,
        "author": note.author.username,
        "body": note.body.code if note.body else None,
        "subject": note.subject,
        "text": note.text,
        "created_at": note.created_at,
    }


@router.get("/", response=list[NoteOut], summary=_("Your delegation's internal notes"))
def note_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    subject: str | None = None,
    body: str | None = None,
):
    notes = selectors.note_list(actor=request.user, subject=subject, body_code=body)
    return [
        _out(n)
        for n in pagination.api_page(
            request, response, notes, page=page, list_name="notes", order=NOTE_ORDER
        )
    ]


@router.get("/{note_id}", response=NoteOut, summary=_("One internal note of your delegation"))
def note_detail(request: HttpRequest, note_id: uuid.UUID):
    return _out(note_access(request.user, note_id))


@router.post("/", response={201: NoteOut}, summary=_("Write an internal note"))
def note_create(request: HttpRequest, data: NoteIn):
    note = services.note_write(
        actor=request.user, text=data.text, body_code=data.body, subject=data.subject
    )
    return Status(201, _out(note))


@router.patch("/{note_id}", response=NoteOut, summary=_("Change the text of an internal note"))
def note_edit(request: HttpRequest, note_id: uuid.UUID, data: NoteEditIn):
    return _out(services.note_edit(actor=request.user, note_id=note_id, text=data.text))


@router.delete("/{note_id}", response={204: None}, summary=_("Delete an internal note"))
def note_delete(request: HttpRequest, note_id: uuid.UUID):
    services.note_delete(actor=request.user, note_id=note_id)
    return Status(204, None)
