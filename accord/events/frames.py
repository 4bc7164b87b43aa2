"""One event as the live feed sends it: a Server-Sent Events frame, encoded once."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from accord.events import cursor
from accord.events.describe import describe
from accord.events.links import subject_url
from accord.events.models import Event


def event_frame(event: Event) -> bytes:
    """Render ``event`` as one SSE frame, encoded once: the hub sends the same bytes to
    every stream that may see it. Precondition: ``event.actor`` already loaded."""
    data = {
        "kind": event.kind,
        "subject": event.subject,
        "scope": event.scope,
        "occurred_at": event.occurred_at,
        "actor": str(event.actor) if event.actor is not None else None,
        # Untranslated: one frame serves every stream, whatever its viewer's language
        # (and the hub's thread may carry the language of whichever request started it).
        "summary": describe(event.kind, event.payload),
        # The page showing the subject (a path; none for a subject without a page).
        "url": subject_url(event.subject, event.payload),
        "payload": event.payload,
    }
    # json.dumps escapes newlines inside strings, so the data is always one line.
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return f"id: {cursor.encode(event.seq)}\ndata: {text}\n\n".encode()
