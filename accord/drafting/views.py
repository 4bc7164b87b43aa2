"""Pages of the negotiating texts. Every read through ``selectors``, every write a service.

Facilitators edit in place with htmx (a provision's form swaps in, the saved provision
swaps back); every page that shows a text refreshes its parts live from the event feed
(``static/drafting/live.js`` asks for ``document_live`` when an event about the text
arrives).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accord.drafting import brackets, diff, exports, pagehtml, selectors, services
from accord.drafting.models import Document, Proposal, Provision
from accord.drafting.textformat import parse_text, render_text
from accord.errors import AccordError, NotFound, ValidationFailed
from accord.notes.selectors import note_list
from accord.process.selectors import body_get, body_list

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _not_found(request: HttpRequest, error: AccordError) -> HttpResponse:
    return render(request, "drafting/not_found.html", {"message": error.message}, status=404)


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _rendered(provision: Provision, colours: dict[str, str]) -> Any:
    try:
        return mark_safe(brackets.render_html(provision.text, colours))  # noqa: S308 - escaped
    except brackets.BracketError:
        return provision.text


def _one_based(value: Any) -> int | None:
    """Forms number bracket groups and options from 1, as the page shows them."""
    number = _int(value)
    return None if number is None else max(number - 1, 0)


def _document_context(request: HttpRequest, document: Document) -> dict[str, Any]:
    actor = request.user
    colours = selectors.sponsor_colours(actor=actor)
    provisions = selectors.provision_list(actor=actor, document=document)
    parties = selectors.party_list(actor=actor)
    delegation = getattr(actor, "delegation", None)
    pen = services.may_hold_pen(actor, document)
    is_party = bool(delegation and delegation.is_party and not document.frozen)
    html = pagehtml.provisions_html(
        provisions,
        positions=selectors.positions_by_provision(actor=actor, document=document),
        current_sha={p.pk: services.text_sha256(p.text) for p in provisions},
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
        "pen_holders": services.pen_holder_codes(document),
        "is_party": is_party,
        "proposal_kinds": Proposal.Kind.choices,
        "kinds": Provision.Kind.choices,
        "series": selectors.revision_series(actor=actor, document=document),
    }


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    documents = list(selectors.document_list(actor=actor))
    bodies = []
    with contextlib.suppress(NotFound):  # a user outside every process sees no bodies
        bodies = list(body_list(actor=actor))
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


@login_required
@require_POST
def document_create(request: HttpRequest) -> HttpResponse:
    try:
        body = body_get(actor=request.user, code=request.POST.get("body", ""))
        document = services.document_create(
            actor=request.user,
            body=body,
            title=request.POST.get("title", ""),
            status=request.POST.get("status") or Document.Status.FACILITATORS_TEXT,
        )
    except AccordError as error:
        messages.error(request, error.message)
        return redirect("drafting:list")
    return redirect("drafting:document", document_id=document.pk)


@login_required
@require_POST
def document_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    report = None
    try:
        body = body_get(actor=request.user, code=request.POST.get("body", ""))
        if upload is None:
            raise ValidationFailed("Choose a .docx or .txt file to import.")
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationFailed("The file is larger than 20 MB.")
        data = upload.read()
        parties = services.party_codes(body.process_id)
        if (upload.name or "").lower().endswith(".docx"):
            report = exports.docx_import(data, parties=parties)
        else:
            try:
                content = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationFailed("A text file must be UTF-8.") from error
            report = parse_text(content, parties=parties)
        if not report.ok:
            raise ValidationFailed("The file was not imported.")
        document = services.document_import(
            actor=request.user,
            body=body,
            title=request.POST.get("title", "") or report.title,
            report=report,
            status=request.POST.get("status") or Document.Status.FACILITATORS_TEXT,
        )
    except AccordError as error:
        context = {"report": report, "error": error.message}
        return render(request, "drafting/import_report.html", context, status=422)
    messages.success(request, "Imported: " + "; ".join(report.understood))
    return redirect("drafting:document", document_id=document.pk)


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
    except NotFound as error:
        return _not_found(request, error)
    context = _document_context(request, document)
    context |= {
        "proposals": selectors.proposal_list(actor=request.user, document=document),
        "revisions": list(selectors.revision_list(actor=request.user, document=document)),
        "referrals": selectors.referral_list(actor=request.user, document=document),
        "timeline": selectors.document_history(actor=request.user, document=document, limit=30),
        "blockers": (
            services.adoption_blockers(document, context["provisions"]) if context["pen"] else []
        ),
        "chart": _chart([(None, document.body.code, s + o) for _n, s, o in context["series"]]),
    }
    return render(request, "drafting/document.html", context)


@login_required
def document_live(request: HttpRequest, document_id: int) -> HttpResponse:
    """The parts of the document page that change: counts and the provisions (htmx)."""
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
    except NotFound as error:
        return HttpResponse(error.message, status=404)
    return render(request, "drafting/_text.html", _document_context(request, document))


def _provision_or_404(request: HttpRequest, wid: str) -> Provision:
    return selectors.provision_get(actor=request.user, wid=wid)


def _after_write(
    request: HttpRequest, document: Document, action: Callable[[], Any], anchor: str = ""
) -> HttpResponse:
    """Run a service; answer htmx with the refreshed text, a plain form with a redirect."""
    try:
        action()
    except AccordError as error:
        if request.htmx:
            return HttpResponse(error.message, status=error.status)
        messages.error(request, error.message)
    if request.htmx:
        document = selectors.document_get(actor=request.user, document_id=document.pk)
        return render(request, "drafting/_text.html", _document_context(request, document))
    url = reverse("drafting:document", args=[document.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def provision_add(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
        parent_wid = request.POST.get("parent") or ""
        parent = _provision_or_404(request, parent_wid) if parent_wid else None
    except NotFound as error:
        return _not_found(request, error)
    return _after_write(
        request,
        document,
        lambda: services.provision_add(
            actor=request.user,
            document=document,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            heading=request.POST.get("heading", ""),
            parent=parent,
        ),
    )


@login_required
def provision_edit(request: HttpRequest, wid: str) -> HttpResponse:
    """GET: the inline edit form (htmx). POST: save and return the refreshed text."""
    try:
        provision = _provision_or_404(request, wid)
    except NotFound as error:
        return _not_found(request, error)
    document = provision.document
    if request.method == "GET":
        return render(request, "drafting/_provision_form.html", {"p": provision})
    return _after_write(
        request,
        document,
        lambda: services.provision_edit(
            actor=request.user,
            provision=provision,
            text=request.POST.get("text", ""),
            heading=request.POST.get("heading"),
        ),
        anchor=provision.wid,
    )


@login_required
@require_POST
def provision_delete(request: HttpRequest, wid: str) -> HttpResponse:
    try:
        provision = _provision_or_404(request, wid)
    except NotFound as error:
        return _not_found(request, error)
    return _after_write(
        request,
        provision.document,
        lambda: services.provision_delete(actor=request.user, provision=provision),
    )


@login_required
@require_POST
def provision_move(request: HttpRequest, wid: str) -> HttpResponse:
    """Move a provision under the provision labelled ``parent`` (empty: the top level),
    after the one labelled ``after`` (empty: last)."""
    try:
        provision = _provision_or_404(request, wid)
    except NotFound as error:
        return _not_found(request, error)
    document = provision.document

    def act() -> Any:
        parent_label = request.POST.get("parent", "").strip()
        after_label = request.POST.get("after", "").strip()
        parent = (
            selectors.provision_by_label(actor=request.user, document=document, label=parent_label)
            if parent_label
            else None
        )
        after = (
            selectors.provision_by_label(actor=request.user, document=document, label=after_label)
            if after_label
            else None
        )
        return services.provision_move(
            actor=request.user, provision=provision, parent=parent, after=after
        )

    return _after_write(request, document, act, anchor=provision.wid)


@login_required
@require_POST
def provision_status(request: HttpRequest, wid: str) -> HttpResponse:
    try:
        provision = _provision_or_404(request, wid)
    except NotFound as error:
        return _not_found(request, error)
    return _after_write(
        request,
        provision.document,
        lambda: services.provision_status_set(
            actor=request.user, provision=provision, status=request.POST.get("status", "")
        ),
        anchor=provision.wid,
    )


@login_required
@require_POST
def bracket_resolve(request: HttpRequest, wid: str) -> HttpResponse:
    try:
        provision = _provision_or_404(request, wid)
    except NotFound as error:
        return _not_found(request, error)
    keep_raw = request.POST.get("keep", "")
    keep = None if keep_raw in ("", "delete") else _int(keep_raw, -1)
    return _after_write(
        request,
        provision.document,
        lambda: services.bracket_resolve(
            actor=request.user,
            provision=provision,
            group=_int(request.POST.get("group"), -1) or 0,
            keep=keep,
        ),
        anchor=provision.wid,
    )


@login_required
@require_POST
def position_state(request: HttpRequest, wid: str) -> HttpResponse:
    try:
        provision = _provision_or_404(request, wid)
    except NotFound as error:
        return _not_found(request, error)
    return _after_write(
        request,
        provision.document,
        lambda: services.position_state(
            actor=request.user,
            provision=provision,
            stance=request.POST.get("stance", ""),
            comment=request.POST.get("comment", ""),
        ),
        anchor=provision.wid,
    )


@login_required
@require_POST
def proposal_submit(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
        wid = request.POST.get("provision") or ""
        provision = _provision_or_404(request, wid) if wid else None
    except NotFound as error:
        return _not_found(request, error)
    return _after_write(
        request,
        document,
        lambda: services.proposal_submit(
            actor=request.user,
            document=document,
            kind=request.POST.get("kind", ""),
            provision=provision,
            text=request.POST.get("text", ""),
            new_kind=request.POST.get("new_kind", ""),
            group=_one_based(request.POST.get("group")),
            option=_one_based(request.POST.get("option")),
            justification=request.POST.get("justification", ""),
        ),
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    try:
        proposal = selectors.proposal_get(actor=request.user, proposal_id=proposal_id)
    except NotFound as error:
        return _not_found(request, error)
    decision = request.POST.get("decision", "")

    def act() -> Any:
        if decision == "withdraw":
            return services.proposal_withdraw(actor=request.user, proposal=proposal)
        return services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            decision=decision,
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text"),
        )

    return _after_write(request, proposal.document, act, anchor="proposals")


@login_required
@require_POST
def revision_issue(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
    except NotFound as error:
        return _not_found(request, error)
    return _after_write(
        request,
        document,
        lambda: services.revision_issue(
            actor=request.user, document=document, note=request.POST.get("note", "")
        ),
        anchor="revisions",
    )


@login_required
@require_POST
def document_adopt(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
    except NotFound as error:
        return _not_found(request, error)
    return _after_write(
        request, document, lambda: services.document_adopt(actor=request.user, document=document)
    )


@login_required
def document_diff(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
        revisions = list(selectors.revision_list(actor=request.user, document=document))
        if not revisions:
            raise NotFound("This document has no revisions to compare yet.")
        a = _int(request.GET.get("a"), revisions[0].number) or revisions[0].number
        b_raw = request.GET.get("b", "current")
        before = selectors.revision_get(actor=request.user, document=document, number=a).snapshot
        if b_raw == "current":
            after = services.snapshot(document)
        else:
            b_number = _int(b_raw)
            if b_number is None:
                raise NotFound(services.NO_SUCH_REVISION)
            after = selectors.revision_get(
                actor=request.user, document=document, number=b_number
            ).snapshot
    except NotFound as error:
        return _not_found(request, error)
    result = diff.diff_snapshots(before, after)
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


@login_required
def document_export(request: HttpRequest, document_id: int, fmt: str) -> HttpResponse:
    """Export the current text or ``?rev=N`` as docx, pdf, xml (Akoma Ntoso) or txt."""
    try:
        document = selectors.document_get(actor=request.user, document_id=document_id)
        rev = _int(request.GET.get("rev"))
        if rev is not None:
            data = selectors.revision_get(actor=request.user, document=document, number=rev)
            snapshot, label = data.snapshot, f"Rev.{rev}"
        else:
            snapshot, label = services.snapshot(document), "current"
    except NotFound as error:
        return _not_found(request, error)
    colours = selectors.sponsor_colours(actor=request.user)
    name = f"{slugify(document.title) or 'text'}-{label.lower().replace('.', '')}"
    if fmt == "docx":
        positions: dict[str, dict[str, str]] = {}
        if rev is None:
            table = selectors.positions_by_provision(actor=request.user, document=document)
            for p in selectors.provision_list(actor=request.user, document=document):
                positions[p.wid] = {code: pos.stance for code, pos in table.get(p.pk, {}).items()}
        body = exports.docx_export(snapshot, colours=colours, revision=label, positions=positions)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "txt":
        body = render_text(snapshot).encode()
        content_type = "text/plain; charset=utf-8"
    elif fmt == "xml":
        names = {p.code: p.name for p in selectors.party_list(actor=request.user)}
        body = exports.akn_export(
            snapshot, delegations=names, revision=label, body=document.body.code
        )
        content_type = "application/akn+xml"
    elif fmt == "pdf":
        html = _print_html(request, document, snapshot, label, colours)
        body = exports.pdf_from_html(html)
        content_type = "application/pdf"
    else:
        return _not_found(request, NotFound("There is no such export format."))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _print_html(
    request: HttpRequest,
    document: Document,
    snapshot: dict[str, Any],
    label: str,
    colours: dict[str, str],
) -> str:
    from django.template.loader import render_to_string

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
def provision_detail(request: HttpRequest, wid: str) -> HttpResponse:
    """One provision: its wording, positions, proposals, referrals, history and the
    viewer's delegation's internal notes on it."""
    try:
        provision = _provision_or_404(request, wid)
    except NotFound as error:
        return _not_found(request, error)
    document = provision.document
    colours = selectors.sponsor_colours(actor=request.user)
    subject = provision.subject
    context = {
        "document": document,
        "p": provision,
        "html": _rendered(provision, colours),
        "positions": selectors.positions_by_provision(actor=request.user, document=document).get(
            provision.pk, {}
        ),
        "proposals": selectors.proposal_list(actor=request.user, document=document).filter(
            provision_wid=provision.wid
        ),
        "referrals": selectors.referral_list(actor=request.user, document=document).filter(
            provision_wid=provision.wid
        ),
        "timeline": [
            e
            for e in selectors.document_history(actor=request.user, document=document, limit=500)
            if e.subject == subject or e.payload.get("wid") == provision.wid
        ],
        "notes": note_list(actor=request.user, subject=subject),
        "note_subject": subject,
        "pen": services.may_hold_pen(request.user, document),
        "can_refer": document.body.reports_to_id is not None,
    }
    return render(request, "drafting/provision.html", context)


@login_required
@require_POST
def referral_create(request: HttpRequest, wid: str) -> HttpResponse:
    try:
        provision = _provision_or_404(request, wid)
        services.referral_create(
            actor=request.user, provision=provision, note=request.POST.get("note", "")
        )
    except NotFound as error:
        return _not_found(request, error)
    except AccordError as error:
        messages.error(request, error.message)
    return redirect("drafting:provision", wid=wid)


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """What was referred to the bodies the viewer sits on (the HLC's view), and the rest
    the viewer may see."""
    referrals = list(selectors.referral_list(actor=request.user))
    delegation = getattr(request.user, "delegation", None)
    colours = selectors.sponsor_colours(actor=request.user)
    for referral in referrals:
        try:
            referral.html = mark_safe(  # type: ignore[attr-defined]  # noqa: S308 - escaped
                brackets.render_html(referral.text_as_referred, colours)
            )
        except brackets.BracketError:
            referral.html = referral.text_as_referred  # type: ignore[attr-defined]
    context = {
        "referrals": referrals,
        "may_decide": bool(delegation and delegation.is_facilitator),
    }
    return render(request, "drafting/referrals.html", context)


@login_required
@require_POST
def referral_decide(request: HttpRequest, referral_id: int) -> HttpResponse:
    try:
        referral = selectors.referral_get(actor=request.user, referral_id=referral_id)
        services.referral_decide(
            actor=request.user,
            referral=referral,
            decision=request.POST.get("decision", ""),
            text=request.POST.get("text") or None,
        )
    except NotFound as error:
        return _not_found(request, error)
    except AccordError as error:
        messages.error(request, error.message)
    return redirect("drafting:referrals")
