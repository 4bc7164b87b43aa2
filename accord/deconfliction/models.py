"""The Lebanon de-confliction mechanism: notified sites and movements, receipts, planned
activities and their conflict checks, violation reports.

Every row people read carries ``process`` and ``scope`` (docs/ARCHITECTURE.md):

- an organisation, and a notification once transmitted: ``shared`` (while submitted, only
  the facilitators hold it: ``facilitators``);
- a party's receipt of a notification and its escalations: ``caucus:<party>`` (that party
  and the facilitators; the notifying organisation is told through the facilitators);
- a planned activity and a conflict check: ``party:<party>`` (the party alone);
- a violation report and its evidence: ``caucus:<party>`` of the reporting party, or
  ``facilitators`` when the chairs report; a published determination: ``shared``.

Geometries are GeoJSON geometry objects (longitude, latitude; WGS 84), validated on entry.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A humanitarian organisation registered by the facilitators to notify through them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True, default="shared")
    name = models.CharField(max_length=200)
    contact = models.CharField(max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="deconfliction_org_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A static site or a movement notified to the parties through the facilitators.

    A notification is a safeguard, not a guarantee: its receipt is acknowledged, never
    approved, and a site's protected status does not depend on being notified.
    """

    class Kind(models.TextChoices):
        SITE = "site", _("static site")
        MOVEMENT = "movement", _("movement")

    class SiteType(models.TextChoices):
        HOSPITAL = "hospital", _("hospital")
        CLINIC = "clinic", _("clinic")
        SCHOOL = "school", _("school")
        SHELTER = "shelter", _("shelter")
        OFFICE = "office", _("office")
        WAREHOUSE = "warehouse", _("warehouse")
        UN_POST = "un_post", _("UN post")
        PLACE_OF_WORSHIP = "place_of_worship", _("place of worship")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        TRANSMITTED = "transmitted", _("transmitted to the parties")
        ACKNOWLEDGED = "acknowledged", _("receipt acknowledged by every party")
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")
        SUPERSEDED = "superseded", _("superseded by an amendment")

    # In force: what a conflict check is run against (decision 0116).
    IN_FORCE = (Status.TRANSMITTED, Status.ACKNOWLEDGED, Status.ACTIVE)
    FINAL = (Status.EXPIRED, Status.WITHDRAWN, Status.SUPERSEDED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey("process.Mechanism", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    site_type = models.CharField(max_length=24, choices=SiteType.choices, blank=True)
    title = models.CharField(max_length=200)
    # A GeoJSON geometry: a point or polygon for a site, a line for a movement's route.
    geometry = models.JSONField()
    # Metres: a site's buffer, a movement's corridor width (the route +/- half of it).
    buffer_m = models.FloatField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    vehicles = models.CharField(max_length=500, blank=True)
    people = models.PositiveIntegerField(null=True, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    emergency = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    transmitted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)
    changed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-submitted_at", "pk"]
        indexes = [
            models.Index(fields=["process", "status"], name="deconfliction_notif_status"),
            # The order lists are read in (accord.pagination).
            models.Index(
                fields=["process", "-submitted_at", "-id"], name="deconfliction_notif_page"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"notification:{self.public_id}"

    @property
    def corridor_half_m(self) -> float:
        """Metres either side of the geometry that the notification protects."""
        return self.buffer_m / 2 if self.kind == self.Kind.MOVEMENT else self.buffer_m


class Receipt(models.Model):
    """One party's receipt of one transmitted notification: due, then acknowledged.

    Acknowledging is saying "received", never "approved"."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="receipts"
    )
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    transmitted_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["notification", "delegation__order", "delegation__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "delegation"], name="deconfliction_receipt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification} / {self.delegation.code}"


class ReceiptEscalation(models.Model):
    """One rung of the charter's ladder reached by one missed acknowledgement: once each."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="escalations")
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    rung = models.PositiveSmallIntegerField()
    to = models.CharField(max_length=32)
    at = models.DateTimeField()

    class Meta:
        ordering = ["receipt", "rung"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "rung"], name="deconfliction_rung_once")
        ]

    def __str__(self) -> str:
        return f"{self.receipt} -> {self.to}"


class PlannedActivity(models.Model):
    """A party's planned activity: an area (or a line with a buffer) and a window.
    Party-internal (``party:<code>``): never visible to the other party or the
    facilitators."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    geometry = models.JSONField()
    buffer_m = models.FloatField(default=0)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "pk"]
        verbose_name_plural = "planned activities"

    def __str__(self) -> str:
        return self.title


class ConflictCheck(models.Model):
    """A party's check of an area and window against what is in force; party-internal.
    ``conflicts`` holds the result (key, kind, label, distance in metres, overlap)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        PlannedActivity, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    geometry = models.JSONField()
    buffer_m = models.FloatField(default=0)
    planned_from = models.DateTimeField()
    planned_until = models.DateTimeField()
    conflicts = models.JSONField(default=list)
    conflict_count = models.PositiveIntegerField(default=0)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-checked_at", "pk"]
        # The order a party's checks are read in (accord.pagination).
        indexes = [
            models.Index(fields=["process", "-checked_at", "-id"], name="deconfliction_check_page")
        ]

    def __str__(self) -> str:
        return f"check {self.public_id}"


class ViolationReport(models.Model):
    """An alleged violation reported by a party or the facilitators, reviewed by the chairs."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        UNDER_REVIEW = "under_review", _("under review")
        DETERMINED = "determined", _("determined")
        REMEDY_SOUGHT = "remedy_sought", _("remedy sought")
        CLOSED = "closed", _("closed")

    class Finding(models.TextChoices):
        VIOLATION = "violation", _("violation")
        NO_VIOLATION = "no_violation", _("no violation")
        INCONCLUSIVE = "inconclusive", _("inconclusive")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField()
    occurred_at = models.DateTimeField()
    location = models.JSONField()  # a GeoJSON point or polygon
    place = models.CharField(max_length=200, blank=True)
    description = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    finding = models.CharField(max_length=16, choices=Finding.choices, blank=True)
    finding_text = models.TextField(blank=True)
    determined_at = models.DateTimeField(null=True, blank=True)
    remedy = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "pk"]

    def __str__(self) -> str:
        return f"report {self.public_id}"

    @property
    def subject(self) -> str:
        return f"violation:{self.public_id}"


class Evidence(models.Model):
    """A file backing a report: kept with its SHA-256, restricted like its report."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(ViolationReport, on_delete=models.CASCADE, related_name="evidence")
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "added_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class Determination(models.Model):
    """The chairs' published determination of a report (``shared``): the finding, when and
    where, in the chairs' words; never the report's evidence or its reporter's text."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True, default="shared")
    report = models.OneToOneField(
        ViolationReport, on_delete=models.PROTECT, related_name="published"
    )
    finding = models.CharField(max_length=16, choices=ViolationReport.Finding.choices)
    summary = models.TextField()
    occurred_at = models.DateTimeField()
    location = models.JSONField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "pk"]

    def __str__(self) -> str:
        return f"determination {self.public_id}"
