"""Exports of a text or a revision: .docx, PDF, Akoma Ntoso, plain text.

Split from ``drafting.views`` by aggregate; the shared helpers stay there."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accord.drafting import access, brackets, exports, selectors
from accord.drafting.models import Document
from accord.drafting.textformat import render_text
from accord.drafting.views import (  # the shared helpers of the drafting pages
    _int,
)
from accord.errors import NotFound

NO_SUCH_FORMAT = NotFound.case(
    "document.export_format_unknown", _("There is no such export format.")
)


EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
    "xml": "application/akn+xml",
    "pdf": "application/pdf",
}


@login_required
@require_safe
def document_export(request: HttpRequest, document_id: str, fmt: str) -> HttpResponse:
    """Export the current text or ``?rev=N`` as docx, pdf, xml (Akoma Ntoso) or txt."""
    document = access.document_access(request.user, document_id)
    if fmt not in EXPORT_TYPES:
        raise NO_SUCH_FORMAT()
    rev = _int(request.GET.get("rev"))
    if rev is None:
        snapshot, note = selectors.document_snapshot(document), ""
        label, issued = gettext("current text"), date_format(timezone.now(), "j M Y")
    else:
        revision = selectors.revision_get(actor=request.user, document=document, number=rev)
        snapshot, note = revision.snapshot, revision.note
        label = gettext("Rev.{n}").format(n=rev)
        issued = date_format(revision.issued_at, "j M Y")
    colours = selectors.sponsor_colours(actor=request.user)
    names = {p.code: str(p) for p in selectors.party_list(actor=request.user)}
    file_label = f"rev{rev}" if rev is not None else "current"
    name = f"{slugify(document.title) or 'text'}-{file_label}"
    if fmt == "docx":
        positions: dict[str, dict[str, str]] = {}
        if rev is None:
            table = selectors.positions_by_provision(actor=request.user, document=document)
            for p in selectors.provision_list(actor=request.user, document=document):
                positions[p.wid] = {code: pos.stance for code, pos in table.get(p.pk, {}).items()}
        body = exports.docx_export(
            snapshot,
            colours=colours,
            revision=label,
            positions=positions,
            issued=issued,
            note=note,
            names=names,
        )
    elif fmt == "txt":
        body = render_text(snapshot).encode()
    elif fmt == "xml":
        body = exports.akn_export(
            snapshot, delegations=names, revision=label, body=document.body.code
        )
    else:
        context = {"label": label, "issued": issued, "note": note, "names": names}
        body = exports.pdf_from_html(_print_html(request, document, snapshot, colours, context))
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def document_pdf(
    document: Document, snapshot: dict[str, Any], colours: dict[str, str], about: dict[str, Any]
) -> bytes:
    """The PDF of a snapshot, as the page's export makes it (also ``accord text export``)."""
    return exports.pdf_from_html(_print_html(None, document, snapshot, colours, about))


def _print_html(
    request: HttpRequest | None,
    document: Document,
    snapshot: dict[str, Any],
    colours: dict[str, str],
    about: dict[str, Any],
) -> str:
    """The PDF's HTML: the text as the page renders it, a legend, the revision and its
    date on every page (``about``: label, issued, note, names)."""
    rows = []
    for p in snapshot["provisions"]:
        try:
            rendered = brackets.footnotes_floated(brackets.render_html(p["text"], colours))
            html = mark_safe(rendered)  # noqa: S308 - escaped
        except brackets.BracketError:
            html = p["text"]
        rows.append(
            {
                **p,
                "html": html,
                "status_label": exports.STATUS_LABELS.get(p.get("status", ""), p.get("status", "")),
            }
        )
    legend = [
        {"mark": mark, "meaning": meaning, "colour": colours.get(mark, "")}
        for mark, meaning in exports.legend_rows(about["names"])
    ]
    return render_to_string(
        "drafting/print.html",
        {
            "document": document,
            "rows": rows,
            "legend": legend,
            "line": exports.revision_line(about["label"], about["issued"]),
            "css": exports.css_strings(
                title=document.title,
                line=exports.revision_line(about["label"], about["issued"]),
                body=document.body.name,
            ),
            **about,
            "colours": colours,
            "spans": sum(p.get("spans", 0) for p in snapshot["provisions"]),
            "option_sets": sum(p.get("option_sets", 0) for p in snapshot["provisions"]),
        },
        request=request,
    )
