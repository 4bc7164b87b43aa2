"""Positions: a party states where it stands on a provision's current wording; the
provision's provisional agreement follows the parties' positions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accord.drafting.access import (
    document_access,
    may_state_position,
    party_codes,
    provision_access,
)
from accord.drafting.models import Position, Provision
from accord.drafting.services.common import FROZEN, delegation_required, event
from accord.drafting.tree import text_sha256
from accord.errors import PermissionDenied, ValidationFailed
from accord.events.services import events_append

if TYPE_CHECKING:
    from accord.accounts.models import User

ONLY_PARTIES = PermissionDenied.case(
    "provision_position.only_parties", _("Only a party's delegation can do this.")
)
STANCE_INVALID = ValidationFailed.case(
    "provision_position.stance_invalid",
    _("A position is one of: accept, ad_referendum, reserve, reject."),
)


def position_state(*, actor: User, provision_id: str, stance: str, comment: str = "") -> Position:
    """A party states (or changes) its position on a provision's current wording."""
    delegation = delegation_required(actor)
    provision = provision_access(actor, provision_id)
    if not may_state_position(actor, provision.document):
        if provision.document.frozen:
            raise FROZEN()
        raise ONLY_PARTIES()
    if stance not in Position.Stance.values:
        raise STANCE_INVALID()
    with transaction.atomic():
        document = document_access(actor, provision.document.public_id, lock=True)
        if not may_state_position(actor, document):
            raise FROZEN()
        provision = provision_access(actor, provision_id, lock=True)
        provision.document = document
        position, _created = Position.objects.update_or_create(
            provision=provision,
            delegation=delegation,
            defaults={
                "stance": stance,
                "comment": (comment or "").strip(),
                "text_sha256": text_sha256(provision.text),
                "stated_by": actor,
            },
        )
        _derive_status(provision)
        payload = {
            "wid": provision.wid,
            "label": provision.label,
            "delegation": delegation.code,
            "stance": stance,
            "status": provision.status,
        }
        events_append(
            [
                event(
                    document,
                    kind="PositionStated",
                    subject=provision.subject,
                    actor=actor,
                    payload=payload,
                )
            ]
        )
    return position


def _derive_status(provision: Provision) -> None:
    """Provisional agreement follows the parties' positions on the current wording."""
    current = text_sha256(provision.text)
    parties = set(party_codes(provision.document.process_id))
    stances = {
        p.delegation.code: p.stance
        for p in provision.positions.select_related("delegation")
        if p.text_sha256 == current
    }
    status = provision.status
    if parties and set(stances) >= parties and provision.brackets == 0:
        if all(stances[c] == Position.Stance.ACCEPT for c in parties):
            status = Provision.Status.AGREED
        elif all(
            stances[c] in (Position.Stance.ACCEPT, Position.Stance.AD_REFERENDUM) for c in parties
        ):
            status = Provision.Status.AGREED_AD_REF
        else:
            status = Provision.Status.CONVERGING
    elif status in (Provision.Status.AGREED, Provision.Status.AGREED_AD_REF):
        status = Provision.Status.CONVERGING
    if status != provision.status:
        provision.status = status
        provision.save(update_fields=["status", "updated_at"])
