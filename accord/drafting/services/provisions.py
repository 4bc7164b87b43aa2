"""Provisions: the pen-holder adds, amends, moves, deletes and restatuses them, cleans
bracket groups and adds options.

Every change locks the document first (its provisions are renumbered as one tree), then
the provision, and re-checks the pen on the locked document. The ``*_locked`` helpers
do one change on rows the caller has locked; proposals and referrals reuse them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accord.drafting import brackets
from accord.drafting.access import document_access, provision_access
from accord.drafting.models import Document, Provision
from accord.drafting.services.common import (
    OPTION_INVALID,
    Placement,
    check_placement,
    check_text,
    event,
    group_index,
    make_room,
    pen_required,
    renumber,
    set_text,
)
from accord.errors import ValidationFailed
from accord.events.services import events_append

if TYPE_CHECKING:
    from accord.accounts.models import User

STATUS_INVALID = ValidationFailed.case(
    "provision.status_invalid", _("Unknown provision status {status}.")
)
INSIDE_ITSELF = ValidationFailed.case(
    "provision.moved_inside_itself", _("A provision cannot be moved inside itself.")
)


def locked_pair(actor: User, wid: str) -> tuple[Document, Provision]:
    """The document (locked, pen checked) and provision ``wid`` (locked, as committed now).

    Precondition: inside ``transaction.atomic``."""
    document_id = provision_access(actor, wid).document.public_id
    document = document_access(actor, document_id, lock=True)
    pen_required(actor, document)
    provision = provision_access(actor, wid, lock=True)
    provision.document = document
    return document, provision


def _placement(actor: User, parent_id: str | None, after_id: str | None) -> Placement:
    parent = provision_access(actor, parent_id) if parent_id else None
    after = provision_access(actor, after_id) if after_id else None
    return Placement(parent=parent, after=after)


def _amended(provision: Provision, before: int, **extra: Any) -> dict[str, Any]:
    return {
        "wid": provision.wid,
        "label": provision.label,
        "brackets_before": before,
        "brackets": provision.brackets,
        **extra,
    }


def insert_locked(
    actor: User, document: Document, *, kind: str, text: str, heading: str, placement: Placement
) -> Provision:
    """Insert a provision into ``document`` (locked) per ``placement``; renumber; event."""
    check_placement(document, kind, placement)
    provision = Provision(
        document=document,
        parent=placement.parent,
        kind=kind,
        heading=(heading or "").strip()[:300],
    )
    set_text(provision, text, process_id=document.process_id)
    provision.order = make_room(document, placement)
    provision.save()
    renumber(document)
    provision.refresh_from_db()
    payload = {"wid": provision.wid, "label": provision.label, "brackets": provision.brackets}
    events_append(
        [
            event(
                document,
                kind="ProvisionAdded",
                subject=provision.subject,
                actor=actor,
                payload=payload,
            )
        ]
    )
    return provision


def provision_add(
    *,
    actor: User,
    document_id: str,
    kind: str,
    text: str = "",
    heading: str = "",
    parent_id: str | None = None,
    after_id: str | None = None,
) -> Provision:
    """Add a provision under ``parent_id`` (a wid; top level if None), after the sibling
    ``after_id`` (or last)."""
    with transaction.atomic():
        document = document_access(actor, document_id, lock=True)
        pen_required(actor, document)
        placement = _placement(actor, parent_id, after_id)
        return insert_locked(
            actor, document, kind=kind, text=text, heading=heading, placement=placement
        )


def edit_locked(
    actor: User,
    document: Document,
    provision: Provision,
    *,
    text: str | None = None,
    heading: str | None = None,
    **extra: Any,
) -> Provision:
    """Change the wording and/or heading of ``provision`` (locked, in ``document``)."""
    before = provision.brackets
    if text is not None:
        set_text(provision, text, process_id=document.process_id)
    if heading is not None:
        provision.heading = heading.strip()[:300]
    provision.save()
    events_append(
        [
            event(
                document,
                kind="ProvisionAmended",
                subject=provision.subject,
                actor=actor,
                payload=_amended(provision, before, **extra),
            )
        ]
    )
    return provision


def provision_edit(
    *, actor: User, provision_id: str, text: str | None = None, heading: str | None = None
) -> Provision:
    """Change a provision's wording and/or heading (the pen-holder)."""
    with transaction.atomic():
        document, provision = locked_pair(actor, provision_id)
        return edit_locked(actor, document, provision, text=text, heading=heading)


