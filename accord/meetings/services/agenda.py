"""Agendas: items proposed for a session, the referral queue of a body (items waiting
for its next session), withdrawal and adoption. Who may act: ``accord.meetings.access``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, events_append
from accord.locking import lock_rows
from accord.meetings import access
from accord.meetings.models import AgendaItem, Session
from accord.meetings.services._common import (
    append,
    lock_body,
    new_event,
    text_check,
    title_check,
)
from accord.process.models import Body

SUBJECT_KINDS = ("document", "provision", "divergence", "incident")

AGENDA_NOT_ALLOWED = PermissionDenied.case(
    "agenda.not_allowed", _("Only the facilitators can do this.")
)
AGENDA_SESSION_HELD = Conflict.case(
    "agenda.session_held",
    _("This session has been held: its agenda stays as it was."),
)
AGENDA_ADOPTED = Conflict.case(
    "agenda.adopted", _("The agenda is adopted; it can no longer change.")
)
AGENDA_SESSION_CANCELLED = Conflict.case("agenda.session_cancelled", _("The session is cancelled."))
AGENDA_ITEM_NOT_ALLOWED = PermissionDenied.case(
    "agenda_item.not_allowed", _("Only someone who can see the session can propose an item.")
)
AGENDA_ITEM_TITLE_REQUIRED = ValidationFailed.case(
    "agenda_item.title_required", _("A title is required (at most 300 characters).")
)
AGENDA_ITEM_SUBJECT_INVALID = ValidationFailed.case(
    "agenda_item.subject_invalid",
    _(
        "An agenda item may point at a text, a provision, a divergence or an incident at "
        "sea ('document:<id>', 'provision:<id>', 'divergence:<id>', 'incident:<id>')."
    ),
)
AGENDA_BODY_NOT_FOUND = NotFound.case(
    "agenda.body_not_found", _("There is no body {code} in this process.")
)
AGENDA_ITEM_NOTE_TOO_LONG = ValidationFailed.case(
    "agenda_item.note_too_long", _("The text is too long (at most {n} characters).")
)


def subject_check(subject: str) -> str:
    """Validate an agenda item's subject: empty, or ``document|provision|divergence:<id>``."""
    subject = (subject or "").strip()
    if not subject:
        return ""
    kind, sep, ident = subject.partition(":")
    if (
        not sep
        or kind not in SUBJECT_KINDS
        or not ident
        or len(subject) > 200
        or any(c.isspace() for c in ident)
    ):
        raise AGENDA_ITEM_SUBJECT_INVALID()
    return subject


def _item_fields(title: str, subject: str, note: str) -> tuple[str, str, str]:
    return (
        title_check(title, AGENDA_ITEM_TITLE_REQUIRED, limit=300),
        subject_check(subject),
        text_check(note, required=None, too_long=AGENDA_ITEM_NOTE_TOO_LONG, limit=5000),
    )


def _next_position(session: Session) -> int:
    top = AgendaItem.objects.filter(session=session).aggregate(p=Max("position"))["p"]
    return (top or 0) + 1


