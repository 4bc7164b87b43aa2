"""The import page: paste a text or choose a file, preview what Accord reads (a dry run:
nothing is written), then import. The report sits beside the input with every warning,
change and error where it is; a refused import comes back with what was typed (decision
0076), and the chosen rules (tracked changes) as chosen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accord.drafting import access, exports, services
from accord.drafting.models import Document
from accord.drafting.reading import ImportReport, parse_text
from accord.errors import ValidationFailed
from accord.formstate import FormState, refused
from accord.process.access import body_access
from accord.process.selectors import body_list

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NOTHING_GIVEN = ValidationFailed.case(
    "document.import_nothing", _("Paste the text or choose a .docx or .txt file.")
)
TOO_LARGE = ValidationFailed.case("document.import_too_large", _("The file is larger than 20 MB."))
NOT_UTF8 = ValidationFailed.case("document.import_text_not_utf8", _("A text file must be UTF-8."))
NOT_READ = ValidationFailed.case(
    "document.import_not_read", _("Nothing was imported: see the errors beside the text.")
)
FIELDS = {
    "document.import_nothing": "content",
    "document.import_too_large": "file",
    "document.import_text_not_utf8": "file",
    "document.import_not_read": "content",
    "document.title_required": "title",
}


def _report(request: HttpRequest, process_id: int) -> ImportReport:
    parties = access.party_codes(process_id)
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise TOO_LARGE()
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise TOO_LARGE()
        if (upload.name or "").lower().endswith(".docx"):
            accept = request.POST.get("changes") == "accept"
            return exports.docx_import(data, parties=parties, accept_changes=accept)
        try:
            return parse_text(data.decode("utf-8-sig"), parties=parties)
        except UnicodeDecodeError as error:
            raise NOT_UTF8() from error
    content = request.POST.get("content", "")
    if not content.strip():
        raise NOTHING_GIVEN()
    return parse_text(content, parties=parties)


def _context(request: HttpRequest, form: FormState, report: ImportReport | None) -> dict[str, Any]:
    actor = request.user
    return {
        "form": form,
        "report": report,
        "counts": report.counts() if report else None,
        "bodies": [
            b
            for b in body_list(actor=actor)
            if access.may_create_document(actor, b, Document.Status.FACILITATORS_TEXT)
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST with ``preview``: the report of a dry run beside the text as
    typed. POST: import, or the form again (422) with the errors beside the text."""
    if request.method == "GET":
        return render(request, "drafting/import.html", _context(request, FormState(), None))
    report = None
    values = {k: request.POST.get(k, "") for k in ("body", "title", "content", "changes")}
    try:
        body = body_access(request.user, request.POST.get("body", ""))
        report = _report(request, body.process_id)
        if "preview" in request.POST or not report.ok:
            if not report.ok:
                raise NOT_READ()
            form = FormState(values=values)
            return render(request, "drafting/import.html", _context(request, form, report))
        document = services.document_import(
            actor=request.user,
            body_code=body.code,
            title=request.POST.get("title", "") or report.title,
            report=report,
        )
    except ValidationFailed as error:
        form = refused(values, error, FIELDS)
        return render(request, "drafting/import.html", _context(request, form, report), status=422)
    messages.success(
        request,
        gettext("Imported: {understood}").format(understood="; ".join(report.understood)),
    )
    return redirect("drafting:document", document_id=str(document.public_id))


@login_required
@require_http_methods(["POST"])
def document_renumber(request: HttpRequest, document_id: str) -> HttpResponse:
    """The pen-holder renumbers an imported text: its own revision (decision 0127)."""
    revision = services.document_renumber(actor=request.user, document_id=document_id)
    messages.success(
        request,
        gettext("Renumbered: Rev.{number} records the new numbers.").format(number=revision.number),
    )
    return redirect("drafting:document", document_id=document_id)
