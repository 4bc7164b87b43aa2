"""Pages of revisions: issue the next one, compare two.

Split from ``drafting.views`` by aggregate; the shared helpers stay there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accord.drafting import access, diff, selectors, services
from accord.drafting.models import Document
from accord.drafting.views import (  # the shared helpers of the drafting pages
    _after_write,
    _int,
    _refused,
    _refused_on_page,
)
from accord.errors import NotFound, ValidationFailed

NO_REVISIONS = NotFound.case(
    "document.no_revisions", _("This document has no revisions to compare yet.")
)


@login_required
@require_POST
def revision_issue(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    try:
        services.revision_issue(
            actor=request.user, document_id=document_id, note=request.POST.get("note", "")
        )
    except ValidationFailed as error:
        return _refused_on_page(request, document, "revise", _refused(request, error))
    return _after_write(request, document, anchor="revisions")


def _snapshot(request: HttpRequest, document: Document, number: int | None) -> dict[str, Any]:
    """Revision ``number``'s snapshot of ``document``, or the current text for None."""
    if number is None:
        return selectors.document_snapshot(document)
    return selectors.revision_get(actor=request.user, document=document, number=number).snapshot


@login_required
@require_safe
def document_diff(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    revisions = list(selectors.revision_list(actor=request.user, document=document))
    if not revisions:
        raise NO_REVISIONS()
    a = _int(request.GET.get("a"), revisions[0].number) or revisions[0].number
    b_raw = request.GET.get("b", "current")
    before = _snapshot(request, document, a)
    b_number = None if b_raw == "current" else _int(b_raw, -1)
    result = diff.diff_snapshots(before, _snapshot(request, document, b_number))
    show_all = request.GET.get("all") == "1"
    context = {
        "document": document,
        "revisions": revisions,
        "a": a,
        "b": b_raw,
        "mode": "side" if request.GET.get("mode") == "side" else "inline",
        "diff": result,
        "entries": result.entries if show_all else [e for e in result.entries if e.interesting],
        "show_all": show_all,
        "summary": {
            "added": result.count(diff.ADDED),
            "deleted": result.count(diff.DELETED),
            "changed": result.count(diff.CHANGED),
            "moved": result.moved,
        },
    }
    return render(request, "drafting/diff.html", context)
