"""Pages for a delegation's internal notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.errors import AccordError
from accord.notes import selectors, services
from accord.process.models import Body
from accord.process.selectors import body_get


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    notes = selectors.note_list(actor=request.user)
    return render(request, "notes/list.html", {"notes": notes})


@login_required
@require_POST
def note_create(request: HttpRequest) -> HttpResponse:
    subject = request.POST.get("subject") or None
    body_code = request.POST.get("body") or None
    error = None
    body: Body | None = None
    try:
        body = body_get(actor=request.user, code=body_code) if body_code else None
        services.note_write(
            actor=request.user, text=request.POST.get("text", ""), body=body, subject=subject
        )
    except AccordError as exc:
        error = exc.message
    if request.htmx:
        notes = (
            selectors.note_list(actor=request.user, body_code=body.code)
            if body is not None
            else selectors.note_list(actor=request.user, subject=subject)
        )
        context = {"notes": notes, "body": body, "note_subject": subject, "note_error": error}
        return render(request, "notes/_panel.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    if body is not None:
        return redirect("process:body", code=body.code)
    return redirect("notes:list")
