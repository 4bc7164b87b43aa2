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
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accord.accounts.access import delegation_of
from accord.drafting import access, brackets, diff, exports, pagehtml, selectors, services
from accord.drafting.models import Document, Proposal, Provision
from accord.drafting.textformat import ImportReport, parse_text, render_text
from accord.drafting.tree import text_sha256
from accord.errors import NotFound, ValidationFailed
from accord.notes.selectors import note_list
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
        "is_party": is_party,
        "proposal_kinds": Proposal.Kind.choices,
        "kinds": Provision.Kind.choices,
        "series": selectors.revision_series(actor=actor, document=document),
    }


@login_required
@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    documents = list(selectors.document_list(actor=actor))
    # A user outside every process (an operator) has no bodies to start a text in.
    bodies = list(body_list(actor=actor)) if delegation_of(actor) is not None else []
    counts = selectors.bracket_counts_by_body(actor=actor)
    history = selectors.bracket_count_history(actor=actor)
    context = {
        "documents": documents,
        "counts_by_body": sorted(counts.items()),
        "history": history,
        "chart": _chart(history),
        "bodies": bodies,
        "statuses": [s for s in Document.Status.choices if s[0] != Document.Status.AGREED],
    }
    return render(request, "drafting/list.html", context)


def _chart(history: list[tuple[Any, str, int]]) -> dict[str, Any]:
    """An SVG line per body: bracket counts across its revisions (oldest left)."""
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
    document = services.document_create(
        actor=request.user,
        body_code=request.POST.get("body", ""),
        title=request.POST.get("title", ""),
        status=request.POST.get("status") or Document.Status.FACILITATORS_TEXT,
    )
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


@login_required
@require_safe
def document_detail(request: HttpRequest, document_id: str) -> HttpResponse:
    actor = request.user
    document = access.document_access(actor, document_id)
    context = _document_context(request, document)
    proposals = list(selectors.proposal_list(actor=actor, document=document))
    for proposal in proposals:
        proposal.may_withdraw = access.may_withdraw_proposal(actor, proposal)  # type: ignore[attr-defined]
    context |= {
        "proposals": proposals,
        "may_decide_proposals": context["pen"],
        "may_adopt": access.may_adopt(actor, document),
        "revisions": list(selectors.revision_list(actor=actor, document=document)),
        "referrals": selectors.referral_list(actor=actor, document=document),
        "timeline": selectors.document_history(actor=actor, document=document, limit=30),
        "blockers": (
            selectors.adoption_blockers(document, context["provisions"]) if context["pen"] else []
        ),
        "chart": _chart([(None, document.body.code, s + o) for _n, s, o in context["series"]]),
    }
    return render(request, "drafting/document.html", context)


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
    services.provision_add(
        actor=request.user,
        document_id=document_id,
        kind=request.POST.get("kind", ""),
        text=request.POST.get("text", ""),
        heading=request.POST.get("heading", ""),
        parent_id=request.POST.get("parent") or None,
    )
    return _after_write(request, document)


@login_required
def provision_edit(request: HttpRequest, wid: str) -> HttpResponse:
    """GET: the inline edit form (htmx). POST: save and return the refreshed text."""
    provision = access.provision_access(request.user, wid)
    if request.method == "GET":
        return render(request, "drafting/_provision_form.html", {"p": provision})
    services.provision_edit(
        actor=request.user,
        provision_id=wid,
        text=request.POST.get("text", ""),
        heading=request.POST.get("heading"),
    )
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
    return _after_write(request, document)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = access.proposal_access(request.user, proposal_id)
    decision = request.POST.get("decision", "")
    if decision == "withdraw":
        services.proposal_withdraw(actor=request.user, proposal_id=proposal_id)
    else:
        services.proposal_decide(
            actor=request.user,
            proposal_id=proposal_id,
            decision=decision,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text"),
        )
    return _after_write(request, proposal.document, anchor="proposals")


