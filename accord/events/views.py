"""Pages and the SSE endpoint of the live feed."""

from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accord import pagination
from accord.errors import AccordError, ErrorCase, Unauthenticated
from accord.events import cursor
from accord.events.links import subject_url
from accord.events.selectors import FEED_SIZE, event_feed_rows
from accord.events.stream import event_stream
from accord.process.selectors import body_list

# The feed page's "what" filter: a label and the subject kinds it keeps.
FEED_TOPICS = {
    "texts": (_("Texts"), ("document", "provision", "proposal", "referral", "revision")),
    "meetings": (_("Meetings"), ("session", "round", "action")),
    "divergences": (_("Divergences"), ("divergence",)),
    "channels": (_("Channels"), ("message", "channel", "topic")),
    "notes": (_("Internal notes"), ("note",)),
    "roadmap": (_("Roadmap"), ("milestone",)),
    "people": (_("People and bodies"), ("user", "body", "mechanism", "process")),
}

# The stream answers these as plain text with their status, rather than through the
# page error handler's HTML page, and names the case in ``Accord-Error``: an EventSource
# reads neither, so the page asks again with ``fetch`` when its stream gives up, and
# shows "signed out" only for ``feed.not_signed_in`` (``events/live.js``, decision 0070).
FEED_NOT_SIGNED_IN = Unauthenticated.case(
    "feed.not_signed_in", _("Sign in to follow the live feed.")
)
FEED_CURSOR_INVALID = AccordError.case(
    "feed.cursor_invalid",
    _(
        "The Last-Event-ID is not an event cursor issued by this server. "
        "Reconnect without it to follow the feed from now."
    ),
)


def _refusal(case: ErrorCase) -> HttpResponse:
    response = HttpResponse(
        case.text(), status=case.status, content_type="text/plain; charset=utf-8"
    )
    response["Accord-Error"] = case.code
    response["Cache-Control"] = "no-store"
    return response


def _release_connection() -> None:
    connection.close()


@require_GET
async def stream(request: HttpRequest) -> HttpResponseBase:
    """Stream the events the signed-in user may see, resuming after ``Last-Event-ID``.

    Without a cursor the stream starts from now, or from the beginning with ``?from=start``.
    """
    user = await request.auser()
    session_key = request.session.session_key
    # Signing in read the session in this request's own thread; the stream's reads run in
    # the feed's threads. Release this thread's connection now, not when the stream ends.
    await sync_to_async(_release_connection)()
    if not user.is_authenticated or not session_key:
        return _refusal(FEED_NOT_SIGNED_IN)
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id")
    after_seq: int | None
    if raw:
        try:
            after_seq = cursor.decode(raw)
        except cursor.BadCursor:
            return _refusal(FEED_CURSOR_INVALID)
    elif request.GET.get("from") == "start":
        after_seq = 0
    else:
        after_seq = None
    response = StreamingHttpResponse(
        event_stream(session_key=session_key, user_id=user.pk, after_seq=after_seq),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    # Tells nginx not to buffer the stream, which would hold events back.
    response["X-Accel-Buffering"] = "no"
    return response


@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """Show the newest events the user may see (filtered by body and by what they are
    about), each a sentence linking to its subject; ``events/feed.js`` adds new ones live."""
    bodies = list(body_list(actor=request.user))  # type: ignore[arg-type]
    body = request.GET.get("body") or ""
    if body not in {b.code for b in bodies}:
        body = ""
    topic = request.GET.get("what") or ""
    if topic not in FEED_TOPICS:
        topic = ""
    # Newest first, a page at a time; "Older" goes back through the record. A cursor is
    # tied to its filters (another filter starts again from the newest).
    page = pagination.page_of(
        event_feed_rows(
            actor=request.user,
            body=body or None,
            subject_kinds=FEED_TOPICS[topic][1] if topic else (),
        ),
        list_name=f"feed:{body}:{topic}",
        order=("-seq",),
        cursor=request.GET.get("cursor"),
        default_limit=FEED_SIZE,
    )
    events = page.items
    for event in events:
        # Read by the template beside the sentence (``in_sentences``: names, not codes).
        event.url = subject_url(event.subject, event.payload)  # type: ignore[attr-defined]
        event.internal = event.scope.startswith(("party:", "caucus:"))  # type: ignore[attr-defined]
    return render(
        request,
        "events/feed.html",
        {
            "events": events,
            "page": page,
            "pager_query": urlencode({k: v for k, v in (("body", body), ("what", topic)) if v}),
            "bodies": bodies,
            "body": body,
            "topics": [(key, label) for key, (label, _kinds) in FEED_TOPICS.items()],
            "topic": topic,
            "topic_kinds": list(FEED_TOPICS[topic][1]) if topic else [],
        },
    )
