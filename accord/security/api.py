"""The security events over the API: operators and facilitators only, newest first,
bounded pages."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema

from accord.security import selectors

router = Router(tags=["security"])


class SecurityEventOut(Schema):
    public_id: uuid.UUID
    at: dt.datetime
    kind: str
    username: str
    address: str | None
    detail: str


class SecurityEventsOut(Schema):
    events: list[SecurityEventOut]
    # Pass as ``before`` for the next, older page; null on the last page.
    older: str | None


class EventsQuery(Schema):
    before: uuid.UUID | None = None
    kind: str = ""
    limit: int = selectors.PAGE_SIZE


@router.get("/events", response=SecurityEventsOut)
def security_events(request: HttpRequest, query: Query[EventsQuery]):
    """Sign-ins, second factors, lockouts and permission refusals (403 for anyone but
    an operator or a facilitator)."""
    page = selectors.security_events_page(
        viewer=request.user,
        before=str(query.before) if query.before else None,
        kind=query.kind[:40],
        limit=query.limit,
    )
    return {"events": page.events, "older": page.older}
