"""The maritime picture of a channel's area: vessels, their latest position, thinned
tracks, close encounters and vessel alerts (going dark, suspected spoofing, zones).

A vessel belongs to one maritime mechanism (``process.Mechanism``, e.g. ``MCC``): its
AIS data is shared with every member of that channel, so rows carry
``scope = mechanism:<code>``. Rows are written only by ``maritime.services`` (the
ingest writes the latest positions and track points in batches); every read goes
through ``maritime.selectors``.

Raw positions never go in the event log (decision 0106): ``VesselPosition`` holds the
latest report of each vessel, written in batches, and the live map reads it;
``TrackPoint`` holds the thinned track, pruned after the retention period. What the
positions produce (an encounter, a vessel alert) is an event.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Vessel(models.Model):
    """A ship known by its MMSI in one channel's area, with its AIS static data.

    ``flag`` is the ISO 3166 alpha-2 code of the country the MMSI's MID (its first
    three digits for a ship station) is allocated to; empty when the MID is unknown.
    Dimensions are metres from the reference point (AIS types 5 and 24 part B).
    """

    class AisClass(models.TextChoices):
        A = "A", _("Class A")
        B = "B", _("Class B")
        OTHER = "", _("Unknown")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey(
        "process.Mechanism", on_delete=models.PROTECT, related_name="vessels"
    )
    scope = models.CharField(max_length=80, db_index=True)
    mmsi = models.PositiveIntegerField()
    imo = models.PositiveIntegerField(null=True, blank=True)
    name = models.CharField(max_length=40, blank=True)
    call_sign = models.CharField(max_length=16, blank=True)
    mid = models.PositiveSmallIntegerField(null=True, blank=True)
    flag = models.CharField(max_length=2, blank=True)
    ais_class = models.CharField(max_length=1, choices=AisClass.choices, blank=True)
    # ITU-R M.1371 "type of ship and cargo" (0-99).
    ship_type = models.PositiveSmallIntegerField(null=True, blank=True)
    to_bow = models.PositiveSmallIntegerField(null=True, blank=True)
    to_stern = models.PositiveSmallIntegerField(null=True, blank=True)
    to_port = models.PositiveSmallIntegerField(null=True, blank=True)
    to_starboard = models.PositiveSmallIntegerField(null=True, blank=True)
    draught = models.FloatField(null=True, blank=True)
    destination = models.CharField(max_length=40, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    static_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mechanism", "mmsi"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "mmsi"], name="vessel_mmsi_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'MMSI'} {self.mmsi}"

    @property
    def subject(self) -> str:
        return f"vessel:{self.public_id}"

    @property
    def length(self) -> int | None:
        if self.to_bow is None or self.to_stern is None:
            return None
        return self.to_bow + self.to_stern or None

    @property
    def beam(self) -> int | None:
        if self.to_port is None or self.to_starboard is None:
            return None
        return self.to_port + self.to_starboard or None


class VesselPosition(models.Model):
    """The latest position of a vessel, upserted in batches by the ingesting process.

    One row per vessel; the live map reads the rows changed since its last frame
    (``updated_at``). ``under_way`` is derived from the navigational status and speed.
    """

    vessel = models.OneToOneField(
        Vessel, on_delete=models.CASCADE, primary_key=True, related_name="position"
    )
    mechanism = models.ForeignKey("process.Mechanism", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    lat = models.FloatField()
    lon = models.FloatField()
    # Knots; degrees true; None when not available.
    sog = models.FloatField(null=True, blank=True)
    cog = models.FloatField(null=True, blank=True)
    heading = models.PositiveSmallIntegerField(null=True, blank=True)
    nav_status = models.PositiveSmallIntegerField(null=True, blank=True)
    under_way = models.BooleanField(default=False)
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["mechanism", "updated_at"], name="position_frame")]

    def __str__(self) -> str:
        return f"{self.vessel_id} @ {self.lat:.4f},{self.lon:.4f}"


class TrackPoint(models.Model):
    """A point of a vessel's thinned track (``maritime.thinning``), kept for the
    retention period in settings (``ACCORD_AIS_TRACK_RETENTION``)."""

    id = models.BigAutoField(primary_key=True)
    vessel = models.ForeignKey(Vessel, on_delete=models.CASCADE, related_name="track")
    at = models.DateTimeField()
    lat = models.FloatField()
    lon = models.FloatField()
    sog = models.FloatField(null=True, blank=True)
    cog = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["vessel", "at"]
        indexes = [
            models.Index(fields=["vessel", "at"], name="trackpoint_vessel_at"),
            models.Index(fields=["at"], name="trackpoint_at"),
        ]

    def __str__(self) -> str:
        return f"{self.vessel_id} {self.at:%Y-%m-%d %H:%M:%S}"


class Encounter(models.Model):
    """A close encounter between two vessels found by the CPA/TCPA screen.

    ``predicted`` when the screen first finds the pair closing under a charter rule;
    ``ongoing`` once they are within the rule's distance; ``cleared`` when they are
    apart again (or the prediction no longer holds). At most one open encounter per
    pair; ``vessel_a`` has the lower MMSI.
    """

    class Status(models.TextChoices):
        PREDICTED = "predicted", _("Predicted")
        ONGOING = "ongoing", _("Ongoing")
        CLEARED = "cleared", _("Cleared")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey(
        "process.Mechanism", on_delete=models.PROTECT, related_name="encounters"
    )
    scope = models.CharField(max_length=80, db_index=True)
    vessel_a = models.ForeignKey(Vessel, on_delete=models.PROTECT, related_name="+")
    vessel_b = models.ForeignKey(Vessel, on_delete=models.PROTECT, related_name="+")
    # The charter rule that matched: "close_approach", "naval_naval", "fast_craft_naval", ...
    rule = models.CharField(max_length=40)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PREDICTED, db_index=True
    )
    # The latest prediction: distance at CPA (nautical miles), when, and where (midpoint).
    cpa_nm = models.FloatField()
    cpa_at = models.DateTimeField()
    cpa_lat = models.FloatField()
    cpa_lon = models.FloatField()
    # The closest distance actually observed so far.
    closest_nm = models.FloatField(null=True, blank=True)
    detected_at = models.DateTimeField()
    ongoing_at = models.DateTimeField(null=True, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["mechanism", "-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vessel_a", "vessel_b"],
                condition=~Q(status="cleared"),
                name="encounter_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.vessel_a_id}/{self.vessel_b_id} {self.status}"

    @property
    def subject(self) -> str:
        return f"encounter:{self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLEARED


class VesselAlert(models.Model):
    """Something one vessel does that the channel should know: going dark, a suspected
    spoofing, a zone entry or exit that matters, the wrong lane, crossing the
    separation zone. Open until ``ended_at``; at most one open alert per vessel, kind
    and zone."""

    class Kind(models.TextChoices):
        DARK = "dark", _("Gone dark")
        SPOOFING_JUMP = "spoofing_jump", _("Suspected spoofing: impossible jump")
        SPOOFING_TWIN = "spoofing_twin", _("Suspected spoofing: two positions for one MMSI")
        ZONE_ENTRY = "zone_entry", _("Entered a zone")
        WRONG_LANE = "wrong_lane", _("In the wrong lane")
        SEPARATION_ZONE = "separation_zone", _("Crossing the separation zone")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey(
        "process.Mechanism", on_delete=models.PROTECT, related_name="vessel_alerts"
    )
    scope = models.CharField(max_length=80, db_index=True)
    vessel = models.ForeignKey(Vessel, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The zone's code for zone alerts, else empty.
    zone = models.CharField(max_length=40, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mechanism", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vessel", "kind", "zone"],
                condition=Q(ended_at__isnull=True),
                name="vessel_alert_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.vessel_id}"

    @property
    def subject(self) -> str:
        return f"vessel_alert:{self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
