"""Documents: start one, change its title, status or pen-holders, adopt it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.drafting.access import DOCUMENT_NOT_FOUND, document_access, may_create_document
from accord.drafting.models import Document
from accord.drafting.selectors import adoption_blockers
from accord.drafting.services.common import delegation_required, event, pen_required
from accord.drafting.services.languages import adoption_language_refusal
from accord.drafting.services.revisions import revision_make
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.changes import change_locked
from accord.events.services import NewEvent, events_append
from accord.process.access import body_access
from accord.process.models import Delegation

if TYPE_CHECKING:
    from accord.accounts.models import User

NOT_A_MEMBER = PermissionDenied.case(
    "document.not_a_member", _("Only members of {body} can work on its texts.")
)
PARTIES_ONLY_NON_PAPERS = PermissionDenied.case(
    "document.parties_only_non_papers",
    _("A party may start a non-paper; other texts are the facilitators'."),
)
TITLE_REQUIRED = ValidationFailed.case(
    "document.title_required", _("A document needs a title (at most 300 characters).")
)
STATUS_INVALID = ValidationFailed.case(
    "document.status_invalid", _("Unknown document status {status}.")
)
AGREED_ONLY_BY_ADOPTION = ValidationFailed.case(
    "document.agreed_only_by_adoption", _("A text becomes 'agreed' only by adopting it.")
)
PEN_HOLDERS_INVALID = ValidationFailed.case(
    "document.pen_holders_invalid",
    _("Pen-holders must be delegation codes of this process: {codes}."),
)
ADOPTION_REFUSED = Conflict.case(
    "document.adoption_refused", _("The document cannot be adopted: {reason}")
)


def _check_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise TITLE_REQUIRED()
    return title


def _check_status(status: str) -> str:
    if status not in Document.Status.values:
        raise STATUS_INVALID(status=repr(status))
    if status == Document.Status.AGREED:
        raise AGREED_ONLY_BY_ADOPTION()
    return status


def _check_pen_holders(codes: list[str], *, process_id: int) -> list[str]:
    codes = [c.strip() for c in codes if c.strip()]
    known = set(Delegation.objects.filter(process_id=process_id).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise PEN_HOLDERS_INVALID(codes=", ".join(unknown))
    return list(dict.fromkeys(codes))


def document_create(
    *,
    actor: User,
    body_code: str,
    title: str,
    status: str = Document.Status.FACILITATORS_TEXT,
    pen_holders: list[str] | None = None,
) -> Document:
    """Start a document owned by body ``body_code`` (scope ``body:<code>``). Parties
    start non-papers."""
    delegation = delegation_required(actor)
    body = body_access(actor, body_code)
    if not may_create_document(actor, body, Document.Status.NON_PAPER):
        raise NOT_A_MEMBER(body=body.name)
    title = _check_title(title)
    status = _check_status(status)
    if not may_create_document(actor, body, status):
        raise PARTIES_ONLY_NON_PAPERS()
    holders = _check_pen_holders(pen_holders or [], process_id=body.process_id)
    with transaction.atomic():
        document = Document.objects.create(
            process_id=body.process_id,
            body=body,
            scope=accounts_access.body_scope(body.code),
            title=title,
            status=status,
            pen_holders=holders,
            author=actor,
            author_delegation=delegation,
        )
        new = [
            event(
                document,
                kind="DocumentCreated",
                subject=document.subject,
                actor=actor,
                payload={"title": title, "status": status, "body": body.code},
            )
        ]
        if status == Document.Status.NON_PAPER:
            author_scope = (
                accounts_access.caucus_scope(delegation.code)
                if delegation.is_party
                else accounts_access.FACILITATORS
            )
            new.append(
                NewEvent(
                    kind="NonPaperAuthorRecorded",
                    subject=document.subject,
                    scope=author_scope,
                    payload={
                        "document": str(document.public_id),
                        "title": title,
                        "author": delegation.code,
                    },
                    actor=actor,
                    process=document.process,
                )
            )
        events_append(new)
    return document


def document_update(
    *,
    actor: User,
    document_id: str,
    title: str | None = None,
    status: str | None = None,
    pen_holders: list[str] | None = None,
) -> Document:
    """Retitle, change the status (not to 'agreed') or the pen-holders of a document."""
    document = document_access(actor, document_id)
    pen_required(actor, document)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _check_title(title)
    if status is not None:
        changes["status"] = _check_status(status)
    if pen_holders is not None:
        changes["pen_holders"] = _check_pen_holders(pen_holders, process_id=document.process_id)

    def change(row: Document) -> list[str]:
        for name, value in changes.items():
            setattr(row, name, value)
        return [*changes, "updated_at"]

    with transaction.atomic():
        return change_locked(
            Document.objects.filter(pk=document.pk).select_related("process"),
            missing=DOCUMENT_NOT_FOUND,
            check=lambda row: _pen_still(actor, row),
            change=change,
            events=lambda row: [
                event(
                    row,
                    kind="DocumentUpdated",
                    subject=row.subject,
                    actor=actor,
                    payload=changes,
                )
            ],
        )


def _pen_still(actor: User, document: Document) -> None:
    pen_required(actor, document)


def _adoption_reason(blockers: list[str]) -> str:
    reason = " ".join(blockers[:3])
    if len(blockers) > 3:
        more = len(blockers) - 3
        reason += gettext(" (and {n} more)").format(n=more)
    return reason


def document_adopt(*, actor: User, document_id: str) -> Document:
    """Adopt the whole text: every party accepts every provision. Freezes it for ever."""
    document = document_access(actor, document_id)
    pen_required(actor, document)
    issued: list[int] = []

    def check(row: Document) -> None:
        pen_required(actor, row)
        blockers = adoption_blockers(row)
        if blockers:
            raise ADOPTION_REFUSED(reason=_adoption_reason(blockers))
        adoption_language_refusal(row)  # every language version complete and current

    def change(row: Document) -> list[str]:
        issued.append(revision_make(row, actor=actor, note="Adopted text").number)
        row.status = Document.Status.AGREED
        row.adopted_at = timezone.now()
        row.adopted_by = actor
        return ["status", "adopted_at", "adopted_by", "updated_at"]

    with transaction.atomic():
        return change_locked(
            Document.objects.filter(pk=document.pk).select_related("process"),
            missing=DOCUMENT_NOT_FOUND,
            check=check,
            change=change,
            events=lambda row: [
                event(
                    row,
                    kind="DocumentAdopted",
                    subject=row.subject,
                    actor=actor,
                    payload={"title": row.title, "revision": issued[0]},
                )
            ],
        )
