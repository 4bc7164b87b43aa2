"""Incidents at sea on a maritime channel, and what a party keeps about a vessel.

A vessel (``maritime.Vessel``) belongs to no one; what a party *thinks* of it does: its
affiliation (``VesselAffiliation``) and its annotations (``VesselAnnotation``) carry the
party's scope (``party:<code>``) and are never seen by the other party, unless an
annotation is shared on the channel (its scope becomes the channel's).

An incident (``Incident``) is channel material: scope ``mechanism:<code>``, seen by the
channel's members on both sides. Its report is a message on the channel (``message``),
which the other side acknowledges there; every step reached is an ``IncidentStep``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.incidents.protocol import Category, Step
from accord.maritime.screening import AFFILIATION_LABELS


class Affiliation(models.TextChoices):
    """What a party takes a vessel to be (relative to the party: "own navy" is its own)."""

    # The words are the map's too (``maritime.screening.AFFILIATION_LABELS``).
    OWN_NAVY = "own_navy", AFFILIATION_LABELS["own_navy"]
    OTHER_NAVY = "other_navy", AFFILIATION_LABELS["other_navy"]
    COAST_GUARD = "coast_guard", AFFILIATION_LABELS["coast_guard"]
    COMMERCIAL = "commercial", AFFILIATION_LABELS["commercial"]
    FAST_CRAFT = "fast_craft", AFFILIATION_LABELS["fast_craft"]
    UNKNOWN = "unknown", AFFILIATION_LABELS["unknown"]


CATEGORY_LABELS = {
    Category.UNSAFE_MANOEUVRE: _("Unsafe manoeuvre"),
    Category.CLOSE_APPROACH: _("Close approach"),
    Category.SIMULATED_ATTACK: _("Simulated attack (weapons or fire-control radar aimed)"),
    Category.LASER_ILLUMINATION: _("Laser illumination"),
    Category.FAST_CRAFT_HARASSMENT: _("Harassment by fast craft"),
    Category.BOARDING_OR_SEIZURE: _("Boarding or seizure"),
    Category.GNSS_INTERFERENCE: _("GNSS interference"),
    Category.COLLISION: _("Collision"),
    Category.SEARCH_AND_RESCUE: _("Search and rescue"),
}
STEP_LABELS = {
    Step.REPORTED: _("Reported"),
    Step.ACKNOWLEDGED: _("Acknowledged by the other party"),
    Step.INFORMATION_EXCHANGED: _("Information exchanged"),
    Step.DE_ESCALATION_AGREED: _("De-escalation agreed"),
    Step.CLOSED: _("Closed"),
    Step.REFERRED: _("Referred to the High-Level Committee"),
}


class VesselAffiliation(models.Model):
    """One party's affiliation of one vessel (the latest; the events keep the history)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    vessel = models.ForeignKey(
        "maritime.Vessel", on_delete=models.CASCADE, related_name="affiliations"
    )
    affiliation = models.CharField(max_length=16, choices=Affiliation.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "vessel"], name="vessel_affiliation_one_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"affiliation {self.public_id}"


class VesselAnnotation(models.Model):
    """A party's note on a vessel: party-internal until shared on the channel."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    vessel = models.ForeignKey(
        "maritime.Vessel", on_delete=models.CASCADE, related_name="annotations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField()
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_message = models.ForeignKey(
        "channels.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"annotation {self.public_id}"


class Incident(models.Model):
    """An incident at sea reported on a maritime channel, and where its protocol stands."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey(
        "process.Mechanism", on_delete=models.PROTECT, related_name="incidents"
    )
    scope = models.CharField(max_length=80, db_index=True)
    # "INC-7": numbered within the channel, for signals and the agenda.
    number = models.PositiveIntegerField()
    category = models.CharField(
        max_length=32, choices=[(c.value, label) for c, label in CATEGORY_LABELS.items()]
    )
    occurred_at = models.DateTimeField()
    latitude = models.FloatField()
    longitude = models.FloatField()
    description = models.TextField()
    # The encounter the maritime app screened, when the incident is reported from one.
    encounter = models.ForeignKey(
        "maritime.Encounter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    vessels = models.ManyToManyField("maritime.Vessel", blank=True, related_name="incidents")
    reported_by = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="+"
    )
    reported_to = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="+"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField()
    # The report on the channel; the other side acknowledges it there.
    message = models.OneToOneField(
        "channels.Message", on_delete=models.PROTECT, related_name="incident"
    )
    step = models.CharField(
        max_length=32,
        choices=[(s.value, label) for s, label in STEP_LABELS.items()],
        default=Step.REPORTED,
    )
    step_since = models.DateTimeField()
    # When the next step falls due (None: closed or referred); the sweeper reads it.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The side that proposed de-escalation and waits for the other's agreement.
    de_escalation_proposed_by = models.ForeignKey(
        "process.Delegation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "number"], name="incident_number_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"INC-{self.number}"

    @property
    def subject(self) -> str:
        return f"incident:{self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.step != Step.CLOSED


class IncidentStep(models.Model):
    """A step of the protocol reached (or, ``overdue``, missed and referred), exactly once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=32, choices=[(s.value, s.value) for s in Step])
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_delegation = models.ForeignKey(
        "process.Delegation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True, default="")
    # The update on the channel that carried this step, if any.
    message = models.ForeignKey(
        "channels.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The step that was due when the sweeper referred the incident (for "referred").
    missed = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "step"], name="incident_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.public_id}"
