"""Pages for meetings: rounds and sessions, a session's agenda and minutes (htmx
actions), caucuses, action items, "my calendar" and the iCalendar downloads.

Views fetch through ``accord.meetings.access`` and act through ``services``; a refusal
rises to ``accord.web.errors.AccordErrorMiddleware`` (no view catches it, except the two
forms that re-show the user's input beside a ``ValidationFailed``). What a page offers
is what the ``may_`` predicates allow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accord import pagination
from accord.accounts.models import User
from accord.dates import day_parse, moment_parse
from accord.errors import ValidationFailed
from accord.events.selectors import timeline_window
from accord.meetings import access, ical, selectors, services
from accord.meetings.clock import span_in
from accord.meetings.models import Minutes, Session
from accord.meetings.subject_picker import subject_choices
from accord.process.selectors import body_list, delegation_list, process_for


def _with_times(sessions: Iterable[Session], viewer: User) -> list[Session]:
    """Attach ``at_venue`` and ``for_you`` (clock spans) to each session, and ``held``."""
    zone = getattr(viewer, "timezone", "UTC") or "UTC"
    rows = list(sessions)
    now = timezone.now()
    for s in rows:
        s.at_venue = span_in(s.starts_at, s.ends_at, s.venue_timezone)  # type: ignore[attr-defined]
        s.for_you = span_in(s.starts_at, s.ends_at, zone)  # type: ignore[attr-defined]
        s.held = access.session_held(s, now)  # type: ignore[attr-defined]
    return rows


# -- lists ----------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    process_for(request.user)
    now = timezone.now()
    viewer = request.user
    # Past sessions newest first, a page at a time; the next ones in full (a calendar).
    past = pagination.page_of(
        selectors.session_list(actor=viewer, starts_before=now),
        list_name="past-sessions",
        order=("-starts_at", "-title", "-id"),
        cursor=request.GET.get("cursor"),
    )
    # Rounds newest first; upcoming sessions soonest first: each a page, its own cursor.
    rounds = pagination.page_of(
        selectors.round_list(actor=viewer),
        list_name="rounds",
        order=("-number", "-id"),
        cursor=request.GET.get("rounds"),
        default_limit=12,
    )
    upcoming = pagination.page_of(
        selectors.session_list(actor=viewer, starts_after=now),
        list_name="upcoming-sessions",
        order=("starts_at", "title", "id"),
        cursor=request.GET.get("upcoming"),
    )
    context = {
        "rounds": rounds.items,
        "rounds_page": rounds,
        "upcoming": _with_times(upcoming.items, viewer),
        "upcoming_page": upcoming,
        "past": _with_times(past.items, viewer),
        "page": past,
        "queued": list(selectors.queued_items(actor=viewer)),
        "counts": selectors.session_counts(actor=viewer),
        "may_schedule": access.may_schedule(viewer),
        "may_open_round": access.may_open_round(viewer),
    }
    return render(request, "meetings/index.html", context)


@login_required
def round_detail(request: HttpRequest, round_id: str) -> HttpResponse:
    the_round = access.round_access(request.user, round_id)
    sessions = _with_times(
        selectors.session_list(actor=request.user, round=the_round), request.user
    )
    return render(request, "meetings/round.html", {"round": the_round, "sessions": sessions})


@login_required
def caucus_list(request: HttpRequest) -> HttpResponse:
    process_for(request.user)
    page = pagination.page_of(
        selectors.caucus_list(actor=request.user),
        list_name="caucuses",
        order=("-starts_at", "-id"),
        cursor=request.GET.get("cursor"),
    )
    caucuses = _with_times(page.items, request.user)
    return render(
        request,
        "meetings/caucuses.html",
        {"caucuses": caucuses, "page": page, "may_schedule": access.may_schedule(request.user)},
    )


@login_required
def action_item_list(request: HttpRequest) -> HttpResponse:
    process_for(request.user)
    mine = request.GET.get("mine") == "1"
    page = pagination.page_of(
        selectors.action_item_list(actor=request.user, owner=request.user if mine else None),
        list_name="action-items",
        order=("due_on", "number", "id"),
        cursor=request.GET.get("cursor"),
    )
    context = {
        "items": page.items,
        "page": page,
        "pager_query": "mine=1" if mine else "",
        "mine": mine,
        "today": timezone.now().date(),
    }
    return render(request, "meetings/action_items.html", context)


# -- one session ----------------------------------------------------------------------


# A page shows this many events of a timeline; "show earlier" goes back as many again.
TIMELINE_SIZE = 50


def _timeline(request: HttpRequest, subjects: list[str]) -> dict[str, Any]:
    window = timeline_window(
        actor=request.user,
        subjects=subjects,
        limit=TIMELINE_SIZE,
        before=request.GET.get("earlier"),
    )
    return {"timeline": window.events, "timeline_earlier": window.earlier}


def _session_context(request: HttpRequest, session: Session) -> dict[str, Any]:
    """What the session page and its panels show, and which actions they offer: each
    offered exactly where its ``may_`` predicate (and the session's state) allows."""
    viewer = request.user
    (session,) = _with_times([session], viewer)
    minutes = selectors.minutes_for(actor=viewer, session=session)
    required = access.approving_parties(session)
    current = (
        {a.delegation_id for a in minutes.approvals.all() if a.revision == minutes.revision}
        if minutes
        else set()
    )
    actions = list(selectors.action_item_list(actor=viewer, session=session)) if minutes else []
    for item in actions:
        item.may_complete = (  # type: ignore[attr-defined]
            item.status != item.Status.DONE and access.may_complete_action_item(viewer, item)
        )
    subjects = [f"session:{session.pk}", *(f"action:{a.pk}" for a in actions)]
    live = session.status != Session.Status.CANCELLED
    agenda_open = live and session.agenda_status == Session.AgendaStatus.DRAFT
    circulated = minutes is not None and minutes.status == Minutes.Status.CIRCULATED
    concerned = access.party_concerned(viewer, session)
    participants = selectors.participant_list(actor=viewer, session=session)
    may_manage = live and access.may_manage_participants(viewer, session)
    return {
        "session": session,
        "participants": participants,
        "agenda": selectors.agenda(actor=viewer, session=session),
        "minutes": minutes,
        "decisions": selectors.decision_list(actor=viewer, session=session) if minutes else [],
        "actions": actions,
        "parties": [(d, d.pk in current) for d in required],
        "may_cancel": live and access.may_cancel_session(viewer, session),
        "may_manage_participants": may_manage,
        "may_add_agenda_item": agenda_open and access.may_add_agenda_item(viewer, session),
        "may_edit_agenda": agenda_open and access.may_edit_agenda(viewer, session),
        "is_rapporteur": access.may_keep_minutes(viewer, session),
        "may_draft_minutes": access.may_draft_minutes(viewer, session)
        and (minutes.status == Minutes.Status.DRAFT if minutes else live),
        "may_approve": circulated and concerned is not None and concerned.pk not in current,
        "may_return": circulated and access.may_return_minutes(viewer, session),
        "viewer_delegation": concerned,
        "may_write_caucus_note": session.is_caucus
        and access.may_write_caucus_note(viewer, session),
        "owners": [p.user for p in participants],
        "candidates": selectors.participant_candidates(actor=viewer, session=session)
        if may_manage
        else [],
        "notes": selectors.caucus_note_list(actor=viewer, session=session)
        if session.is_caucus
        else [],
        **_timeline(request, subjects),
        "timeline_subjects": subjects,
        "timeline_scopes": (),
        "today": timezone.now().date(),
    }


@login_required
def session_detail(request: HttpRequest, session_id: str) -> HttpResponse:
    session = access.session_access(request.user, session_id)
    return render(request, "meetings/session.html", _session_context(request, session))


def _panel(request: HttpRequest, session_id: str, partial: str) -> HttpResponse:
    session = access.session_access(request.user, session_id)
    return render(request, partial, _session_context(request, session))


@login_required
def agenda_panel(request: HttpRequest, session_id: str) -> HttpResponse:
    """The agenda panel alone (the page refreshes it when the live feed says so)."""
    return _panel(request, session_id, "meetings/_agenda.html")


@login_required
def minutes_panel(request: HttpRequest, session_id: str) -> HttpResponse:
    """The minutes panel alone (the page refreshes it when the live feed says so)."""
    return _panel(request, session_id, "meetings/_minutes.html")


def _session_action(
    request: HttpRequest, session_id: str, partial: str, action: Callable[[], object]
) -> HttpResponse:
    """Run ``action`` (a service call); answer htmx with ``partial`` re-rendered, a plain
    form with a redirect to the session page. A refusal rises to the error middleware."""
    action()
    if request.htmx:
        return _panel(request, session_id, partial)
    return redirect("meetings:session", session_id=session_id)


def _post(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "")


@login_required
@require_POST
def agenda_add(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        "meetings/_agenda.html",
        lambda: services.agenda_item_add(
            actor=request.user,
            session_id=session_id,
            title=_post(request, "title"),
            subject=_post(request, "subject"),
            note=_post(request, "note"),
        ),
    )


@login_required
@require_POST
def participant_add(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        "meetings/_participants.html",
        lambda: services.participant_add(
            actor=request.user, session_id=session_id, username=_post(request, "username")
        ),
    )


@login_required
@require_POST
def participant_remove(request: HttpRequest, session_id: str, username: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        "meetings/_participants.html",
        lambda: services.participant_remove(
            actor=request.user, session_id=session_id, username=username
        ),
    )


@login_required
@require_POST
def agenda_withdraw(request: HttpRequest, session_id: str, item_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        "meetings/_agenda.html",
        lambda: services.agenda_item_withdraw(actor=request.user, item_id=item_id),
    )


@login_required
@require_POST
def agenda_adopt(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        "meetings/_agenda.html",
        lambda: services.agenda_adopt(actor=request.user, session_id=session_id),
    )


MINUTES = "meetings/_minutes.html"


@login_required
@require_POST
def minutes_save(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        MINUTES,
        lambda: services.minutes_draft(
            actor=request.user, session_id=session_id, text=_post(request, "text")
        ),
    )


@login_required
@require_POST
def minutes_circulate(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        MINUTES,
        lambda: services.minutes_circulate(actor=request.user, session_id=session_id),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        MINUTES,
        lambda: services.minutes_approve(actor=request.user, session_id=session_id),
    )


@login_required
@require_POST
def minutes_return(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        MINUTES,
        lambda: services.minutes_return(
            actor=request.user, session_id=session_id, reason=_post(request, "reason")
        ),
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        MINUTES,
        lambda: services.decision_record(
            actor=request.user, session_id=session_id, text=_post(request, "text")
        ),
    )


def _date(value: str) -> dt.date:
    return day_parse(value, invalid=services.ACTION_ITEM_DUE_DATE_INVALID)


@login_required
@require_POST
def action_add(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        MINUTES,
        lambda: services.action_item_record(
            actor=request.user,
            session_id=session_id,
            text=_post(request, "text"),
            owner=_post(request, "owner"),
            due_on=_date(_post(request, "due_on")),
        ),
    )


@login_required
@require_POST
def action_complete(request: HttpRequest, session_id: str, action_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        MINUTES,
        lambda: services.action_item_complete(actor=request.user, action_id=action_id),
    )


@login_required
@require_POST
def caucus_note_add(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        "meetings/_caucus_notes.html",
        lambda: services.caucus_note_write(
            actor=request.user,
            session_id=session_id,
            text=_post(request, "text"),
            title=_post(request, "title"),
            kind=_post(request, "kind") or "note",
        ),
    )


@login_required
@require_POST
def session_cancel(request: HttpRequest, session_id: str) -> HttpResponse:
    return _session_action(
        request,
        session_id,
        "meetings/session.html",
        lambda: services.session_cancel(
            actor=request.user, session_id=session_id, reason=_post(request, "reason")
        ),
    )


# -- scheduling -----------------------------------------------------------------------


def _local(value: str) -> dt.datetime:
    return moment_parse(value, invalid=services.SESSION_TIME_INVALID)


def _schedule(request: HttpRequest) -> Session:
    kind, _sep, code = _post(request, "target").partition(":")
    return services.session_schedule(
        actor=request.user,
        title=_post(request, "title"),
        venue=_post(request, "venue"),
        venue_timezone=_post(request, "venue_timezone"),
        starts_at=_local(_post(request, "starts_at")),
        ends_at=_local(_post(request, "ends_at")),
        body=code if kind == "body" else None,
        caucus_party=code if kind == "caucus" else None,
        round_id=_post(request, "round") or None,
    )


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    """Schedule a meeting of a body or a caucus with one party (facilitators)."""
    process = process_for(request.user)
    if not access.may_schedule(request.user):
        raise services.SESSION_NOT_ALLOWED()
    error_message = None
    if request.method == "POST":
        try:
            session = _schedule(request)
        except ValidationFailed as error:  # the form re-shows what was typed
            error_message = error.message
        else:
            return redirect("meetings:session", session_id=session.pk)
    context = {
        "bodies": body_list(actor=request.user),
        "parties": [d for d in delegation_list(actor=request.user) if d.is_party],
        "rounds": selectors.round_list(actor=request.user),
        "form": request.POST if request.method == "POST" else {},
        "form_error": error_message,
        "default_zone": process.timezone,
    }
    return render(
        request, "meetings/session_new.html", context, status=422 if error_message else 200
    )


def _day(value: str) -> dt.date:
    return day_parse(value, invalid=services.ROUND_DATES_INVALID)


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    """Open a round of talks (facilitators)."""
    process = process_for(request.user)
    if not access.may_open_round(request.user):
        raise services.ROUND_NOT_ALLOWED()
    error_message = None
    if request.method == "POST":
        try:
            the_round = services.round_create(
                actor=request.user,
                title=_post(request, "title"),
                venue=_post(request, "venue"),
                venue_timezone=_post(request, "venue_timezone"),
                starts_on=_day(_post(request, "starts_on")),
                ends_on=_day(_post(request, "ends_on")),
            )
        except ValidationFailed as error:  # the form re-shows what was typed
            error_message = error.message
        else:
            return redirect("meetings:round", round_id=the_round.pk)
    context = {
        "form": request.POST if request.method == "POST" else {},
        "form_error": error_message,
        "default_zone": process.timezone,
    }
    return render(request, "meetings/round_new.html", context, status=422 if error_message else 200)


# -- calendar -------------------------------------------------------------------------


def _calendar_page(request: HttpRequest, feed_url: str | None = None) -> HttpResponse:
    process_for(request.user)
    since = timezone.now() - dt.timedelta(days=1)
    sessions = _with_times(selectors.feed_sessions(user=request.user, since=since), request.user)
    context = {
        "sessions": sessions,
        "feed": selectors.calendar_feed_active(actor=request.user),
        "feed_url": feed_url,
        "may_have_feed": access.may_have_calendar_feed(request.user),
    }
    return render(request, "meetings/calendar.html", context)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request)


