"""Pages of equally authentic texts: a document's language versions, the side-by-side
view where the pen-holder translates, and the bilingual .docx and PDF (decision 0163)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accord import bidi, fonts
from accord.drafting import access, bilingual, exports
from accord.drafting.language_selectors import aligned_rows, language_versions_of
from accord.drafting.services import languages as services
from accord.errors import NotFound, ValidationFailed
from accord.formstate import FormState, refused

VERSION_FIELDS = {
    services.LANGUAGE_INVALID.code: "language",
    services.LANGUAGE_IS_ORIGINAL.code: "language",
}
NO_SUCH_FORMAT = NotFound.case(
    "language_version.no_such_format",
    _("A bilingual text is exported as .docx, PDF or plain text only."),
)


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


@login_required
def languages(request: HttpRequest, document_id: str) -> HttpResponse:
    """The document's language versions, how complete and current each is; the
    pen-holder adds one."""
    document = access.document_access(request.user, document_id)
    form = FormState()
    status = 200
    if request.method == "POST":
        try:
            version = services.language_version_add(
                actor=request.user,
                document_id=document_id,
                language=request.POST.get("language", ""),
                original_language=request.POST.get("original_language", "en"),
                title=request.POST.get("title", ""),
            )
        except ValidationFailed as error:
            form, status = refused(request.POST, error, VERSION_FIELDS), 422
        else:
            return redirect("drafting:language_version", version_id=version.public_id)
    context = {
        "document": document,
        "versions": [
            (state, _language_name(state.version.language))
            for state in language_versions_of(document)
        ],
        "may_translate": access.may_translate(request.user, document),
        "languages": settings.LANGUAGES,
        "form": form,
    }
    return render(request, "drafting/languages.html", context, status=status)


def _version_context(request: HttpRequest, version_id: str) -> dict[str, object]:
    version = services.language_version_access(request.user, version_id)
    document = version.document
    return {
        "document": document,
        "version": version,
        "rows": aligned_rows(document, version),
        "direction": bidi.language_direction(version.language),
        "original_direction": bidi.language_direction(version.original_language),
        "language_name": _language_name(version.language),
        "original_name": _language_name(version.original_language),
        "may_translate": access.may_translate(request.user, document),
    }


@login_required
@require_safe
def version_detail(request: HttpRequest, version_id: str) -> HttpResponse:
    """The original and the version side by side, provision by provision, each stale or
    missing translation marked, brackets counted on both sides."""
    return render(request, "drafting/language_version.html", _version_context(request, version_id))


@login_required
@require_POST
def provision_translate(request: HttpRequest, version_id: str) -> HttpResponse:
    """Save one provision's wording in the version's language (the pen-holder)."""
    services.provision_translate(
        actor=request.user,
        version_id=version_id,
        provision_wid=request.POST.get("provision", ""),
        text=request.POST.get("text", ""),
        heading=request.POST.get("heading", ""),
    )
    wid = request.POST.get("provision", "")
    return redirect(reverse("drafting:language_version", args=[version_id]) + f"#t-{wid}")


def _rows_for_export(context: dict[str, object]) -> list[bilingual.Row]:
    out = []
    for row in context["rows"]:  # type: ignore[attr-defined]
        p = row.provision
        t = row.translation
        out.append(
            bilingual.Row(
                left=bilingual.Side(p.label or p.num, p.heading, p.text),
                right=bilingual.Side(p.num or p.label, t.heading if t else "", t.text if t else ""),
                stale=row.stale,
            )
        )
    return out


@login_required
@require_safe
def version_export(request: HttpRequest, version_id: str, fmt: str) -> HttpResponse:
    """The bilingual text in two columns: ``docx`` or ``pdf``."""
    if fmt not in ("docx", "pdf", "txt"):
        raise NO_SUCH_FORMAT()
    context = _version_context(request, version_id)
    version = context["version"]
    document = context["document"]
    stale_note = gettext("(translates earlier wording of the original)")
    if fmt == "docx":
        body = bilingual.bilingual_docx(
            title=document.title,  # type: ignore[attr-defined]
            left_language=version.original_language,  # type: ignore[attr-defined]
            right_language=version.language,  # type: ignore[attr-defined]
            left_heading=str(context["original_name"]),
            right_heading=str(context["language_name"]),
            rows=_rows_for_export(context),
            stale_note=stale_note,
            right_title=version.title,  # type: ignore[attr-defined]
        )
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "txt":
        body = bilingual.bilingual_text(
            title=document.title,  # type: ignore[attr-defined]
            left_language=version.original_language,  # type: ignore[attr-defined]
            right_language=version.language,  # type: ignore[attr-defined]
            rows=_rows_for_export(context),
            stale_note=stale_note,
        ).encode()
        content_type = "text/plain; charset=utf-8"
    else:
        html = render_to_string(
            "drafting/bilingual_print.html",
            {
                **context,
                "font_faces": fonts.font_faces_css(),
                "font_family": fonts.family_for(version.language),  # type: ignore[attr-defined]
                "original_family": fonts.family_for(version.original_language),  # type: ignore[attr-defined]
                "stale_note": stale_note,
            },
            request=request,
        )
        body = exports.pdf_from_html(html)
        content_type = "application/pdf"
    name = f"{slugify(document.title) or 'text'}-{version.original_language}-{version.language}"  # type: ignore[attr-defined]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
