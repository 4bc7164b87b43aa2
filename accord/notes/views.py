"""Pages for a delegation's internal notes.

Refusals rise to ``accord.web.errors.AccordErrorMiddleware``; only the note form catches
``ValidationFailed``, to show the note again as typed beside the sentence.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from accord import pagination
from accord.errors import ValidationFailed
from accord.formstate import FormState, refused
from accord.notes import selectors, services

# Which field each refusal is about (decision 0076).
FIELDS = {"note.empty": "text", "note.too_long": "text"}
EMPTY = FormState()
NOTE_ORDER = ("-created_at", "-id")


def _on_this_site(request: HttpRequest, url: str) -> str:
    """``url`` if it leads to a page of this site (a form's ``next``), else nothing."""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    body_code = request.GET.get("body") or None
    page = pagination.page_of(
        selectors.note_list(actor=request.user, body_code=body_code),
        list_name="notes",
        order=NOTE_ORDER,
        cursor=request.GET.get("cursor"),
    )
    context = {
        "notes": page.items,
        "page": page,
        "body_code": body_code,
        "pager_query": urlencode({"body": body_code}) if body_code else "",
    }
    return render(request, "notes/list.html", context)


@login_required
@require_POST
def note_create(request: HttpRequest) -> HttpResponse:
    """Write a note. A refused note comes back with its text beside the sentence (422):
    htmx gets the panel in place, a plain form a page holding the panel (decision 0076)."""
    subject = request.POST.get("subject") or None
    body_code = request.POST.get("body") or None
    form = EMPTY
    try:
        note = services.note_write(
            actor=request.user,
            text=request.POST.get("text", ""),
            body_code=body_code,
            subject=subject,
        )
    except ValidationFailed as error:
        form = refused(request.POST, error, FIELDS)
    if not form.refused and not request.htmx:
        if note.body is not None:
            return redirect("process:body", code=note.body.code)
        return redirect("notes:list")
    notes = (
        selectors.note_panel(actor=request.user, body_code=body_code)
        if body_code
        else selectors.note_panel(actor=request.user, subject=subject)
    )
    context = {
        "notes": notes,
        "body": {"code": body_code} if body_code else None,
        "note_subject": subject,
        "note_form": form,
        "next_url": _on_this_site(request, request.POST.get("next", "")),
    }
    template = "notes/_panel.html" if request.htmx else "notes/refused.html"
    return render(request, template, context, status=422 if form.refused else 200)
