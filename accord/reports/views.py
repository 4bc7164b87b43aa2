"""The HLC briefing as a page and as a PDF (WeasyPrint), for any date."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accord.dates import day_parse
from accord.errors import ValidationFailed
from accord.reports import charts, selectors

BAD_DATE = ValidationFailed.case("briefing.bad_date", _("Give the date as YYYY-MM-DD."))


def _date(request: HttpRequest) -> dt.date:
    value = request.GET.get("date")
    if not value:
        return timezone.localdate()
    return day_parse(value, invalid=BAD_DATE)


def briefing_context(request: HttpRequest, *, width: int) -> dict:
    on = _date(request)
    briefing = selectors.briefing_get(actor=request.user, on=on, today=timezone.localdate())
    overview = selectors.roadmap_overview(actor=request.user, today=on)
    return {
        "b": briefing,
        # The charts escape every text they draw.
        "burndown_svg": mark_safe(charts.burndown_for(overview, width=width)),  # noqa: S308
    }


@login_required
def briefing(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/briefing.html", briefing_context(request, width=900))


def briefing_document(request: HttpRequest, context: dict) -> Any:
    """The briefing laid out by WeasyPrint (a ``weasyprint.Document``: pages, then PDF)."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    html = render_to_string("reports/briefing_print.html", context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).render()


@login_required
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    context = briefing_context(request, width=700)
    pdf = briefing_document(request, context).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"hlc-briefing-{context['b'].on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
