"""Minutes: drafted by the rapporteur, circulated as a revision, approved by every party
concerned (or returned to draft). Who may act: ``accord.meetings.access``."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.accounts.models import User
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent
from accord.locking import lock_rows
from accord.meetings import access
from accord.meetings.models import Minutes, MinutesApproval, Session
from accord.meetings.services._common import new_event, text_check
from accord.process.models import Delegation

MINUTES_NOT_RAPPORTEUR = PermissionDenied.case(
    "minutes.not_rapporteur", _("Only the rapporteur of this body can keep its minutes.")
)
MINUTES_NEEDS_PARTY = PermissionDenied.case(
    "minutes.needs_party", _("Only a party's delegation can approve minutes.")
)
MINUTES_NOT_PARTY_CONCERNED = PermissionDenied.case(
    "minutes.not_party_concerned", _("Only the party in the caucus approves its minutes.")
)
MINUTES_RETURN_NOT_ALLOWED = PermissionDenied.case(
    "minutes.return_not_allowed",
    _("Only a party concerned or the rapporteur can return the minutes to draft."),
)
MINUTES_NOT_DRAFT = Conflict.case(
    "minutes.not_draft", _("The minutes are no longer a draft: return them to draft first.")
)
MINUTES_NOT_CIRCULATED = Conflict.case(
    "minutes.not_circulated", _("Only circulated minutes can be approved or returned.")
)
MINUTES_ALREADY_APPROVED = Conflict.case(
    "minutes.already_approved", _("Your delegation has already approved this revision.")
)
MINUTES_EMPTY = ValidationFailed.case(
    "minutes.empty", _("Minutes need some text before they are circulated.")
)
MINUTES_TEXT_TOO_LONG = ValidationFailed.case(
    "minutes.text_too_long", _("The text is too long (at most {n} characters).")
)
MINUTES_REASON_REQUIRED = ValidationFailed.case(
    "minutes.reason_required", _("Some text is required.")
)
MINUTES_REASON_TOO_LONG = ValidationFailed.case(
    "minutes.reason_too_long", _("The text is too long (at most {n} characters).")
)


def _minutes_rows(actor: User, session_id: object) -> QuerySet[Minutes]:
    return access.named(
        policy.restrict(Minutes.objects.all(), actor), session_id, field="session_id"
    )


def _session_of(actor: User, minutes: Minutes) -> Session:
    return access.session_access(actor, minutes.session_id)


def minutes_draft(*, actor: User, session_id: object, text: str) -> Minutes:
    """Write (or rewrite) the draft minutes of a session (the rapporteur)."""
    text = text_check(text, required=None, too_long=MINUTES_TEXT_TOO_LONG)
    drafted: list[Minutes] = []

    def check(session: Session) -> None:
        if not access.may_draft_minutes(actor, session):
            raise MINUTES_NOT_RAPPORTEUR()

    def change(session: Session) -> list[str]:
        # The session row is the lock; its minutes are the row that is written.
        minutes = lock_rows(Minutes.objects.filter(session=session)).first()
        if minutes is None:
            minutes = Minutes.objects.create(
                process=session.process,
                scope=session.scope,
                session=session,
                text=text,
                drafted_by=actor,
            )
        else:
            if minutes.status != Minutes.Status.DRAFT:
                raise MINUTES_NOT_DRAFT()
            minutes.text = text
            minutes.drafted_by = actor
            minutes.save(update_fields=["text", "drafted_by", "updated_at"])
        drafted.append(minutes)
        return []

    def events(session: Session) -> list[NewEvent]:
        return [
            new_event(
                "MinutesDrafted",
                subject=f"session:{session.pk}",
                record=drafted[0],
                actor=actor,
                payload={"title": session.title, "chars": len(text)},
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
    return drafted[0]


def minutes_circulate(*, actor: User, session_id: object) -> Minutes:
    """Circulate the draft minutes for approval (the rapporteur); a new revision."""
    with transaction.atomic():
        session = access.session_access(actor, session_id)

        def check(minutes: Minutes) -> None:
            if not access.may_circulate_minutes(actor, session):
                raise MINUTES_NOT_RAPPORTEUR()
            if minutes.status != Minutes.Status.DRAFT:
                raise MINUTES_NOT_DRAFT()
            if not minutes.text.strip():
                raise MINUTES_EMPTY()

        def change(minutes: Minutes) -> list[str]:
            minutes.status = Minutes.Status.CIRCULATED
            minutes.revision += 1
            minutes.circulated_at = timezone.now()
            return ["status", "revision", "circulated_at", "updated_at"]

        def events(minutes: Minutes) -> list[NewEvent]:
            payload = {
                "title": session.title,
                "revision": minutes.revision,
                "awaiting": [d.code for d in access.approving_parties(session)],
                # The circulated text goes on the hash-chained record: what each party
                # approves is then provable from the log alone.
                "text": minutes.text,
            }
            subject = f"session:{session.pk}"
            return [
                new_event(
                    "MinutesCirculated",
                    subject=subject,
                    record=minutes,
                    actor=actor,
                    payload=payload,
                )
            ]

        return change_locked(
            _minutes_rows(actor, session.pk),
            missing=access.MINUTES_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )


def minutes_approve(*, actor: User, session_id: object) -> Minutes:
    """Approve circulated minutes on behalf of ``actor``'s party. When every party
    concerned has approved this revision, the minutes are approved."""
    seen: list[tuple[Session, Delegation]] = []
    waiting: list[str] = []

    def check(minutes: Minutes) -> None:
        session = _session_of(actor, minutes)
        if not access.may_approve_minutes(actor, session):
            # Which refusal: not a party at all, or a party not concerned.
            if not policy.is_party(actor):
                raise MINUTES_NEEDS_PARTY()
            raise MINUTES_NOT_PARTY_CONCERNED()
        delegation = access.party_concerned(actor, session)
        assert delegation is not None  # may_approve_minutes said it is concerned
        if minutes.status != Minutes.Status.CIRCULATED:
            raise MINUTES_NOT_CIRCULATED()
        if access.has_approved(delegation, minutes):
            raise MINUTES_ALREADY_APPROVED()
        seen.append((session, delegation))

    def change(minutes: Minutes) -> list[str]:
        session, delegation = seen[0]
        now = timezone.now()
        MinutesApproval.objects.create(
            minutes=minutes,
            delegation=delegation,
            revision=minutes.revision,
            approved_by=actor,
            approved_at=now,
            process=minutes.process,
            scope=minutes.scope,
        )
        approved = set(
            minutes.approvals.filter(revision=minutes.revision).values_list(
                "delegation_id", flat=True
            )
        )
        waiting.extend(d.code for d in access.approving_parties(session) if d.pk not in approved)
        if waiting:
            return []
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_at = now
        return ["status", "approved_at", "updated_at"]

    def events(minutes: Minutes) -> list[NewEvent]:
        session, delegation = seen[0]
        by_party = new_event(
            "MinutesApprovedByParty",
            subject=f"session:{session.pk}",
            record=minutes,
            actor=actor,
            payload={
                "title": session.title,
                "party": delegation.code,
                "revision": minutes.revision,
                "awaiting": list(waiting),
            },
        )
        if waiting:
            return [by_party]
        approved = new_event(
            "MinutesApproved",
            subject=f"session:{session.pk}",
            record=minutes,
            actor=actor,
            payload={"title": session.title, "revision": minutes.revision},
        )
        return [by_party, approved]

    with transaction.atomic():
        return change_locked(
            _minutes_rows(actor, session_id),
            missing=access.MINUTES_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )


def minutes_return(*, actor: User, session_id: object, reason: str) -> Minutes:
    """Send circulated minutes back to draft with a reason (a party concerned, or the
    rapporteur). Approvals of the returned revision stay on record but no longer count."""
    reason = text_check(
        reason, required=MINUTES_REASON_REQUIRED, too_long=MINUTES_REASON_TOO_LONG, limit=5000
    )
    with transaction.atomic():
        session = access.session_access(actor, session_id)

        def check(minutes: Minutes) -> None:
            if not access.may_return_minutes(actor, session):
                raise MINUTES_RETURN_NOT_ALLOWED()
            if minutes.status != Minutes.Status.CIRCULATED:
                raise MINUTES_NOT_CIRCULATED()

        def change(minutes: Minutes) -> list[str]:
            minutes.status = Minutes.Status.DRAFT
            return ["status", "updated_at"]

        def events(minutes: Minutes) -> list[NewEvent]:
            payload = {"title": session.title, "revision": minutes.revision, "reason": reason}
            return [
                new_event(
                    "MinutesReturned",
                    subject=f"session:{session.pk}",
                    record=minutes,
                    actor=actor,
                    payload=payload,
                )
            ]

        return change_locked(
            _minutes_rows(actor, session.pk),
            missing=access.MINUTES_NOT_FOUND,
            check=check,
            change=change,
            events=events,
        )


def draft_minutes_for_record(*, actor: User, session_id: object) -> tuple[Session, Minutes]:
    """The session and its draft minutes, locked, for recording a decision or action in
    them (the rapporteur)."""
    session = access.session_access(actor, session_id, lock=True)
    if not access.may_keep_minutes(actor, session):
        raise MINUTES_NOT_RAPPORTEUR()
    minutes = access.minutes_access(actor, session.pk, lock=True)
    if minutes.status != Minutes.Status.DRAFT:
        raise MINUTES_NOT_DRAFT()
    return session, minutes