def provision_move(
    *, actor: User, provision_id: str, parent_id: str | None, after_id: str | None = None
) -> Provision:
    """Move a provision (with its children) under ``parent_id`` after ``after_id`` (wids)."""
    with transaction.atomic():
        document, provision = locked_pair(actor, provision_id)
        placement = _placement(actor, parent_id, after_id)
        check_placement(document, provision.kind, placement)
        ancestor = placement.parent
        while ancestor is not None:
            if ancestor.pk == provision.pk:
                raise INSIDE_ITSELF()
            ancestor = ancestor.parent
        before = provision.label
        provision.parent = placement.parent
        provision.order = make_room(document, placement)
        provision.save(update_fields=["parent", "order"])
        renumber(document)
        provision.refresh_from_db()
        payload = {"wid": provision.wid, "label_before": before, "label": provision.label}
        events_append(
            [
                event(
                    document,
                    kind="ProvisionMoved",
                    subject=provision.subject,
                    actor=actor,
                    payload=payload,
                )
            ]
        )
    return provision


def delete_locked(actor: User, document: Document, provision: Provision) -> None:
    """Delete ``provision`` (and everything under it) from ``document`` (locked)."""
    label, wid = provision.label, provision.wid
    Provision.objects.filter(pk=provision.pk).delete()
    renumber(document)
    events_append(
        [
            event(
                document,
                kind="ProvisionDeleted",
                subject=f"provision:{wid}",
                actor=actor,
                payload={"wid": wid, "label": label},
            )
        ]
    )


def provision_delete(*, actor: User, provision_id: str) -> None:
    """Delete a provision and everything under it; revisions keep the old wording."""
    with transaction.atomic():
        document, provision = locked_pair(actor, provision_id)
        delete_locked(actor, document, provision)


def provision_status_set(*, actor: User, provision_id: str, status: str) -> Provision:
    """Record where a provision stands: open, converging, agreed ad referendum, agreed."""
    if status not in Provision.Status.values:
        raise STATUS_INVALID(status=repr(status))
    with transaction.atomic():
        document, provision = locked_pair(actor, provision_id)
        provision.status = status
        provision.save(update_fields=["status", "updated_at"])
        payload = {"wid": provision.wid, "label": provision.label, "status": status}
        events_append(
            [
                event(
                    document,
                    kind="ProvisionStatusChanged",
                    subject=provision.subject,
                    actor=actor,
                    payload=payload,
                )
            ]
        )
    return provision


def bracket_resolve(*, actor: User, provision_id: str, group: int, keep: int | None) -> Provision:
    """Clean bracket group ``group`` (0-based): keep option ``keep`` or delete the span."""
    with transaction.atomic():
        document, provision = locked_pair(actor, provision_id)
        found = group_index(provision, group)
        if keep is not None and not 0 <= keep < len(found[group].options):
            raise OPTION_INVALID(n=keep + 1)
        before = provision.brackets
        set_text(
            provision,
            brackets.resolve(provision.text, group, keep=keep),
            process_id=document.process_id,
        )
        provision.save()
        events_append(
            [
                event(
                    document,
                    kind="BracketResolved",
                    subject=provision.subject,
                    actor=actor,
                    payload=_amended(provision, before),
                )
            ]
        )
    return provision


def option_add_locked(
    actor: User,
    document: Document,
    provision: Provision,
    *,
    group: int | None,
    text: str,
    sponsors: list[str],
) -> Provision:
    """Add an option to ``provision`` (locked, in ``document``)."""
    group_index(provision, group)
    check_text(text, process_id=document.process_id)
    before = provision.brackets
    set_text(
        provision,
        brackets.option_append(provision.text, group, text, sponsors),
        process_id=document.process_id,
    )
    provision.save()
    events_append(
        [
            event(
                document,
                kind="OptionAdded",
                subject=provision.subject,
                actor=actor,
                payload=_amended(provision, before, sponsors=sponsors),
            )
        ]
    )
    return provision


def option_add(
    *, actor: User, provision_id: str, group: int | None, text: str, sponsors: list[str]
) -> Provision:
    """Add an option (the pen-holder, on a party's behalf): to group ``group`` or, with
    ``group=None``, as an alternative wording of the whole provision."""
    with transaction.atomic():
        document, provision = locked_pair(actor, provision_id)
        return option_add_locked(
            actor, document, provision, group=group, text=text, sponsors=sponsors
        )
