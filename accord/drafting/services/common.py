"""What every drafting service shares: the refusals, the checks, the event, the tree upkeep.

The one-text procedure: the pen-holder (every facilitator delegation unless the document
names others) edits; parties propose, state positions and withdraw their own options;
the pen-holder incorporates, merges or declines each proposal with a reason. Each
service fetches what it acts on through ``drafting.access``, asks its ``may_`` predicate,
validates, writes in one transaction and appends its event with the document's scope.
For a non-paper, events caused by the author's delegation carry no actor and no payload
names the author (the author is recorded once, in a ``NonPaperAuthorRecorded`` event
only the author's delegation and the facilitators see).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Max
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as accounts_access
from accord.drafting import brackets, numbering
from accord.drafting.access import (
    PROVISION_NOT_FOUND,
    may_hold_pen,
    party_codes,
    pen_holder_codes,
)
from accord.drafting.models import Document, Provision
from accord.drafting.tree import tree_order
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.services import NewEvent
from accord.process.models import Delegation

if TYPE_CHECKING:
    from accord.accounts.models import User

MAX_TEXT = 50_000

NEEDS_DELEGATION = PermissionDenied.case(
    "document.needs_delegation",
    _("Only members of a delegation can work on negotiating texts."),
)
NOT_PEN_HOLDER = PermissionDenied.case(
    "document.not_pen_holder",
    _("Only the pen-holder of this document ({holders}) can change its text."),
)
FROZEN = Conflict.case(
    "document.frozen", _("This document was adopted and is frozen: nothing in it can change.")
)
KIND_INVALID = ValidationFailed.case("provision.kind_invalid", _("Unknown provision kind {kind}."))
PARENT_INVALID = ValidationFailed.case(
    "provision.parent_invalid", _("A {kind} cannot be placed under {parent}.")
)
AFTER_INVALID = ValidationFailed.case(
    "provision.after_not_sibling",
    _("The provision to insert after must be under the same parent."),
)
TEXT_TOO_LONG = ValidationFailed.case(
    "provision.text_too_long", _("A provision can hold at most 50,000 characters.")
)
BRACKETS_INVALID = ValidationFailed.case(
    "provision.brackets_invalid",
    _("The brackets do not balance: {reason} at character {position}."),
)
# What ``brackets`` found wrong, as the translated phrase for BRACKETS_INVALID's {reason}
# (the pure module names the problem; only this layer puts it into words).
BRACKET_PROBLEMS = {
    brackets.BracketProblem.UNOPENED: _("a closing bracket has no opening bracket"),
    brackets.BracketProblem.UNCLOSED: _("an opening bracket is never closed"),
    brackets.BracketProblem.TOO_DEEP: format_lazy(
        _("brackets are nested more than {depth} deep"), depth=brackets.MAX_DEPTH
    ),
}


def brackets_invalid_params(error: brackets.BracketError) -> dict[str, object]:
    """BRACKETS_INVALID's placeholders for ``error``: the phrase stays lazy, so it is
    translated with the sentence, in the language active when the refusal is read."""
    return {"reason": BRACKET_PROBLEMS[error.problem], "position": error.position + 1}


SPONSORS_INVALID = ValidationFailed.case(
    "provision.sponsors_invalid",
    _("Options can only be sponsored by parties ({parties}); not by {codes}."),
)
GROUP_INVALID = ValidationFailed.case(
    "provision.group_invalid", _("There is no bracket group {n} in this provision.")
)
OPTION_INVALID = ValidationFailed.case(
    "provision.option_invalid", _("There is no option {n} in that bracket group.")
)


@dataclass
class Placement:
    """Where a new or moved provision goes: under ``parent`` after sibling ``after``."""

    parent: Provision | None = None
    after: Provision | None = None


# --- Checks ------------------------------------------------------------------------------


def delegation_required(actor: User | None) -> Delegation:
    """The delegation ``actor`` acts for; refused without one."""
    delegation = accounts_access.delegation_of(actor)
    if delegation is None:
        raise NEEDS_DELEGATION()
    return delegation


def pen_required(actor: User | None, document: Document) -> Delegation:
    """Refuse unless ``actor`` holds ``document``'s pen now (``access.may_hold_pen``)."""
    delegation = delegation_required(actor)
    if document.frozen:
        raise FROZEN()
    if not may_hold_pen(actor, document):
        raise NOT_PEN_HOLDER(holders=", ".join(pen_holder_codes(document)))
    return delegation


def unfrozen(document: Document) -> Document:
    """``document`` (as locked), refused once it is adopted."""
    if document.frozen:
        raise FROZEN()
    return document


