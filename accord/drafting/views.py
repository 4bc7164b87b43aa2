"""Pages of the negotiating texts. Every fetch through ``access``, every other read
through ``selectors``, every write a service; refusals rise to the page error handler.

Facilitators edit in place with htmx (a provision's form swaps in, the saved provision
swaps back); every page that shows a text refreshes its parts live from the event feed
(``static/drafting/live.js`` asks for ``document_live`` when an event about the text
arrives). Documents, proposals and referrals are named by their public ids, provisions
by their ``wid``.

This module holds the documents' pages and the helpers every drafting page shares; the
other aggregates have their own modules: ``provision_views``, ``proposal_views``,
``revision_views``, ``referral_views``, ``export_views`` (and ``import_views``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accord import pagination
from accord.drafting import access, brackets, exports, pagehtml, selectors, services
from accord.drafting.models import Document, Proposal, Provision
from accord.drafting.textformat import ImportReport, parse_text
from accord.drafting.tree import text_sha256
from accord.errors import ValidationFailed
from accord.formstate import FormState, refused
from accord.process.access import body_access
from accord.process.selectors import body_list

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

FILE_REQUIRED = ValidationFailed.case(
    "document.import_file_required", _("Choose a .docx or .txt file to import.")
)
FILE_TOO_LARGE = ValidationFailed.case(
    "document.import_file_too_large", _("The file is larger than 20 MB.")
)
NOT_UTF8 = ValidationFailed.case("document.import_not_utf8", _("A text file must be UTF-8."))
NOT_IMPORTED = ValidationFailed.case("document.import_refused", _("The file was not imported."))


# Which field of a form each refusal is about (decision 0076); the rest sit above the form.
FIELDS = {
    "document.title_required": "title",
    "document.status_invalid": "status",
    "document.agreed_only_by_adoption": "status",
    "provision.kind_invalid": "kind",
    "provision.parent_invalid": "parent",
    "provision.after_not_sibling": "after",
    "provision.text_too_long": "text",
    "provision.brackets_invalid": "text",
    "provision.sponsors_invalid": "text",
    "provision.group_invalid": "group",
    "provision.option_invalid": "option",
    "provision.status_invalid": "status",
    "provision.moved_inside_itself": "parent",
    "proposal.kind_invalid": "kind",
    "proposal.justification_required": "justification",
    "proposal.text_required": "text",
    "proposal.target_required": "provision",
    "proposal.reason_required": "reason",
    "proposal.merge_text_required": "text",
    "proposal.decision_invalid": "decision",
    "provision_referral.note_required": "note",
    "provision_referral.decision_required": "decision",
    "document.revision_unchanged": "note",
}
EMPTY = FormState()


def _refused(request: HttpRequest, error: ValidationFailed, *, key: str = "") -> FormState:
    return refused(request.POST, error, FIELDS, key=key)


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _rendered(text: str, colours: dict[str, str]) -> Any:
    try:
        rendered = brackets.footnotes_inline(brackets.render_html(text, colours))
        return mark_safe(rendered)  # noqa: S308 - escaped
    except brackets.BracketError:
        return text


def _rendered_with_notes(text: str, colours: dict[str, str], *, key: str) -> Any:
    """A wording with its footnotes numbered and listed under it (the provision page)."""
    try:
        rendered = brackets.render_html(text, colours)
    except brackets.BracketError:
        return text
    rendered, notes = brackets.footnotes_apart(rendered, key=key)
    foot = brackets.footnotes_list_html(
        notes, key=key, label=escape(gettext("Footnotes")), back=escape(gettext("Back to the text"))
    )
    return mark_safe(rendered + foot)  # noqa: S308 - escaped


def _one_based(value: Any) -> int | None:
    """Forms number bracket groups and options from 1, as the page shows them."""
    number = _int(value)
    return None if number is None else max(number - 1, 0)


def _document_context(request: HttpRequest, document: Document) -> dict[str, Any]:
    actor = request.user
    colours = selectors.sponsor_colours(actor=actor)
    provisions = selectors.provision_list(actor=actor, document=document)
    parties = selectors.party_list(actor=actor)
    pen = access.may_hold_pen(actor, document)
    is_party = access.may_take_part(actor, document)
    html = pagehtml.provisions_html(
        provisions,
        positions=selectors.positions_by_provision(actor=actor, document=document),
        current_sha={p.pk: text_sha256(p.text) for p in provisions},
        context=pagehtml.Context(
            pen=pen,
            is_party=is_party,
            csrf_token=get_token(request),
            colours=colours,
            parties=parties,
        ),
    )
    return {
        "document": document,
        "provisions": provisions,
        "provisions_html": mark_safe(html),  # noqa: S308 - built with html.escape
        "counts": selectors.document_counts(actor=actor, document=document),
        "colours": colours,
        "parties": parties,
        "author": selectors.document_author(actor=actor, document=document),
        "pen": pen,
        "pen_holders": access.pen_holder_codes(document),
        "pen_holder_names": selectors.pen_holder_names(actor=actor, document=document),
        "is_party": is_party,
        "proposal_kinds": Proposal.Kind.choices,
        "kinds": Provision.Kind.choices,
        "series": selectors.revision_series(actor=actor, document=document),
    }


def _list_context(request: HttpRequest, start: FormState = EMPTY) -> dict[str, Any]:
    actor = request.user
    page = pagination.page_of(
        selectors.document_list(actor=actor),
        list_name="texts",
        order=("body__order", "id"),
        cursor=request.GET.get("cursor"),
    )
    documents = page.items
    # Only what the viewer may start: the statuses their role allows, in the bodies they
    # sit in (a duty officer or an operator sits in none: no form at all).
    statuses = [
        (v, label) for v, label in Document.Status.choices if access.may_start_document(actor, v)
    ]
    bodies = (
        [
            b
            for b in body_list(actor=actor)
            if any(access.may_create_document(actor, b, v) for v, _label in statuses)
        ]
        if statuses
        else []
    )
    counts = selectors.bracket_counts_by_body(actor=actor)
    history = selectors.bracket_count_history(actor=actor)
    names = {b.code: b.short_name or b.name for b in body_list(actor=actor)}
    offered = [v for v, _label in statuses]
    default = (
        Document.Status.FACILITATORS_TEXT
        if Document.Status.FACILITATORS_TEXT in offered
        else (offered or [""])[0]
    )
    return {
        "documents": documents,
        "page": page,
        "counts_by_body": [(code, names.get(code, code), n) for code, n in sorted(counts.items())],
        "history": history,
        "chart": _chart(history, names),
        "bodies": bodies,
        "statuses": statuses,
        "start": start,
        "start_status": start.values.get("status") or default,
        "start_body": start.values.get("body", ""),
    }


@login_required
@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    return render(request, "drafting/list.html", _list_context(request))


def _chart(history: list[tuple[Any, str, int]], names: dict[str, str]) -> dict[str, Any]:
    """An SVG line per body: bracket counts across its revisions (oldest left), each
    named by ``names`` (body code to its short name)."""
    per_body: dict[str, list[int]] = {}
    for _day, code, count in history:
        per_body.setdefault(code, []).append(count)
    width, height, pad = 560, 180, 24
    top = max([c for counts in per_body.values() for c in counts] or [1]) or 1
    longest = max([len(c) for c in per_body.values()] or [1])
    palette = ["#1f4e79", "#a05a00", "#1b7a3a", "#7a1f3d", "#5b3a9c", "#3d7a7a"]
    lines = []
    for i, (code, counts) in enumerate(sorted(per_body.items())):
        step = (width - 2 * pad) / max(longest - 1, 1)
        points = [
            (pad + n * step, height - pad - (height - 2 * pad) * c / top)
            for n, c in enumerate(counts)
        ]
        lines.append(
            {
                "code": code,
                "name": names.get(code, code),
                "colour": palette[i % len(palette)],
                "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                "dots": points,
                "last": counts[-1],
            }
        )
    return {"width": width, "height": height, "lines": lines, "top": top, "pad": pad}


def _to_document(document: Document, anchor: str = "") -> HttpResponse:
    url = reverse("drafting:document", args=[document.public_id])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def document_create(request: HttpRequest) -> HttpResponse:
    """Start a text; a refused title or status comes back with what was typed (422)."""
    try:
        document = services.document_create(
            actor=request.user,
            body_code=request.POST.get("body", ""),
            title=request.POST.get("title", ""),
            status=request.POST.get("status") or Document.Status.NON_PAPER,
        )
    except ValidationFailed as error:
        context = _list_context(request, start=_refused(request, error))
        return render(request, "drafting/list.html", context, status=422)
    return _to_document(document)


def _import_report(request: HttpRequest, process_id: int) -> ImportReport:
    upload = request.FILES.get("file")
    if upload is None:
        raise FILE_REQUIRED()
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise FILE_TOO_LARGE()
    data = upload.read()
    parties = access.party_codes(process_id)
    if (upload.name or "").lower().endswith(".docx"):
        return exports.docx_import(data, parties=parties)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NOT_UTF8() from error
    return parse_text(content, parties=parties)


@login_required
@require_POST
def document_import(request: HttpRequest) -> HttpResponse:
    """Import a file; a refused import re-shows what was understood beside the errors."""
    body = body_access(request.user, request.POST.get("body", ""))
    report = None
    try:
        report = _import_report(request, body.process_id)
        if not report.ok:
            raise NOT_IMPORTED()
        document = services.document_import(
            actor=request.user,
            body_code=body.code,
            title=request.POST.get("title", "") or report.title,
            report=report,
            status=request.POST.get("status") or Document.Status.FACILITATORS_TEXT,
        )
    except ValidationFailed as error:
        context = {"report": report, "error": error.message}
        return render(request, "drafting/import_report.html", context, status=422)
    understood = "; ".join(report.understood)
    messages.success(request, gettext("Imported: {understood}").format(understood=understood))
    return _to_document(document)


def _detail_context(
    request: HttpRequest, document: Document, forms: dict[str, FormState] | None = None
) -> dict[str, Any]:
    """The document page; ``forms``: a refused form by name (``propose``,
    ``add_provision``, ``revise``, ``decide``) to show again as it was typed."""
    actor = request.user
    forms = forms or {}
    context = _document_context(request, document)
    # Proposals and revisions newest first, a page each (their own cursor parameters).
    proposals_page = pagination.page_of(
        selectors.proposal_list(actor=actor, document=document),
        list_name=f"proposals:{document.public_id}",
        order=("-proposed_at", "-id"),
        cursor=request.GET.get("proposals"),
    )
    revisions_page = pagination.page_of(
        selectors.revision_list(actor=actor, document=document),
        list_name=f"revisions:{document.public_id}",
        order=("-number", "-id"),
        cursor=request.GET.get("revisions"),
    )
    proposals = proposals_page.items
    decide = forms.get("decide", EMPTY)
    for proposal in proposals:
        proposal.may_withdraw = access.may_withdraw_proposal(actor, proposal)  # type: ignore[attr-defined]
        mine = decide.key == str(proposal.public_id)
        proposal.form = decide if mine else EMPTY  # type: ignore[attr-defined]
        proposal.text_html = _rendered(proposal.text, context["colours"])  # type: ignore[attr-defined]
    context |= {
        "propose": forms.get("propose", EMPTY),
        "add_provision": forms.get("add_provision", EMPTY),
        "revise": forms.get("revise", EMPTY),
        "proposals": proposals,
        "may_decide_proposals": context["pen"],
        "may_adopt": access.may_adopt(actor, document),
        "proposals_page": proposals_page,
        "revisions": revisions_page.items,
        "revisions_page": revisions_page,
        "referrals": selectors.referral_list(actor=actor, document=document),
        "timeline": selectors.document_history(actor=actor, document=document, limit=30),
        "blockers": (
            selectors.adoption_blockers(document, context["provisions"]) if context["pen"] else []
        ),
        "chart": _chart(
            [(None, document.body.code, s + o) for _n, s, o in context["series"]],
            {document.body.code: document.body.short_name or document.body.name},
        ),
    }
    return context


@login_required
@require_safe
def document_detail(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    return render(request, "drafting/document.html", _detail_context(request, document))


def _refused_on_page(
    request: HttpRequest, document: Document, name: str, form: FormState
) -> HttpResponse:
    """The document page again with form ``name`` as typed and its refusal beside the
    field (422). An htmx form gets only itself back, swapped in place of itself."""
    if request.htmx and name == "add_provision":
        context = _detail_context(request, document, {name: form})
        response = render(request, "drafting/_add_provision_form.html", context, status=422)
        response["HX-Retarget"] = "#add-provision-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    context = _detail_context(request, document, {name: form})
    return render(request, "drafting/document.html", context, status=422)


@login_required
@require_safe
def document_live(request: HttpRequest, document_id: str) -> HttpResponse:
    """The parts of the document page that change: counts and the provisions (htmx)."""
    document = access.document_access(request.user, document_id)
    return render(request, "drafting/_text.html", _document_context(request, document))


def _after_write(request: HttpRequest, document: Document, anchor: str = "") -> HttpResponse:
    """After a service accepted: htmx gets the refreshed text, a plain form a redirect."""
    if request.htmx:
        document = access.document_access(request.user, document.public_id)
        return render(request, "drafting/_text.html", _document_context(request, document))
    return _to_document(document, anchor)


@login_required
@require_POST
def document_adopt(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    services.document_adopt(actor=request.user, document_id=document_id)
    return _after_write(request, document)