@login_required
@require_POST
def revision_issue(request: HttpRequest, document_id: str) -> HttpResponse:
    document = access.document_access(request.user, document_id)
    services.revision_issue(
        actor=request.user, document_id=document_id, note=request.POST.get("note", "")
    )
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
    snapshot = _snapshot(request, document, rev)
    label = f"Rev.{rev}" if rev is not None else "current"
    colours = selectors.sponsor_colours(actor=request.user)
    name = f"{slugify(document.title) or 'text'}-{label.lower().replace('.', '')}"
    if fmt == "docx":
        positions: dict[str, dict[str, str]] = {}
        if rev is None:
            table = selectors.positions_by_provision(actor=request.user, document=document)
            for p in selectors.provision_list(actor=request.user, document=document):
                positions[p.wid] = {code: pos.stance for code, pos in table.get(p.pk, {}).items()}
        body = exports.docx_export(snapshot, colours=colours, revision=label, positions=positions)
    elif fmt == "txt":
        body = render_text(snapshot).encode()
    elif fmt == "xml":
        names = {p.code: p.name for p in selectors.party_list(actor=request.user)}
        body = exports.akn_export(
            snapshot, delegations=names, revision=label, body=document.body.code
        )
    else:
        body = exports.pdf_from_html(_print_html(request, document, snapshot, label, colours))
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _print_html(
    request: HttpRequest,
    document: Document,
    snapshot: dict[str, Any],
    label: str,
    colours: dict[str, str],
) -> str:

    rows = []
    for p in snapshot["provisions"]:
        try:
            html = mark_safe(brackets.render_html(p["text"], colours))  # noqa: S308 - escaped
        except brackets.BracketError:
            html = p["text"]
        rows.append({**p, "html": html})
    return render_to_string(
        "drafting/print.html",
        {
            "document": document,
            "rows": rows,
            "label": label,
            "colours": colours,
            "spans": sum(p.get("spans", 0) for p in snapshot["provisions"]),
            "option_sets": sum(p.get("option_sets", 0) for p in snapshot["provisions"]),
        },
        request=request,
    )


@login_required
@require_safe
def provision_detail(request: HttpRequest, wid: str) -> HttpResponse:
    """One provision: its wording, positions, proposals, referrals, history and the
    viewer's delegation's internal notes on it."""
    actor = request.user
    provision = access.provision_access(actor, wid)
    document = provision.document
    colours = selectors.sponsor_colours(actor=actor)
    subject = provision.subject
    context = {
        "document": document,
        "p": provision,
        "html": _rendered(provision.text, colours),
        "positions": selectors.positions_by_provision(actor=actor, document=document).get(
            provision.pk, {}
        ),
        "proposals": selectors.proposal_list(actor=actor, document=document).filter(
            provision_wid=provision.wid
        ),
        "referrals": selectors.referral_list(actor=actor, document=document).filter(
            provision_wid=provision.wid
        ),
        "timeline": [
            e
            for e in selectors.document_history(actor=actor, document=document, limit=500)
            if e.subject == subject or e.payload.get("wid") == provision.wid
        ],
        "notes": note_list(actor=actor, subject=subject),
        "note_subject": subject,
        "pen": access.may_hold_pen(actor, document),
        "may_refer": access.may_refer(actor, document),
    }
    return render(request, "drafting/provision.html", context)


@login_required
@require_POST
def referral_create(request: HttpRequest, wid: str) -> HttpResponse:
    services.referral_create(
        actor=request.user, provision_id=wid, note=request.POST.get("note", "")
    )
    return redirect("drafting:provision", wid=wid)


@login_required
@require_safe
def referral_list(request: HttpRequest) -> HttpResponse:
    """What was referred to the bodies the viewer sits on (the HLC's view), and the rest
    the viewer may see."""
    actor = request.user
    referrals = list(selectors.referral_list(actor=actor))
    colours = selectors.sponsor_colours(actor=actor)
    for referral in referrals:
        referral.html = _rendered(referral.text_as_referred, colours)  # type: ignore[attr-defined]
        referral.may_decide = access.may_decide_referral(actor, referral)  # type: ignore[attr-defined]
    return render(request, "drafting/referrals.html", {"referrals": referrals})


@login_required
@require_POST
def referral_decide(request: HttpRequest, referral_id: str) -> HttpResponse:
    services.referral_decide(
        actor=request.user,
        referral_id=referral_id,
        decision=request.POST.get("decision", ""),
        text=request.POST.get("text") or None,
    )
    return redirect("drafting:referrals")