def check_text(text: str, *, process_id: int) -> brackets.Counts:
    """Validate a wording: balanced brackets, sponsors that are parties. Returns its counts."""
    if len(text) > MAX_TEXT:
        raise TEXT_TOO_LONG()
    try:
        counts = brackets.count(text)
    except brackets.BracketError as error:
        raise BRACKETS_INVALID(**brackets_invalid_params(error)) from error
    used = brackets.sponsors(text)
    parties = party_codes(process_id)
    unknown = sorted(used - set(parties))
    if unknown:
        raise SPONSORS_INVALID(parties=", ".join(parties), codes=", ".join(unknown))
    return counts


def group_index(provision: Provision, group: int | None) -> list[brackets.Group]:
    """The bracket groups of ``provision``; refused if ``group`` is not one of them."""
    found = list(brackets.groups(brackets.parse(provision.text)))
    if group is not None and not 0 <= group < len(found):
        raise GROUP_INVALID(n=group + 1)
    return found


def event(
    document: Document,
    *,
    kind: str,
    subject: str,
    actor: User | None,
    payload: dict[str, Any],
    scope: str | None = None,
) -> NewEvent:
    """An event about ``document`` (its public id in the payload). For a non-paper, an
    event its author's delegation caused names no actor."""
    shown_actor = actor
    if (
        document.status == Document.Status.NON_PAPER
        and getattr(actor, "delegation_id", None) == document.author_delegation_id
    ):
        shown_actor = None
    return NewEvent(
        kind=kind,
        subject=subject,
        scope=scope or document.scope,
        payload={"document": str(document.public_id), **payload},
        actor=shown_actor,
        process=document.process,
    )


# --- Tree maintenance --------------------------------------------------------------------


def renumber(document: Document) -> list[Provision]:
    """Recompute every provision's eid, label and num; write only those that changed."""
    ordered = tree_order(
        Provision.objects.filter(document=document).only(
            "id", "wid", "parent_id", "order", "kind", "eid", "label", "num", "written"
        )
    )
    wid_of = {p.pk: p.wid for p in ordered}
    numbers = numbering.number(
        numbering.Node(p.wid, wid_of.get(p.parent_id) if p.parent_id else None, p.kind, p.written)
        for p in ordered
    )
    changed = []
    for p in ordered:
        n = numbers[p.wid]
        if (p.eid, p.label, p.num) != (n.eid, n.label, n.num):
            p.eid, p.label, p.num = n.eid, n.label, n.num
            changed.append(p)
    if changed:
        # One prepared UPDATE executed per row: ``bulk_update``'s CASE expressions cost
        # seconds when a move renumbers thousands of provisions.
        table = connection.ops.quote_name(Provision._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET eid = %s, label = %s, num = %s WHERE id = %s",  # noqa: S608
                [(p.eid, p.label, p.num, p.pk) for p in changed],
            )
    return ordered


def check_placement(document: Document, kind: str, placement: Placement) -> None:
    if kind not in numbering.KINDS:
        raise KIND_INVALID(kind=repr(kind))
    parent = placement.parent
    if parent is not None and parent.document_id != document.pk:
        raise PROVISION_NOT_FOUND()
    if placement.after is not None and (
        placement.after.document_id != document.pk
        or placement.after.parent_id != (parent.pk if parent else None)
    ):
        raise AFTER_INVALID()
    parent_kind = parent.kind if parent else None
    if parent_kind not in numbering.ALLOWED_PARENTS[kind]:
        raise PARENT_INVALID(kind=kind, parent=parent.label if parent else _("the top level"))


def make_room(document: Document, placement: Placement) -> int:
    """The ``order`` for a provision placed per ``placement``, shifting later siblings."""
    siblings = Provision.objects.filter(document=document, parent=placement.parent)
    if placement.after is None:
        top = siblings.aggregate(m=Max("order"))["m"]
        return 0 if top is None else top + 1
    at = placement.after.order + 1
    later = list(siblings.filter(order__gte=at))
    for p in later:
        p.order += 1
    Provision.objects.bulk_update(later, ["order"])
    return at


def set_text(provision: Provision, text: str, *, process_id: int) -> None:
    counts = check_text(text, process_id=process_id)
    provision.text = text
    provision.bracket_spans = counts.spans
    provision.option_sets = counts.option_sets
    if provision.status in (Provision.Status.AGREED, Provision.Status.AGREED_AD_REF):
        # The agreement was on other words: the wording is open again.
        provision.status = Provision.Status.CONVERGING
