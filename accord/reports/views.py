"""The HLC briefing as a page and as a PDF (WeasyPrint), for any date."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from accord.errors import AccordError, ValidationFailed
from accord.process import selectors as process_selectors
from accord.process.views import burndown_for
from accord.reports import selectors

BAD_DATE = "Give the date as YYYY-MM-DD."


def _date(request: HttpRequest) -> dt.date:
    value = request.GET.get("date")
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(BAD_DATE) from None


def briefing_context(request: HttpRequest, *, width: int) -> dict:
    on = _date(request)
    briefing = selectors.briefing_get(actor=request.user, on=on, today=timezone.localdate())
    overview = process_selectors.roadmap_overview(actor=request.user, today=on)
    return {
        "b": briefing,
        "burndown_svg": mark_safe(burndown_for(overview, width=width)),  # noqa: S308 - escaped
    }


def _refusal(request: HttpRequest, error: AccordError) -> HttpResponse:
    return render(
        request, "process/no_process.html", {"message": error.message}, status=error.status
    )


@login_required
def briefing(request: HttpRequest) -> HttpResponse:
    try:
        context = briefing_context(request, width=900)
    except AccordError as error:
        return _refusal(request, error)
    return render(request, "reports/briefing.html", context)


def briefing_document(request: HttpRequest, context: dict) -> Any:
    """The briefing laid out by WeasyPrint (a ``weasyprint.Document``: pages, then PDF)."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string("reports/briefing_print.html", context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).render()


@login_required
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    try:
        context = briefing_context(request, width=700)
    except AccordError as error:
        return _refusal(request, error)
    pdf = briefing_document(request, context).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"hlc-briefing-{context['b'].on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
