"""The maritime picture's way in: fetch a vessel or an encounter a user named.

A channel's AIS picture (vessels, tracks, encounters, vessel alerts) carries
``scope = mechanism:<code>``: it is shared with every member of that maritime channel
(both parties' duty officers, facilitators where the charter informs them) and with
no one else. Missing and forbidden answer alike (``NotFound``). Nothing here is
written by users: the ingest is the only writer, so there is no ``may_`` predicate.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import User
from accord.errors import NotFound
from accord.maritime.models import Encounter, Vessel
from accord.public_ids import parse_public_id

VESSEL_NOT_FOUND = NotFound.case("vessel.not_found", _("There is no such vessel."))
ENCOUNTER_NOT_FOUND = NotFound.case("encounter.not_found", _("There is no such encounter."))


def vessel_access(actor: User | None, vessel_id: str) -> Vessel:
    return access.visible_get(
        Vessel.objects.select_related("mechanism", "position"),
        actor,
        missing=VESSEL_NOT_FOUND,
        public_id=parse_public_id(vessel_id),
    )


def encounter_access(actor: User | None, encounter_id: str) -> Encounter:
    return access.visible_get(
        Encounter.objects.select_related("vessel_a", "vessel_b", "mechanism"),
        actor,
        missing=ENCOUNTER_NOT_FOUND,
        public_id=parse_public_id(encounter_id),
    )
