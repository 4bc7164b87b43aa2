"""Import: a whole document from a parsed .docx or text file, all or nothing; and the
pen-holder's explicit renumbering of an imported text (its own revision)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.drafting import brackets, numbering
from accord.drafting.access import document_access, party_codes
from accord.drafting.models import Document, Provision, Revision, new_wid
from accord.drafting.services.common import (
    BRACKETS_INVALID,
    KIND_INVALID,
    MAX_TEXT,
    PARENT_INVALID,
    SPONSORS_INVALID,
    TEXT_TOO_LONG,
    brackets_invalid_params,
    event,
    pen_required,
    renumber,
    unfrozen,
)
from accord.drafting.services.documents import document_create
from accord.drafting.services.revisions import revision_make
from accord.drafting.textformat import ImportReport
from accord.errors import ValidationFailed
from accord.events.services import events_append
from accord.process.access import body_access

if TYPE_CHECKING:
    from accord.accounts.models import User

HAS_ERRORS = ValidationFailed.case(
    "document.import_has_errors", _("The import has errors: {errors}")
)
LINE_INVALID = ValidationFailed.case("document.import_line_invalid", _("Line {line}: {problem}"))
NO_PARENT = ValidationFailed.case(
    "document.import_no_parent", _("Line {line}: the provision has no valid parent.")
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
) -> Document:
    """Create a document owned by ``body_code`` from an import (``drafting.textformat``/
    ``exports``); all or nothing.

    Every wording is checked first; the provisions are then written one tree level at a
    time with ``bulk_create`` (a parent's primary key exists before its children).
    """
    if report.errors:
        raise HAS_ERRORS(errors=" ".join(report.errors[:5]))
    body = body_access(actor, body_code)
    counts, depth = _check_items(report, set(party_codes(body.process_id)))
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
        document.import_report = _stored_report(report, wids)
        document.save(update_fields=["import_report"])
        payload = {"provisions": len(rows), "brackets": sum(c.total for c in counts)}
        events_append(
            [
                event(
                    document,
                    kind="DocumentImported",
                    subject=document.subject,
                    actor=actor,
                    payload=payload,
                )
            ]
        )
    return document


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
        Provision.objects.filter(document=document).exclude(written="").update(written="")
        renumber(document)
        return revision_make(document, actor=actor, note=note.strip() or str(RENUMBERED_NOTE))
