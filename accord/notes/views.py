"""Pages for a delegation's internal notes.

Refusals rise to ``accord.web.errors.AccordErrorMiddleware``; only the htmx panel catches
``ValidationFailed``, to show the form again beside the sentence.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.errors import ValidationFailed
from accord.notes import selectors, services


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    notes = selectors.note_list(actor=request.user)
    return render(request, "notes/list.html", {"notes": notes})


@login_required
@require_POST
def note_create(request: HttpRequest) -> HttpResponse:
    subject = request.POST.get("subject") or None
    body_code = request.POST.get("body") or None
    if not request.htmx:
        note = services.note_write(
            actor=request.user,
            text=request.POST.get("text", ""),
            body_code=body_code,
            subject=subject,
        )
        if note.body is not None:
            return redirect("process:body", code=note.body.code)
        return redirect("notes:list")
    error = None
    try:
        note = services.note_write(
            actor=request.user,
            text=request.POST.get("text", ""),
            body_code=body_code,
            subject=subject,
        )
        body = note.body
    except ValidationFailed as exc:
        error = exc.message
        body = None
    notes = (
        selectors.note_list(actor=request.user, body_code=body_code)
        if body_code
        else selectors.note_list(actor=request.user, subject=subject)
    )
    context = {
        "notes": notes,
        "body": body or ({"code": body_code} if body_code else None),
        "note_subject": subject,
        "note_error": error,
        "next_url": request.POST.get("next", ""),
    }
    return render(request, "notes/_panel.html", context, status=422 if error else 200)
