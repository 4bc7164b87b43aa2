"""Pages of the negotiating texts. Every fetch through ``access``, every other read
through ``selectors``, every write a service; refusals rise to the page error handler.

Facilitators edit in place with htmx (a provision's form swaps in, the saved provision
swaps back); every page that shows a text refreshes its parts live from the event feed
(``static/drafting/live.js`` asks for ``document_live`` when an event about the text
arrives). Documents, proposals and referrals are named by their public ids, provisions
by their ``wid``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accord import pagination
from accord.compliance.selectors import commitments_for_provision
from accord.drafting import access, brackets, diff, exports, pagehtml, selectors, services
from accord.drafting.models import Document, Proposal, Provision
from accord.drafting.textformat import ImportReport, parse_text, render_text
from accord.drafting.tree import text_sha256
from accord.errors import NotFound, ValidationFailed
from accord.formstate import FormState, refused
from accord.notes.selectors import note_panel
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
NO_REVISIONS = NotFound.case(
    "document.no_revisions", _("This document has no revisions to compare yet.")
)
NO_SUCH_FORMAT = NotFound.case(
    "document.export_format_unknown", _("There is no such export format.")
)


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
        return mark_safe(brackets.render_html(text, colours))  # noqa: S308 - escaped
    except brackets.BracketError:
        return text


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
def provision_add(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    try:
        services.provision_add(
            actor=request.user,
            document_id=document_id,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            heading=request.POST.get("heading", ""),
            parent_id=request.POST.get("parent") or None,
        )
    except ValidationFailed as error:
        return _refused_on_page(request, document, "add_provision", _refused(request, error))
    return _after_write(request, document)


@login_required
def provision_edit(request: HttpRequest, wid: str) -> HttpResponse:
    """GET: the inline edit form (htmx). POST: save and return the refreshed text."""
    provision = access.provision_access(request.user, wid)
    if request.method == "GET":
        return render(request, "drafting/_provision_form.html", {"p": provision, "edit": EMPTY})
    try:
        services.provision_edit(
            actor=request.user,
            provision_id=wid,
            text=request.POST.get("text", ""),
            heading=request.POST.get("heading"),
        )
    except ValidationFailed as error:
        # The form again, in place of itself, with the wording as typed (decision 0076).
        context = {"p": provision, "edit": _refused(request, error)}
        response = render(request, "drafting/_provision_form.html", context, status=422)
        response["HX-Retarget"] = f"#body-{provision.wid}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return _after_write(request, provision.document, anchor=wid)


@login_required
@require_POST
def provision_delete(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    services.provision_delete(actor=request.user, provision_id=wid)
    return _after_write(request, provision.document)


@login_required
@require_POST
def provision_move(request: HttpRequest, wid: str) -> HttpResponse:
    """Move a provision under the provision labelled ``parent`` (empty: the top level),
    after the one labelled ``after`` (empty: last)."""
    provision = access.provision_access(request.user, wid)
    document = provision.document
    wids = {}
    for name in ("parent", "after"):
        label = request.POST.get(name, "").strip()
        wids[name] = (
            selectors.provision_by_label(actor=request.user, document=document, label=label).wid
            if label
            else None
        )
    services.provision_move(
        actor=request.user, provision_id=wid, parent_id=wids["parent"], after_id=wids["after"]
    )
    return _after_write(request, document, anchor=wid)


@login_required
@require_POST
def provision_status(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    services.provision_status_set(
        actor=request.user, provision_id=wid, status=request.POST.get("status", "")
    )
    return _after_write(request, provision.document, anchor=wid)


@login_required
@require_POST
def bracket_resolve(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    keep_raw = request.POST.get("keep", "")
    keep = None if keep_raw in ("", "delete") else _int(keep_raw, -1)
    services.bracket_resolve(
        actor=request.user,
        provision_id=wid,
        group=_int(request.POST.get("group"), -1) or 0,
        keep=keep,
    )
    return _after_write(request, provision.document, anchor=wid)


@login_required
@require_POST
def position_state(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    services.position_state(
        actor=request.user,
        provision_id=wid,
        stance=request.POST.get("stance", ""),
        comment=request.POST.get("comment", ""),
    )
    return _after_write(request, provision.document, anchor=wid)


@login_required
@require_POST
def proposal_submit(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    try:
        services.proposal_submit(
            actor=request.user,
            document_id=document_id,
            kind=request.POST.get("kind", ""),
            provision_id=request.POST.get("provision") or None,
            text=request.POST.get("text", ""),
            new_kind=request.POST.get("new_kind", ""),
            group=_one_based(request.POST.get("group")),
            option=_one_based(request.POST.get("option")),
            justification=request.POST.get("justification", ""),
        )
    except ValidationFailed as error:
        return _refused_on_page(request, document, "propose", _refused(request, error))
    return _after_write(request, document, anchor="proposals")


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = access.proposal_access(request.user, proposal_id)
    decision = request.POST.get("decision", "")
    if decision == "withdraw":
        services.proposal_withdraw(actor=request.user, proposal_id=proposal_id)
    else:
        try:
            services.proposal_decide(
                actor=request.user,
                proposal_id=proposal_id,
                decision=decision,
                reason=request.POST.get("reason", ""),
                text=request.POST.get("text"),
            )
        except ValidationFailed as error:
            form = _refused(request, error, key=str(proposal.public_id))
            return _refused_on_page(request, proposal.document, "decide", form)
    return _after_write(request, proposal.document, anchor="proposals")


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


@login_required
@require_POST
def document_adopt(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    services.document_adopt(actor=request.user, document_id=document_id)
    return _after_write(request, document)


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


def _print_html(
    request: HttpRequest,
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
            html = mark_safe(brackets.render_html(p["text"], colours))  # noqa: S308 - escaped
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


def _provision_context(
    request: HttpRequest, provision: Provision, refer: FormState = EMPTY
) -> dict[str, Any]:
    actor = request.user
    document = provision.document
    colours = selectors.sponsor_colours(actor=actor)
    subject = provision.subject
    proposals = list(
        selectors.proposal_list(actor=actor, document=document).filter(provision_wid=provision.wid)
    )
    for proposal in proposals:
        proposal.text_html = _rendered(proposal.text, colours)  # type: ignore[attr-defined]
    return {
        "document": document,
        "p": provision,
        "html": _rendered(provision.text, colours),
        "positions": selectors.positions_by_provision(actor=actor, document=document).get(
            provision.pk, {}
        ),
        "proposals": proposals,
        "referrals": selectors.referral_list(actor=actor, document=document).filter(
            provision_wid=provision.wid
        ),
        "timeline": [
            e
            for e in selectors.document_history(actor=actor, document=document, limit=500)
            if e.subject == subject or e.payload.get("wid") == provision.wid
        ],
        "notes": note_panel(actor=actor, subject=subject),
        "note_subject": subject,
        "pen": access.may_hold_pen(actor, document),
        "may_refer": access.may_refer(actor, document),
        "refer": refer,
        # The commitments recorded from this provision (issue 17: linked both ways).
        "commitments": commitments_for_provision(actor=actor, wid=provision.wid),
    }


@login_required
@require_safe
def provision_detail(request: HttpRequest, wid: str) -> HttpResponse:
    """One provision: its wording, positions, proposals, referrals, history and the
    viewer's delegation's internal notes on it."""
    provision = access.provision_access(request.user, wid)
    return render(request, "drafting/provision.html", _provision_context(request, provision))


@login_required
@require_POST
def referral_create(request: HttpRequest, wid: str) -> HttpResponse:
    provision = access.provision_access(request.user, wid)
    try:
        services.referral_create(
            actor=request.user, provision_id=wid, note=request.POST.get("note", "")
        )
    except ValidationFailed as error:
        context = _provision_context(request, provision, refer=_refused(request, error))
        return render(request, "drafting/provision.html", context, status=422)
    return redirect("drafting:provision", wid=wid)


def _referrals_context(request: HttpRequest, decide: FormState = EMPTY) -> dict[str, Any]:
    actor = request.user
    page = pagination.page_of(
        selectors.referral_list(actor=actor),
        list_name="referrals",
        order=("-referred_at", "-id"),
        cursor=request.GET.get("cursor"),
    )
    referrals = page.items
    colours = selectors.sponsor_colours(actor=actor)
    for referral in referrals:
        referral.html = _rendered(referral.text_as_referred, colours)  # type: ignore[attr-defined]
        referral.may_decide = access.may_decide_referral(actor, referral)  # type: ignore[attr-defined]
        mine = decide.key == str(referral.public_id)
        referral.form = decide if mine else EMPTY  # type: ignore[attr-defined]
    return {"referrals": referrals, "page": page}


@login_required
@require_safe
def referral_list(request: HttpRequest) -> HttpResponse:
    """What was referred to the bodies the viewer sits on (the HLC's view), and the rest
    the viewer may see."""
    return render(request, "drafting/referrals.html", _referrals_context(request))


@login_required
@require_POST
def referral_decide(request: HttpRequest, referral_id: str) -> HttpResponse:
    try:
        services.referral_decide(
            actor=request.user,
            referral_id=referral_id,
            decision=request.POST.get("decision", ""),
            text=request.POST.get("text") or None,
        )
    except ValidationFailed as error:
        form = _refused(request, error, key=referral_id)
        context = _referrals_context(request, decide=form)
        return render(request, "drafting/referrals.html", context, status=422)
    return redirect("drafting:referrals")
