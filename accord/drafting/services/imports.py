"""Import: a whole document from a parsed .docx or text file, all or nothing; and the
pen-holder's explicit renumbering of an imported text (its own revision)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.drafting import brackets, numbering
from accord.drafting.access import document_access, party_codes
from accord.drafting.models import Document, Proposal, Provision, Revision, new_wid
from accord.drafting.services.common import (
    BRACKETS_INVALID,
    KIND_INVALID,
    MAX_TEXT,
    PARENT_INVALID,
    SPONSORS_INVALID,
    TEXT_TOO_LONG,
    Placement,
    brackets_invalid_params,
    check_placement,
    check_text,
    event,
    pen_required,
    renumber,
    unfrozen,
)
from accord.drafting.services.documents import document_create
from accord.drafting.services.revisions import revision_make
from accord.drafting.textformat import ImportReport, Notice
from accord.drafting.tree import tree_order
from accord.errors import ValidationFailed
from accord.events.services import events_append
from accord.process.access import body_access
from accord.process.models import Delegation

if TYPE_CHECKING:
    from accord.accounts.models import User

HAS_ERRORS = ValidationFailed.case(
    "document.import_has_errors", _("The import has errors: {errors}")
)
LINE_INVALID = ValidationFailed.case("document.import_line_invalid", _("Line {line}: {problem}"))
NO_PARENT = ValidationFailed.case(
    "document.import_no_parent", _("Line {line}: the provision has no valid parent.")
)


AUTHOR_DELEGATION_INVALID = ValidationFailed.case(
    "document.import_author_delegation_invalid",
    _("Tracked changes can be attributed only to a party's delegation, not to {code}."),
)
TRACKED_JUSTIFICATION = _("A tracked change in the imported Word file.")
TRACKED_NOT_PROPOSED = _(
    "a tracked change by {author} could not become a proposal ({reason}): left out."
)


RENUMBERED_NOTE = _("Renumbered: every provision takes the number of its place.")


def _check_items(
    report: ImportReport, parties: set[str]
) -> tuple[list[brackets.Counts], list[int]]:
    """Every wording's bracket counts and every provision's depth; refused at the first
    line that cannot be imported (the reader has already made every recoverable problem
    a warning, so what is refused here is what no reading can place)."""
    items = report.provisions
    counts: list[brackets.Counts] = []
    depth: list[int] = []
    for item in items:
        if item.kind not in numbering.KINDS:
            raise LINE_INVALID(line=item.line, problem=KIND_INVALID.text(kind=repr(item.kind)))
        if item.parent is not None and not 0 <= item.parent < len(depth):
            raise NO_PARENT(line=item.line)
        parent_kind = items[item.parent].kind if item.parent is not None else None
        if parent_kind not in numbering.ALLOWED_PARENTS[item.kind]:
            problem = PARENT_INVALID.text(
                kind=item.kind, parent=parent_kind or gettext("the top level")
            )
            raise LINE_INVALID(line=item.line, problem=problem)
        if len(item.text) > MAX_TEXT:
            raise LINE_INVALID(line=item.line, problem=TEXT_TOO_LONG.text())
        try:
            counts.append(brackets.count(item.text))
            unknown = brackets.sponsors(item.text) - parties
        except brackets.BracketError as error:
            problem = BRACKETS_INVALID.text(**brackets_invalid_params(error))
            raise LINE_INVALID(line=item.line, problem=problem) from error
        if unknown:
            problem = SPONSORS_INVALID.text(
                parties=", ".join(sorted(parties)), codes=", ".join(sorted(unknown))
            )
            raise LINE_INVALID(line=item.line, problem=problem)
        depth.append(depth[item.parent] + 1 if item.parent is not None else 0)
    return counts, depth


def document_import(
    *,
    actor: User,
    body_code: str,
    title: str,
    report: ImportReport,
    status: str = Document.Status.FACILITATORS_TEXT,
    authors: Mapping[str, str] | None = None,
) -> Document:
    """Create a document owned by ``body_code`` from an import (``drafting.textformat``/
    ``exports``); all or nothing.

    ``authors`` maps the authors of a .docx's tracked changes (``report.tracked``, read
    with ``changes="propose"``) to the code of a party's delegation: each author's
    changes to a provision become one pending proposal of that delegation, with the
    author and date kept (decision 0135); an author left out has their changes rejected.

    Every wording is checked first; the provisions are then written one tree level at a
    time with ``bulk_create`` (a parent's primary key exists before its children).
    """
    if report.errors:
        raise HAS_ERRORS(errors=" ".join(report.errors[:5]))
    body = body_access(actor, body_code)
    counts, depth = _check_items(report, set(party_codes(body.process_id)))
    chosen = {a: code for a, code in (authors or {}).items() if code}
    delegations = {
        d.code: d
        for d in Delegation.objects.filter(
            process_id=body.process_id, kind=Delegation.Kind.PARTY, code__in=set(chosen.values())
        )
    }
    for code in chosen.values():
        if code not in delegations:
            raise AUTHOR_DELEGATION_INVALID(code=code)
    items = report.provisions
    with transaction.atomic():
        created = document_create(
            actor=actor,
            body_code=body_code,
            title=title or report.title or gettext("Imported text"),
            status=status,
        )
        document = document_access(actor, created.public_id, lock=True)
        pen_required(actor, document)
        orders: dict[int | None, int] = {}
        rows: list[Provision] = []
        wids = [new_wid() for _item in items]
        numbers = numbering.number(
            numbering.Node(
                wids[i],
                wids[item.parent] if item.parent is not None else None,
                item.kind,
                item.written,
            )
            for i, item in enumerate(items)
        )
        for index, item in enumerate(items):
            order = orders.get(item.parent, 0)
            orders[item.parent] = order + 1
            number = numbers[wids[index]]
            rows.append(
                Provision(
                    document=document,
                    wid=wids[index],
                    eid=number.eid,
                    label=number.label,
                    num=number.num,
                    written=item.written[:40],
                    order=order,
                    kind=item.kind,
                    heading=item.heading[:300],
                    text=item.text,
                    status=item.status if item.status in Provision.Status.values else "open",
                    bracket_spans=counts[index].spans,
                    option_sets=counts[index].option_sets,
                )
            )
        for level in range(max(depth, default=-1) + 1):
            batch = []
            for index, item in enumerate(items):
                if depth[index] != level:
                    continue
                if item.parent is not None:
                    rows[index].parent = rows[item.parent]
                batch.append(rows[index])
            Provision.objects.bulk_create(batch, batch_size=500)
        proposals, left_out = _tracked_proposals(
            actor, document, report, rows, {a: delegations[c] for a, c in chosen.items()}
        )
        document.import_report = _stored_report(report, wids)
        document.import_report["warnings"].extend(n.as_dict() for n in left_out)
        document.import_report["proposals"] = len(proposals)
        document.save(update_fields=["import_report"])
        payload = {
            "provisions": len(rows),
            "brackets": sum(c.total for c in counts),
            "proposals": len(proposals),
        }
        events_append(
            [
                event(
                    document,
                    kind="DocumentImported",
                    subject=document.subject,
                    actor=actor,
                    payload=payload,
                ),
                *(
                    event(
                        document,
                        kind="ProposalSubmitted",
                        subject=proposal.subject,
                        actor=actor,
                        payload={
                            "proposal": str(proposal.public_id),
                            "kind": proposal.kind,
                            "delegation": proposal.delegation.code,
                            "wid": proposal.provision_wid,
                            "label": proposal.provision.label if proposal.provision else "",
                            "imported": True,
                        },
                    )
                    for proposal in proposals
                ),
            ]
        )
    return document


def _when(date: str) -> dt.datetime | None:
    """A tracked change's date as Word wrote it (``w:date``, ISO 8601), else None."""
    try:
        when = parse_datetime(date) if date else None
    except ValueError:
        return None
    if when is not None and timezone.is_naive(when):
        when = when.replace(tzinfo=dt.UTC)
    return when


def _tracked_proposals(
    actor: User,
    document: Document,
    report: ImportReport,
    rows: list[Provision],
    delegations: Mapping[str, Delegation],
) -> tuple[list[Proposal], list[Notice]]:
    """The proposals the tracked changes of mapped authors become, on the provisions just
    written; a change that cannot be a valid proposal (wording that no longer balances, a
    new provision with no place) is left out and reported, never a reason to refuse."""
    made: list[Proposal] = []
    left_out: list[Notice] = []
    for tracked in report.tracked:
        delegation = delegations.get(tracked.author)
        if delegation is None:
            continue
        provision = rows[tracked.provision] if tracked.provision is not None else None
        when = _when(tracked.date)
        try:
            if tracked.kind in ("replace", "insert"):
                check_text(tracked.text, process_id=document.process_id)
            if tracked.kind == "insert":
                parent = provision.parent if provision is not None else None
                check_placement(document, tracked.new_kind, Placement(parent, provision))
        except ValidationFailed as error:
            left_out.append(
                Notice(
                    tracked.line,
                    provision.label if provision is not None else "",
                    str(TRACKED_NOT_PROPOSED).format(author=tracked.author, reason=error.message),
                    tracked.text[:60],
                )
            )
            continue
        made.append(
            Proposal(
                process_id=document.process_id,
                scope=document.scope,
                document=document,
                provision=provision,
                provision_wid=provision.wid if provision is not None else "",
                kind=tracked.kind,
                text=tracked.text,
                new_kind=tracked.new_kind if tracked.kind == "insert" else "",
                justification=str(TRACKED_JUSTIFICATION),
                delegation=delegation,
                proposed_by=actor,
                source_author=tracked.author[:200],
                source_date=when,
            )
        )
    for proposal in made:  # one by one: each needs its public id for its event
        proposal.save()
    return made, left_out


def _stored_report(report: ImportReport, wids: list[str]) -> dict[str, Any]:
    """What the document keeps of its import: warnings and changes with their place, the
    brackets over ranges of provisions by wid, the footnotes and the adjacency rule."""
    return {
        "warnings": [n.as_dict() for n in report.warnings],
        "changes": [n.as_dict() for n in report.changes],
        "ranges": [{"from": wids[a], "to": wids[b]} for a, b in report.ranges],
        "footnotes": list(report.footnotes),
        "rule": report.rule,
        "counts": report.counts(),
    }


def document_renumber(*, actor: User, document_id: str, note: str = "") -> Revision:
    """The pen-holder renumbers the text: every number kept as written ("2bis", "(g)")
    gives way to the number of its place, and the result is issued as a revision of its
    own, so the renumbering is an explicit, recorded act (decision 0127)."""
    pen_required(actor, document_access(actor, document_id))
    with transaction.atomic():
        document = unfrozen(document_access(actor, document_id, lock=True))
        pen_required(actor, document)
        rows = tree_order(
            Provision.objects.filter(document=document).only(
                "id", "wid", "parent_id", "order", "kind", "written"
            )
        )
        wid_of = {p.pk: p.wid for p in rows}
        kept = numbering.renumbered_written(
            numbering.Node(p.wid, wid_of[p.parent_id] if p.parent_id else None, p.kind, p.written)
            for p in rows
        )
        changed = [p for p in rows if p.written != kept[p.wid]]
        for p in changed:
            p.written = kept[p.wid]
        Provision.objects.bulk_update(changed, ["written"], batch_size=500)
        renumber(document)
        return revision_make(document, actor=actor, note=note.strip() or str(RENUMBERED_NOTE))
