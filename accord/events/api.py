"""API for the event log: the caller's visible events, paged by opaque cursor, and export."""

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from accord.errors import AccordError
from accord.events import cursor
from accord.events.models import Event
from accord.events.selectors import event_list

router = Router(tags=["events"])
PAGE_SIZE = 200
# 400, not 422: a cursor is not a value the caller chooses but a token this server
# issued (authenticated, accord/events/cursor.py); one that fails is a forged request.
EVENT_CURSOR_INVALID = AccordError.case(
    "event.cursor_invalid", _("The 'after' cursor is not one this server issued.")
)


class EventOut(Schema):
    id: str
    occurred_at: dt.datetime
    kind: str
    subject: str
    scope: str
    actor: str | None
    payload: dict[str, Any]


class EventPage(Schema):
    events: list[EventOut]
    next: str | None


def event_out(event: Event) -> dict[str, Any]:
    """The public form of an event: an opaque id, never the global sequence number."""
    return {
        "id": cursor.encode(event.seq),
        "occurred_at": event.occurred_at,
        "kind": event.kind,
        "subject": event.subject,
        "scope": event.scope,
        "actor": str(event.actor) if event.actor else None,
        "payload": event.payload,
    }


def _after_seq(after: str | None) -> int:
    if not after:
        return 0
    try:
        return cursor.decode(after)
    except cursor.BadCursor:
        raise EVENT_CURSOR_INVALID() from None


@router.get("/", response=EventPage, summary=_("Events you may see, oldest first"))
def events(request: HttpRequest, after: str | None = None, limit: int = PAGE_SIZE):
    limit = max(1, min(limit, PAGE_SIZE))
    page = list(event_list(actor=request.user, after_seq=_after_seq(after), limit=limit))
    return {
        "events": [event_out(e) for e in page],
        "next": cursor.encode(page[-1].seq) if len(page) == limit else None,
    }


@router.get(
    "/export",
    summary=_("Export every event you may see as JSON lines"),
    openapi_extra={"responses": {200: {"content": {"application/x-ndjson": {}}}}},
)
def export(request: HttpRequest):
    user = request.user

    def lines() -> Iterator[str]:
        after = 0
        while True:
            batch = list(event_list(actor=user, after_seq=after, limit=1000))
            for event in batch:
                yield json.dumps(event_out(event), default=str, ensure_ascii=False) + "\n"
            if len(batch) < 1000:
                return
            after = batch[-1].seq

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson")
    response["Content-Disposition"] = 'attachment; filename="accord-events.jsonl"'
    return response
