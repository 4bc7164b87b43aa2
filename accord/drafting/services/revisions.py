"""Revisions: numbered, immutable snapshots of a document's text ("Rev. 3")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.drafting.access import document_access
from accord.drafting.models import Document, Revision
from accord.drafting.selectors import document_snapshot
from accord.drafting.services.common import event, pen_required
from accord.errors import ValidationFailed
from accord.events.services import events_append

if TYPE_CHECKING:
    from accord.accounts.models import User

UNCHANGED = ValidationFailed.case(
    "document.revision_unchanged",
    _("Nothing has changed since Rev.{number}: a new revision would be the same text."),
)


def revision_make(document: Document, *, actor: User | None, note: str) -> Revision:
    """Number and store the next revision of ``document`` (locked by the caller) and
    append its event, in the caller's transaction."""
    data = document_snapshot(document)
    last = Revision.objects.filter(document=document).aggregate(m=Max("number"))["m"] or 0
    revision = Revision.objects.create(
        process_id=document.process_id,
        scope=document.scope,
        document=document,
        number=last + 1,
        snapshot=data,
        note=note,
        bracket_spans=sum(p["spans"] for p in data["provisions"]),
        option_sets=sum(p["option_sets"] for p in data["provisions"]),
        issued_by=actor,
        issued_at=timezone.now(),
    )
    events_append(
        [
            event(
                document,
                kind="RevisionIssued",
                subject=document.subject,
                actor=actor,
                payload={
                    "revision": revision.number,
                    "revision_id": str(revision.public_id),
                    "brackets": revision.brackets,
                    "note": note,
                },
            )
        ]
    )
    return revision


def revision_issue(*, actor: User, document_id: str, note: str = "") -> Revision:
    """Issue the next numbered revision: an immutable snapshot of the text as it stands.
    Refused when the text is exactly the last revision's (``UNCHANGED``)."""
    pen_required(actor, document_access(actor, document_id))
    with transaction.atomic():
        document = document_access(actor, document_id, lock=True)
        pen_required(actor, document)
        last = Revision.objects.filter(document=document).order_by("-number").first()
        if last is not None and last.snapshot == document_snapshot(document):
            raise UNCHANGED(number=last.number)
        return revision_make(document, actor=actor, note=(note or "").strip())
