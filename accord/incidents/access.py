"""The incidents' way in: fetch what a user named, and who may act (decision 0050).

An incident is channel material (scope ``mechanism:<code>``): only the channel's members
fetch it, and missing and invisible answer alike. A party's affiliations and annotations
of vessels carry its scope (``party:<code>``): the other party cannot fetch them, count
them or learn that they exist. Who may act on a channel is asked of
``accord.channels.access``, so the protocol and the channel agree on who is on duty.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import User
from accord.channels import access as channel_access
from accord.errors import NotFound
from accord.incidents.models import Incident, VesselAnnotation
from accord.incidents.protocol import Step
from accord.maritime.models import Vessel
from accord.process.models import Delegation, Mechanism
from accord.public_ids import parse_public_id

PublicId = uuid.UUID | str

INCIDENT_NOT_FOUND = NotFound.case("incident.not_found", _("There is no such incident."))
VESSEL_NOT_FOUND = NotFound.case("incident_vessel.not_found", _("There is no such vessel."))
ANNOTATION_NOT_FOUND = NotFound.case(
    "vessel_annotation.not_found", _("There is no such annotation.")
)

_RELATED = ("process", "mechanism__process", "reported_by", "reported_to", "reporter", "message")


def incidents_visible(actor: User | None) -> QuerySet[Incident]:
    """Every incident ``actor`` may see, with what a page reads of it."""
    return access.restrict(Incident.objects.select_related(*_RELATED), actor)


def incident_rows(actor: User | None, public_id: Any) -> QuerySet[Incident]:
    """The (zero or one) incident ``public_id`` names, as ``actor`` may see it."""
    parsed = parse_public_id(public_id)
    rows = incidents_visible(actor)
    return rows.filter(public_id=parsed) if parsed is not None else rows.none()


def incident_access(actor: User | None, public_id: Any) -> Incident:
    """The incident ``public_id`` names if ``actor`` may see it; else ``INCIDENT_NOT_FOUND``."""
    return access.visible_get(
        Incident.objects.select_related(*_RELATED),
        actor,
        missing=INCIDENT_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


def vessel_access(actor: User | None, public_id: Any) -> Vessel:
    """A vessel of a channel ``actor`` is a member of; else ``VESSEL_NOT_FOUND``."""
    return access.visible_get(
        Vessel.objects.all(),
        actor,
        missing=VESSEL_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


def annotation_rows(actor: User | None, public_id: Any) -> QuerySet[VesselAnnotation]:
    parsed = parse_public_id(public_id)
    rows = access.restrict(VesselAnnotation.objects.select_related("process", "vessel"), actor)
    return rows.filter(public_id=parsed) if parsed is not None else rows.none()


def side_of(actor: User | None, mechanism: Mechanism) -> Delegation | None:
    """``actor``'s side on the channel ``mechanism`` (None if not one of its sides)."""
    return channel_access.side_of(actor, mechanism)


# --- who may act ------------------------------------------------------------------------


def may_report(actor: User, mechanism: Mechanism) -> bool:
    """Whoever may send on the maritime channel may report an incident there."""
    return mechanism.kind == "maritime" and channel_access.may_send(actor, mechanism)


def may_acknowledge(actor: User, incident: Incident) -> bool:
    """A duty officer of the side the report went to, while it waits for them."""
    return incident.step == Step.REPORTED and channel_access.may_acknowledge(
        actor, incident.message
    )


def may_record_step(actor: User, incident: Incident) -> bool:
    """Either side's senders move an acknowledged incident on (information, de-escalation,
    closing); a referred one can be closed. Not before the other side acknowledged."""
    if incident.step in (Step.REPORTED, Step.CLOSED):
        return False
    return channel_access.may_send(actor, incident.mechanism)


def may_agree_de_escalation(actor: User, incident: Incident) -> bool:
    """De-escalation is agreed by both sides: the one that did not propose it agrees."""
    if incident.step != Step.INFORMATION_EXCHANGED or not may_record_step(actor, incident):
        return False
    side = side_of(actor, incident.mechanism)
    proposed = incident.de_escalation_proposed_by_id
    return side is not None and proposed is not None and proposed != side.pk


def may_propose_de_escalation(actor: User, incident: Incident) -> bool:
    if incident.step != Step.INFORMATION_EXCHANGED or not may_record_step(actor, incident):
        return False
    return incident.de_escalation_proposed_by_id is None


def may_annotate(actor: User) -> bool:
    """Any member of a party delegation keeps its party's notes and affiliations."""
    return access.is_party(actor)


def may_share_annotation(actor: User, annotation: VesselAnnotation, mechanism: Mechanism) -> bool:
    """Its party's channel senders share a party's annotation on the channel, once."""
    delegation = access.delegation_of(actor)
    return (
        annotation.shared_at is None
        and delegation is not None
        and delegation.pk == annotation.delegation_id
        and channel_access.may_send(actor, mechanism)
    )
