"""The process as its charter declares it: framework, delegations, bodies, mechanisms, roadmap.

Rows here are written only by ``process.services`` (the charter loader and the roadmap
services); every other app reads them through ``process.selectors``.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accord.process import vocabulary


class Translated(models.Model):
    """A charter row whose names (and mandate or purpose) may be written in several
    languages (``translations``: field -> language -> words; decision 0164), read in the
    active language with the English as fallback."""

    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """``field`` in ``language`` (default: the active one), else as written (English)."""
        code = (language or get_language() or "en").split("-")[0]
        words = (self.translations or {}).get(field, {}).get(code)
        return words or getattr(self, field)


class Process(models.Model):
    """A negotiation framework (the umbrella every body, channel and text lives under)."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80, blank=True)
    description = models.TextField(blank=True)
    signed_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    roadmap_title = models.CharField(max_length=200, blank=True)
    roadmap_starts_on = models.DateField()
    roadmap_length_days = models.PositiveIntegerField()
    # The divergence escalation ladder resolved from the charter: {"principals": label,
    # "ladder": {body code: [next rung, days allowed]}}; "principals" is the top rung.
    escalation = models.JSONField(default=dict, blank=True)
    # The charter's ``compliance:`` section as loaded (``ComplianceSpec``, JSON), read by
    # ``accord.compliance.terms``.
    compliance = models.JSONField(default=dict, blank=True)
    charter_path = models.CharField(max_length=500, blank=True)
    charter_sha256 = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.name

    @property
    def roadmap_ends_on(self) -> dt.date:
        return self.roadmap_starts_on + dt.timedelta(days=self.roadmap_length_days)

    def escalation_next(self, rung: str) -> tuple[str, int] | None:
        """(next rung, days allowed at ``rung``), or None at the top of the ladder."""
        entry = (self.escalation or {}).get("ladder", {}).get(rung)
        return (str(entry[0]), int(entry[1])) if entry else None

    @property
    def principals_label(self) -> str:
        return str((self.escalation or {}).get("principals") or "Principals")

    def oversight_body(self) -> "Body | None":
        """The body at the top of the reporting lines (the HLC): the first reporting to no one."""
        return self.bodies.filter(reports_to__isnull=True).order_by("order", "code").first()

    def roadmap_day(self, today: dt.date) -> int:
        """Day number of ``today`` in the roadmap: 1 on the start date, 0 or less before it."""
        return (today - self.roadmap_starts_on).days + 1


class Delegation(Translated):
    """A party to the process or a facilitator, with the team that represents it."""

    Kind = vocabulary.DelegationKind

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="delegations")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    language = models.CharField(max_length=16, default="en")
    timezone = models.CharField(max_length=64, default="UTC")
    colour = models.CharField(max_length=16, default="#555555")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["process", "kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="delegation_code_unique"),
        ]

    def __str__(self) -> str:
        return self.translated("short_name") if self.short_name else self.translated("name")

    @property
    def is_party(self) -> bool:
        return self.kind == self.Kind.PARTY

    @property
    def is_facilitator(self) -> bool:
        return self.kind == self.Kind.FACILITATOR


class Body(Translated):
    """A standing body: the high-level committee, a working group, a joint commission."""

    Kind = vocabulary.BodyKind

    ChairArrangement = vocabulary.ChairArrangement

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="bodies")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    mandate = models.TextField()
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reporting_bodies"
    )
    chair_arrangement = models.CharField(max_length=16, choices=ChairArrangement.choices)
    chairs = models.ManyToManyField(Delegation, blank=True, related_name="chaired_bodies")
    # Roles a delegation sends to this body, e.g. ["head_of_delegation", "expert"].
    member_roles = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["process", "order", "code"]
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="body_code_unique"),
        ]

    def __str__(self) -> str:
        return self.translated("name")


class Mechanism(Translated):
    """A standing channel or mechanism: direct line, maritime channel, de-confliction."""

    Kind = vocabulary.MechanismKind

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="mechanisms")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    purpose = models.TextField()
    area = models.CharField(max_length=200, blank=True)
    delegations = models.ManyToManyField(Delegation, related_name="mechanisms")
    facilitators_informed = models.BooleanField(default=True)
    member_roles = models.JSONField(default=list, blank=True)
    # Mechanism-specific settings from the charter (precedence deadlines, link-test
    # interval, escalation ladder...), read by the app that runs the mechanism.
    settings = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["process", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="mechanism_code_unique"),
        ]

    def __str__(self) -> str:
        return self.translated("name")


class Milestone(models.Model):
    """A roadmap deliverable of one body, due on a day of the roadmap."""

    Status = vocabulary.MilestoneStatus

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="milestones")
    code = models.CharField(max_length=32)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    due_day = models.PositiveIntegerField()
    # Denormalised from roadmap start + due_day so the sweeper finds overdue rows by index.
    due_on = models.DateField(db_index=True)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependants"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # The charter's date, kept when an extension moves ``due_on``; null if never extended.
    original_due_on = models.DateField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    flagged_overdue_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["process", "due_day", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="milestone_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class MilestoneExtension(models.Model):
    """An HLC decision moving a milestone's due date, with its reason. Never edited."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="extensions")
    previous_due_on = models.DateField()
    new_due_on = models.DateField()
    reason = models.TextField()
    # Reference of the HLC decision (minutes, session), free text.
    decision_ref = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["milestone", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.milestone.code}: {self.previous_due_on} → {self.new_due_on}"