@login_required
@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """Create a feed URL and show it on this answer only: the secret is never stored,
    and nothing is kept for a later page to read (reads never write)."""
    _feed, secret = services.calendar_feed_create(actor=request.user)
    url = request.build_absolute_uri(reverse("meetings:calendar-feed", args=[secret]))
    return _calendar_page(request, feed_url=url)


@login_required
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(actor=request.user)
    return redirect("meetings:calendar")


def _ics_rows(request: HttpRequest, sessions: list[Session], viewer: User) -> list:
    rows = []
    for session in sessions:
        titles = [i.title for i in selectors.agenda(actor=viewer, session=session)]
        url = request.build_absolute_uri(reverse("meetings:session", args=[session.pk]))
        rows.append((session, titles, url))
    return rows


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def session_ics(request: HttpRequest, session_id: str) -> HttpResponse:
    session = access.session_access(request.user, session_id)
    content = ical.calendar_for(
        _ics_rows(request, [session], request.user), name=session.title, stamp=timezone.now()
    )
    return _ics_response(content, f"session-{session.pk}.ics")


def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The private feed: no sign-in, the secret in the URL is the credential. Every
    request re-reads the sessions through the access policy as the feed's owner, and
    records nothing."""
    user = selectors.feed_owner(secret)
    if user is None:
        return HttpResponse(
            services.CALENDAR_FEED_NOT_FOUND.text(), status=404, content_type="text/plain"
        )
    since = timezone.now() - dt.timedelta(days=90)
    sessions = list(selectors.feed_sessions(user=user, since=since))
    content = ical.calendar_for(
        _ics_rows(request, sessions, user),
        name=_("Accord: {user}").format(user=user),
        stamp=timezone.now(),
    )
    return _ics_response(content, "accord.ics")


@login_required
def agenda_subjects(request: HttpRequest, session_id: str) -> HttpResponse:
    """The agenda form's subject options for ``?subject_q=`` (an htmx search)."""
    access.session_access(request.user, session_id)
    choices = subject_choices(actor=request.user, query=request.GET.get("subject_q", ""))
    return render(request, "meetings/_subject_options.html", {"subject_choices": choices})