def _agenda_open(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise AGENDA_SESSION_CANCELLED()
    if session.agenda_status != Session.AgendaStatus.DRAFT:
        raise AGENDA_ADOPTED()


def _added_event(
    item: AgendaItem, session: Session, actor: User | None, *, from_queue: bool
) -> NewEvent:
    payload: dict[str, object] = {"item": str(item.pk), "title": item.title, "about": item.subject}
    if from_queue:
        payload["from_queue"] = True
    return new_event(
        "AgendaItemAdded",
        subject=f"session:{session.pk}",
        record=item,
        actor=actor,
        payload=payload,
    )


def _added(item: AgendaItem, session: Session, actor: User | None, *, from_queue: bool) -> None:
    events_append([_added_event(item, session, actor, from_queue=from_queue)])


def queued_take(*, session: Session, actor: User) -> None:
    """Move the items queued for ``session.body`` onto its agenda. Precondition: inside
    the transaction that created ``session``."""
    queued = lock_rows(
        AgendaItem.objects.filter(
            body=session.body, session__isnull=True, status=AgendaItem.Status.QUEUED
        )
    ).order_by("queued_at", "created_at")
    position = _next_position(session)
    for item in queued:
        item.session = session
        item.status = AgendaItem.Status.LISTED
        item.position = position
        item.scope = session.scope
        item.save(update_fields=["session", "status", "position", "scope"])
        position += 1
        _added(item, session, actor, from_queue=True)


def agenda_item_add(
    *, actor: User, session_id: object, title: str, subject: str = "", note: str = ""
) -> AgendaItem:
    """Put an item on a session's draft agenda (anyone who can see the session)."""
    title, subject, note = _item_fields(title, subject, note)
    added: list[AgendaItem] = []

    def check(session: Session) -> None:
        if not access.may_add_agenda_item(actor, session):
            raise AGENDA_ITEM_NOT_ALLOWED()
        _agenda_open(session)

    def change(session: Session) -> list[str]:
        # The session row is the lock (positions are numbered under it); the item is new.
        added.append(
            AgendaItem.objects.create(
                process=session.process,
                scope=session.scope,
                session=session,
                body=session.body,
                status=AgendaItem.Status.LISTED,
                position=_next_position(session),
                title=title,
                subject=subject,
                note=note,
                added_by=actor,
            )
        )
        return []

    with transaction.atomic():
        change_locked(
            access.named(access.sessions_visible(actor), session_id),
            missing=access.SESSION_NOT_FOUND,
            check=check,
            change=change,
            events=lambda session: [_added_event(added[0], session, actor, from_queue=False)],
        )
    return added[0]


def _next_session_for(body: Body, *, now: dt.datetime) -> Session | None:
    return (
        lock_rows(
            Session.objects.filter(
                body=body,
                kind=Session.Kind.MEETING,
                status=Session.Status.SCHEDULED,
                agenda_status=Session.AgendaStatus.DRAFT,
                starts_at__gt=now,
            )
        )
        .order_by("starts_at", "created_at")
        .first()
    )


def agenda_item_queue(
    *,
    actor: User | None,
    process_code: str,
    body_code: str,
    title: str,
    subject: str,
    note: str = "",
) -> AgendaItem:
    """Put an item on the draft agenda of the next scheduled session of the body
    ``body_code`` of the process ``process_code`` (``AGENDA_BODY_NOT_FOUND`` if none).

    The next session is the earliest future, scheduled (not cancelled) meeting of
    the body whose agenda is still a draft. If there is none, the item stays queued
    and the next session scheduled for the body takes it automatically.

    For other apps (a divergence or a provision referred to a body): the caller checks
    its own permission, and ``actor`` is who referred it (None: the escalation sweep,
    which refers on nobody's behalf). Queuing the same
    non-empty ``subject`` again while it is still queued or on that draft agenda returns
    the existing item, so a retried caller never lists a point twice. The item's scope
    is the body's (``body:<code>``).
    """
    body = (
        Body.objects.filter(process__code=process_code, code=body_code)
        .select_related("process")
        .first()
    )
    if body is None:
        raise AGENDA_BODY_NOT_FOUND(code=body_code)
    title, subject, note = _item_fields(title, subject, note)
    scope = policy.body_scope(body.code)
    with transaction.atomic():
        lock_body(body)
        session = _next_session_for(body, now=timezone.now())
        if subject:
            pending = AgendaItem.objects.filter(body=body, subject=subject)
            existing = (
                pending.filter(session=session, status=AgendaItem.Status.LISTED)
                if session is not None
                else pending.filter(session__isnull=True, status=AgendaItem.Status.QUEUED)
            ).first()
            if existing is not None:
                return existing
        item = AgendaItem.objects.create(
            process=body.process,
            scope=session.scope if session else scope,
            session=session,
            body=body,
            status=AgendaItem.Status.LISTED if session else AgendaItem.Status.QUEUED,
            position=_next_position(session) if session else 0,
            title=title,
            subject=subject,
            note=note,
            added_by=actor if actor is not None and actor.pk else None,
            queued_at=timezone.now(),
        )
        if session is not None:
            _added(item, session, actor, from_queue=True)
        else:
            append(
                "AgendaItemQueued",
                subject=f"body:{body.code}",
                record=item,
                actor=actor,
                payload={"item": str(item.pk), "title": title, "about": subject, "body": body.code},
            )
    return item


def agenda_item_withdraw(*, actor: User, item_id: object) -> AgendaItem:
    """Take an item off a draft agenda, or out of a body's queue (facilitators)."""

    now = timezone.now()

    def check(item: AgendaItem) -> None:
        if not access.may_withdraw_agenda_item(actor, item, now=now):
            if item.session is not None and access.session_held(item.session, now):
                raise AGENDA_SESSION_HELD()
            raise AGENDA_NOT_ALLOWED()
        if item.session is not None:
            _agenda_open(item.session)

    def change(item: AgendaItem) -> list[str]:
        item.status = AgendaItem.Status.WITHDRAWN
        return ["status"]

    def events(item: AgendaItem) -> list[NewEvent]:
        where = (
            f"session:{item.session_id}"
            if item.session_id
            else f"body:{item.body.code if item.body else ''}"
        )
        payload = {"item": str(item.pk), "title": item.title}
        return [
            new_event(
                "AgendaItemWithdrawn", subject=where, record=item, actor=actor, payload=payload
            )
        ]

    rows = (
        access.named(policy.restrict(AgendaItem.objects.all(), actor), item_id)
        .exclude(status=AgendaItem.Status.WITHDRAWN)
        .select_related("session", "process", "body")
    )
    with transaction.atomic():
        return change_locked(
            rows, missing=access.AGENDA_ITEM_NOT_FOUND, check=check, change=change, events=events
        )


def agenda_adopt(*, actor: User, session_id: object, now: dt.datetime | None = None) -> Session:
    """Adopt a session's agenda (facilitators) before the session is over: it stops
    changing. ``now``: the moment it is adopted at (the present when None; the demo
    replays a past round at its own times)."""
    now = now or timezone.now()

    def check(session: Session) -> None:
        if not access.may_edit_agenda(actor, session, now=now):
            if access.session_held(session, now):
                raise AGENDA_SESSION_HELD()
            raise AGENDA_NOT_ALLOWED()
        _agenda_open(session)

    def change(session: Session) -> list[str]:
        session.agenda_status = Session.AgendaStatus.ADOPTED
        session.sequence += 1
        return ["agenda_status", "sequence", "updated_at"]

    def events(session: Session) -> list[NewEvent]:
        titles = list(
            session.agenda_items.filter(status=AgendaItem.Status.LISTED).values_list(
                "title", flat=True
            )
        )
        return [
            new_event(
                "AgendaAdopted",
                subject=f"session:{session.pk}",
                record=session,
                actor=actor,
                payload={"title": session.title, "items": titles},
            )
        ]

    rows = access.named(access.sessions_visible(actor), session_id)
    with transaction.atomic():
        return change_locked(
            rows, missing=access.SESSION_NOT_FOUND, check=check, change=change, events=events
        )
