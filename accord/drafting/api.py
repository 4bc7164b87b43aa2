"""API for the negotiating texts: documents, provisions, positions, proposals, revisions,
diffs, referrals, import and export. Fetches through ``access`` (by public id), other
reads through ``selectors``, writes through ``services``; an invisible document answers
404 exactly like a missing one."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from accord import pagination
from accord.drafting import access, diff, exports, selectors, services
from accord.drafting.models import Document, Proposal, Provision, Referral, Revision
from accord.drafting.textformat import parse_text, render_text
from accord.errors import ValidationFailed
from accord.process.access import body_access

router = Router(tags=["drafting"])

NOT_BASE64 = ValidationFailed.case(
    "document.import_not_base64", _("The .docx content must be base64.")
)


class DocumentIn(Schema):
    body: str = Field(description="Code of the owning body, e.g. WG-NUC")
    title: str = Field(min_length=1, max_length=300)
    status: str = Document.Status.FACILITATORS_TEXT
    pen_holders: list[str] = Field(default_factory=list)


class DocumentPatch(Schema):
    title: str | None = Field(default=None, max_length=300)
    status: str | None = None
    pen_holders: list[str] | None = None


class DocumentOut(Schema):
    id: str = Field(description="The document's public id (a UUID)")
    title: str
    body: str
    scope: str
    status: str
    author: str | None = Field(description="Hidden for a non-paper from the other party")
    pen_holders: list[str]
    adopted_at: dt.datetime | None
    brackets: int
    bracketed_spans: int
    option_sets: int


class ProvisionOut(Schema):
    wid: str
    eid: str
    label: str
    num: str
    kind: str
    parent: str | None
    heading: str
    text: str
    status: str
    bracketed_spans: int
    option_sets: int
    positions: dict[str, str]


class DocumentDetailOut(DocumentOut):
    provisions: list[ProvisionOut]


class ProvisionIn(Schema):
    kind: str
    text: str = Field(default="", max_length=services.MAX_TEXT)
    heading: str = Field(default="", max_length=300)
    parent: str | None = Field(default=None, description="wid of the parent provision")
    after: str | None = Field(default=None, description="wid of the sibling to follow")


class ProvisionPatch(Schema):
    text: str | None = Field(default=None, max_length=services.MAX_TEXT)
    heading: str | None = Field(default=None, max_length=300)
    status: str | None = None


class MoveIn(Schema):
    parent: str | None = None
    after: str | None = None


class ResolveIn(Schema):
    group: int = Field(ge=0, description="Bracket group, 0-based in reading order")
    keep: int | None = Field(default=None, ge=0, description="Option to keep; null deletes")


class OptionIn(Schema):
    group: int | None = Field(default=None, ge=0)
    text: str = Field(min_length=1, max_length=services.MAX_TEXT)
    sponsors: list[str] = Field(min_length=1)


class PositionIn(Schema):
    stance: Literal["accept", "ad_referendum", "reserve", "reject"]
    comment: str = Field(default="", max_length=5000)


class ProposalIn(Schema):
    kind: Literal["insert", "replace", "delete", "add_option", "withdraw_option"]
    provision: str | None = Field(default=None, description="wid (for insert: insert after)")
    text: str = Field(default="", max_length=services.MAX_TEXT)
    new_kind: str = ""
    group: int | None = Field(default=None, ge=0)
    option: int | None = Field(default=None, ge=0)
    justification: str = Field(min_length=1, max_length=10_000)


class DecisionIn(Schema):
    decision: Literal["incorporate", "merge", "decline"]
    reason: str = Field(default="", max_length=10_000)
    text: str | None = Field(default=None, max_length=services.MAX_TEXT)


class ProposalOut(Schema):
    id: str = Field(description="The proposal's public id (a UUID)")
    document: str
    provision: str
    kind: str
    text: str
    group: int | None
    option: int | None
    justification: str
    delegation: str
    state: str
    reason: str
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    source_author: str = Field(
        default="", description="The author of the Word tracked change it was imported from"
    )
    source_date: dt.datetime | None = Field(
        default=None, description="The date of that tracked change, as Word recorded it"
    )


class RevisionIn(Schema):
    note: str = Field(default="", max_length=2000)


class RevisionOut(Schema):
    id: str = Field(description="The revision's public id (a UUID)")
    number: int = Field(description="Its number within its document (Rev. N)")
    issued_at: dt.datetime
    note: str
    bracketed_spans: int
    option_sets: int


class RevisionDetailOut(RevisionOut):
    snapshot: dict[str, Any]


class ReferralIn(Schema):
    note: str = Field(min_length=1, max_length=10_000)


class ReferralDecisionIn(Schema):
    decision: str = Field(min_length=1, max_length=10_000)
    text: str | None = Field(default=None, max_length=services.MAX_TEXT)


class ReferralOut(Schema):
    id: str = Field(description="The referral's public id (a UUID)")
    document: str
    provision: str
    label: str
    text_as_referred: str
    from_body: str
    to_body: str
    note: str
    state: str
    decision: str
    referred_at: dt.datetime
    decided_at: dt.datetime | None


class ImportIn(Schema):
    body: str
    title: str = Field(default="", max_length=300)
    status: str = Document.Status.FACILITATORS_TEXT
    format: Literal["txt", "docx"] = "txt"
    content: str = Field(
        min_length=1, max_length=30_000_000, description="The text, or base64 of a .docx"
    )
    dry_run: bool = Field(default=False, description="Only report what would be imported")
    accept_changes: bool = Field(
        default=False,
        description="A .docx's tracked changes: accept them all (default: reject them all); "
        "each is listed in ``changes`` either way",
    )
    authors: dict[str, str] = Field(
        default_factory=dict,
        description="A .docx's tracked changes as proposals (decision 0135): each author's "
        "name (as in ``authors`` of a dry run) to the code of a party's delegation; the text "
        "is then the text before the changes, and each mapped author's changes to a "
        "provision one pending proposal of that delegation",
    )


class NoticeOut(Schema):
    line: int
    provision: str
    message: str
    context: str


class ErrorOut(Schema):
    line: int | None
    message: str


class ImportOut(Schema):
    document: str | None = Field(description="The new text's public id; null on a dry run")
    provisions: int
    brackets: int = Field(description="Every [ … ] pair, nested ones included")
    bracketed_spans: int
    option_sets: int
    footnotes: int
    ranges: int = Field(description="Brackets over a range of provisions")
    rule: str = Field(description="The rule that tells alternatives from separate spans")
    understood: list[str]
    warnings: list[NoticeOut] = Field(description="Recoverable problems, each where it is")
    changes: list[NoticeOut] = Field(description="Every transformation and guess made")
    authors: dict[str, int] = Field(
        default_factory=dict, description="A .docx's tracked changes: how many per author"
    )
    errors: list[ErrorOut]


def _document_out(
    request: HttpRequest, document: Document, *, known: dict[int, list[str]] | None = None
) -> dict[str, Any]:
    """One text. From a list (``selectors.document_list``), its bracket counts come
    annotated, and the default pen-holders are read once per process (``known``)."""
    if hasattr(document, "spans"):
        spans, sets = document.spans or 0, document.sets or 0  # type: ignore[attr-defined]
        counts = {"spans": spans, "option_sets": sets, "total": spans + sets}
    else:
        counts = selectors.document_counts(actor=request.user, document=document)
    author = selectors.document_author(actor=request.user, document=document)
    return {
        "id": str(document.public_id),
        "title": document.title,
        "body": document.body.code,
        "scope": document.scope,
        "status": document.status,
        "author": author.code if author else None,
        "pen_holders": access.pen_holder_codes(document, known=known),
        "adopted_at": document.adopted_at,
        "brackets": counts["total"],
        "bracketed_spans": counts["spans"],
        "option_sets": counts["option_sets"],
    }


def _provision_out(p: Provision, parent_wid: str | None, positions: dict[str, Any]) -> dict:
    return {
        "wid": p.wid,
        "eid": p.eid,
        "label": p.label,
        "num": p.num,
        "kind": p.kind,
        "parent": parent_wid,
        "heading": p.heading,
        "text": p.text,
        "status": p.status,
        "bracketed_spans": p.bracket_spans,
        "option_sets": p.option_sets,
        "positions": {code: pos.stance for code, pos in positions.items()},
    }


def _proposal_out(p: Proposal) -> dict[str, Any]:
    return {
        "id": str(p.public_id),
        "document": str(p.document.public_id),
        "provision": p.provision_wid,
        "kind": p.kind,
        "text": p.text,
        "group": p.group,
        "option": p.option,
        "justification": p.justification,
        "delegation": p.delegation.code,
        "state": p.state,
        "reason": p.reason,
        "proposed_at": p.proposed_at,
        "decided_at": p.decided_at,
        "source_author": p.source_author,
        "source_date": p.source_date,
    }


def _referral_out(r: Referral) -> dict[str, Any]:
    return {
        "id": str(r.public_id),
        "document": str(r.document.public_id),
        "provision": r.provision_wid,
        "label": r.provision_label,
        "text_as_referred": r.text_as_referred,
        "from_body": r.from_body.code,
        "to_body": r.to_body.code,
        "note": r.note,
        "state": r.state,
        "decision": r.decision,
        "referred_at": r.referred_at,
        "decided_at": r.decided_at,
    }


def _revision_out(r: Revision, *, snapshot: bool = False) -> dict[str, Any]:
    out = {
        "id": str(r.public_id),
        "number": r.number,
        "issued_at": r.issued_at,
        "note": r.note,
        "bracketed_spans": r.bracket_spans,
        "option_sets": r.option_sets,
    }
    if snapshot:
        out["snapshot"] = r.snapshot
    return out


def _provision_detail(request: HttpRequest, wid: str) -> dict[str, Any]:
    provision = access.provision_access(request.user, wid)
    positions = selectors.positions_by_provision(actor=request.user, document=provision.document)
    parent = provision.parent.wid if provision.parent else None
    return _provision_out(provision, parent, positions.get(provision.pk, {}))


def _snapshot(request: HttpRequest, document: Document, number: int | None) -> dict[str, Any]:
    if number is None:
        return selectors.document_snapshot(document)
    return selectors.revision_get(actor=request.user, document=document, number=number).snapshot


@router.get("/documents", response=list[DocumentOut], summary=_("Texts you may see"))
def document_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    body: str | None = None,
):
    documents = selectors.document_list(actor=request.user, body_code=body)
    known: dict[int, list[str]] = {}
    return [
        _document_out(request, d, known=known)
        for d in pagination.api_page(
            request,
            response,
            documents,
            page=page,
            list_name="documents",
            order=("body__order", "id"),
        )
    ]


@router.post("/documents", response={201: DocumentOut}, summary=_("Start a text"))
def document_create(request: HttpRequest, data: DocumentIn):
    document = services.document_create(
        actor=request.user,
        body_code=data.body,
        title=data.title,
        status=data.status,
        pen_holders=data.pen_holders,
    )
    return Status(201, _document_out(request, document))


@router.get("/documents/{document_id}", response=DocumentDetailOut, summary=_("A text"))
def document_detail(request: HttpRequest, document_id: str):
    document = access.document_access(request.user, document_id)
    provisions = selectors.provision_list(actor=request.user, document=document)
    positions = selectors.positions_by_provision(actor=request.user, document=document)
    wid_of = {p.pk: p.wid for p in provisions}
    out = _document_out(request, document)
    out["provisions"] = [
        _provision_out(p, wid_of.get(p.parent_id), positions.get(p.pk, {})) for p in provisions
    ]
    return out


@router.patch("/documents/{document_id}", response=DocumentOut, summary=_("Retitle, restatus"))
def document_update(request: HttpRequest, document_id: str, data: DocumentPatch):
    document = services.document_update(
        actor=request.user,
        document_id=document_id,
        title=data.title,
        status=data.status,
        pen_holders=data.pen_holders,
    )
    return _document_out(request, document)


@router.post("/documents/{document_id}/provisions", response={201: ProvisionOut})
def provision_add(request: HttpRequest, document_id: str, data: ProvisionIn):
    provision = services.provision_add(
        actor=request.user,
        document_id=document_id,
        kind=data.kind,
        text=data.text,
        heading=data.heading,
        parent_id=data.parent,
        after_id=data.after,
    )
    return Status(201, _provision_out(provision, data.parent, {}))


@router.get("/provisions/{wid}", response=ProvisionOut, summary=_("A provision by its wid"))
def provision_detail(request: HttpRequest, wid: str):
    return _provision_detail(request, wid)


@router.patch("/provisions/{wid}", response=ProvisionOut, summary=_("Amend wording or status"))
def provision_update(request: HttpRequest, wid: str, data: ProvisionPatch):
    access.provision_access(request.user, wid)
    if data.text is not None or data.heading is not None:
        services.provision_edit(
            actor=request.user, provision_id=wid, text=data.text, heading=data.heading
        )
    if data.status is not None:
        services.provision_status_set(actor=request.user, provision_id=wid, status=data.status)
    return _provision_detail(request, wid)


@router.post("/provisions/{wid}/move", response=ProvisionOut)
def provision_move(request: HttpRequest, wid: str, data: MoveIn):
    services.provision_move(
        actor=request.user, provision_id=wid, parent_id=data.parent, after_id=data.after
    )
    return _provision_detail(request, wid)


@router.delete("/provisions/{wid}", response={204: None})
def provision_delete(request: HttpRequest, wid: str):
    services.provision_delete(actor=request.user, provision_id=wid)
    return Status(204, None)


@router.post("/provisions/{wid}/resolve", response=ProvisionOut, summary=_("Clean a bracket"))
def bracket_resolve(request: HttpRequest, wid: str, data: ResolveIn):
    services.bracket_resolve(actor=request.user, provision_id=wid, group=data.group, keep=data.keep)
    return _provision_detail(request, wid)


@router.post("/provisions/{wid}/options", response=ProvisionOut, summary=_("Add an option"))
def option_add(request: HttpRequest, wid: str, data: OptionIn):
    services.option_add(
        actor=request.user,
        provision_id=wid,
        group=data.group,
        text=data.text,
        sponsors=data.sponsors,
    )
    return _provision_detail(request, wid)


@router.put("/provisions/{wid}/position", response=ProvisionOut, summary=_("State a position"))
def position_state(request: HttpRequest, wid: str, data: PositionIn):
    services.position_state(
        actor=request.user, provision_id=wid, stance=data.stance, comment=data.comment
    )
    return _provision_detail(request, wid)


@router.get("/documents/{document_id}/proposals", response=list[ProposalOut])
def proposal_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    document_id: str,
    state: str | None = None,
):
    document = access.document_access(request.user, document_id)
    proposals = selectors.proposal_list(actor=request.user, document=document, state=state)
    return [
        _proposal_out(p)
        for p in pagination.api_page(
            request,
            response,
            proposals,
            page=page,
            list_name=f"proposals:{document_id}",
            order=("-proposed_at", "-id"),
        )
    ]


@router.post("/documents/{document_id}/proposals", response={201: ProposalOut})
def proposal_submit(request: HttpRequest, document_id: str, data: ProposalIn):
    proposal = services.proposal_submit(
        actor=request.user,
        document_id=document_id,
        kind=data.kind,
        provision_id=data.provision,
        text=data.text,
        new_kind=data.new_kind,
        group=data.group,
        option=data.option,
        justification=data.justification,
    )
    return Status(201, _proposal_out(proposal))


@router.post("/proposals/{proposal_id}/decision", response=ProposalOut)
def proposal_decide(request: HttpRequest, proposal_id: str, data: DecisionIn):
    proposal = services.proposal_decide(
        actor=request.user,
        proposal_id=proposal_id,
        decision=data.decision,
        reason=data.reason,
        text=data.text,
    )
    return _proposal_out(proposal)


@router.post("/proposals/{proposal_id}/withdraw", response=ProposalOut)
def proposal_withdraw(request: HttpRequest, proposal_id: str):
    return _proposal_out(services.proposal_withdraw(actor=request.user, proposal_id=proposal_id))


@router.post("/documents/{document_id}/adopt", response=DocumentOut, summary=_("Adopt (NAEUEA)"))
def document_adopt(request: HttpRequest, document_id: str):
    document = services.document_adopt(actor=request.user, document_id=document_id)
    return _document_out(request, document)


@router.get("/documents/{document_id}/revisions", response=list[RevisionOut])
def revision_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    document_id: str,
):
    document = access.document_access(request.user, document_id)
    revisions = selectors.revision_list(actor=request.user, document=document)
    return [
        _revision_out(r)
        for r in pagination.api_page(
            request,
            response,
            revisions,
            page=page,
            list_name=f"revisions:{document_id}",
            order=("number", "id"),
        )
    ]


@router.post("/documents/{document_id}/revisions", response={201: RevisionOut})
def revision_issue(request: HttpRequest, document_id: str, data: RevisionIn):
    revision = services.revision_issue(actor=request.user, document_id=document_id, note=data.note)
    return Status(201, _revision_out(revision))


@router.get("/documents/{document_id}/revisions/{number}", response=RevisionDetailOut)
def revision_detail(request: HttpRequest, document_id: str, number: int):
    document = access.document_access(request.user, document_id)
    revision = selectors.revision_get(actor=request.user, document=document, number=number)
    return _revision_out(revision, snapshot=True)


@router.get("/revisions/{revision_id}", response=RevisionDetailOut, summary=_("A revision"))
def revision_by_id(request: HttpRequest, revision_id: str):
    return _revision_out(access.revision_access(request.user, revision_id), snapshot=True)


@router.get("/documents/{document_id}/diff", summary=_("Compare two revisions (b='current' ok)"))
def document_diff(request: HttpRequest, document_id: str, a: int, b: str = "current"):
    document = access.document_access(request.user, document_id)
    before = _snapshot(request, document, a)
    number = None
    if b != "current":
        try:
            number = int(b)
        except ValueError as error:
            raise access.REVISION_NOT_FOUND() from error
    result = diff.diff_snapshots(before, _snapshot(request, document, number))
    return {
        "brackets_before": result.brackets_before,
        "brackets_after": result.brackets_after,
        "entries": [asdict(e) for e in result.entries if e.interesting],
    }


@router.post("/provisions/{wid}/referral", response={201: ReferralOut})
def referral_create(request: HttpRequest, wid: str, data: ReferralIn):
    referral = services.referral_create(actor=request.user, provision_id=wid, note=data.note)
    return Status(201, _referral_out(referral))


@router.get("/referrals", response=list[ReferralOut], summary=_("Referrals you may see"))
def referral_list(
    request: HttpRequest,
    response: HttpResponse,
    page: Query[pagination.PageQuery],
    to_body: str | None = None,
):
    referrals = selectors.referral_list(actor=request.user, to_body_code=to_body)
    return [
        _referral_out(r)
        for r in pagination.api_page(
            request,
            response,
            referrals,
            page=page,
            list_name="referrals",
            order=("-referred_at", "-id"),
        )
    ]


@router.post("/referrals/{referral_id}/decision", response=ReferralOut)
def referral_decide(request: HttpRequest, referral_id: str, data: ReferralDecisionIn):
    referral = services.referral_decide(
        actor=request.user, referral_id=referral_id, decision=data.decision, text=data.text
    )
    return _referral_out(referral)


@router.get("/counts", summary=_("Open brackets per body, over texts you may see"))
def counts(request: HttpRequest):
    return {
        "by_body": selectors.bracket_counts_by_body(actor=request.user),
        "history": [
            {"date": day, "body": code, "brackets": n}
            for day, code, n in selectors.bracket_count_history(actor=request.user)
        ],
    }


@router.post("/import", response={201: ImportOut, 200: ImportOut, 422: ImportOut})
def document_import(request: HttpRequest, data: ImportIn):
    body = body_access(request.user, data.body)
    parties = access.party_codes(body.process_id)
    if data.format == "docx":
        try:
            raw = base64.b64decode(data.content, validate=True)
        except (binascii.Error, ValueError) as error:
            raise NOT_BASE64() from error
        changes = "propose" if data.authors else ("accept" if data.accept_changes else "reject")
        report = exports.docx_import(raw, parties=parties, changes=changes)
    else:
        report = parse_text(data.content, parties=parties)
    if not report.ok:
        return Status(422, report.summary(None))
    if data.dry_run:
        return Status(200, report.summary(None))
    document = services.document_import(
        actor=request.user,
        body_code=body.code,
        title=data.title or report.title,
        report=report,
        status=data.status,
        authors=data.authors,
    )
    return Status(201, report.summary(str(document.public_id)))


@router.post(
    "/documents/{document_id}/renumber",
    response={201: RevisionOut},
    summary=_("Renumber the text (numbers kept as written give way); issues a revision"),
)
def document_renumber(request: HttpRequest, document_id: str, data: RevisionIn):
    revision = services.document_renumber(
        actor=request.user, document_id=document_id, note=data.note
    )
    return Status(201, _revision_out(revision))


@router.get(
    "/documents/{document_id}/export.akn",
    summary=_("Akoma Ntoso 3.0 XML, valid against the official schema (?rev=N)"),
)
def export_akn(request: HttpRequest, document_id: str, rev: int | None = None):
    document = access.document_access(request.user, document_id)
    snapshot = _snapshot(request, document, rev)
    names = {code: code for code in access.party_codes(document.process_id)}
    xml = exports.akn_export(
        snapshot,
        delegations=names,
        revision=f"Rev.{rev}" if rev else "",
        body=document.body.code,
        document_id=str(document.public_id),
    )
    return HttpResponse(xml, content_type="application/akn+xml")


@router.get(
    "/documents/{document_id}/export.redline",
    summary=_("Word with tracked changes from Rev. AGAINST to Rev. N (?rev=N, else the text)"),
)
def export_redline(request: HttpRequest, document_id: str, against: int, rev: int | None = None):
    document = access.document_access(request.user, document_id)
    old = _snapshot(request, document, against)
    new = _snapshot(request, document, rev)
    author = f"Rev.{rev}" if rev else gettext("current text")
    body = exports.redline_docx(
        old, new, author=author, date=timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    response = HttpResponse(
        body,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{document.public_id}-redline.docx"'
    return response


@router.get("/documents/{document_id}/export.txt", summary=_("Plain text (?rev=N)"))
def export_text(request: HttpRequest, document_id: str, rev: int | None = None):
    document = access.document_access(request.user, document_id)
    snapshot = _snapshot(request, document, rev)
    return HttpResponse(render_text(snapshot), content_type="text/plain; charset=utf-8")
