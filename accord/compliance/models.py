"""Implementation structures: commitments, sequences of reciprocal steps, verification
reports, access requests, disputes and relief tranches.

Rows are written only by ``compliance.services``; every read goes through
``compliance.selectors`` or ``compliance.access`` and so through ``accounts.access``.
Every row carries ``process`` and ``scope``. A verification report and an access
request are ``caucus:<party>`` (the facilitators, the verifier among them, and the party
concerned) until published; a party's assessment is ``party:<code>``; the rest is
``shared``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sequence(models.Model):
    """A step-for-step sequence: reciprocal steps (commitments) and milestones."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["process", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"sequence:{self.public_id}"


class Commitment(models.Model):
    """What a party owes: from an agreed provision (``provision_wid``) or by hand."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not yet verified")
        VERIFIED = "verified", _("Verified")
        NOT_VERIFIED = "not_verified", _("Not verified")
        UNABLE = "unable_to_verify", _("Unable to verify")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # "C-<number>", counted per process: every participant sees every commitment.
    number = models.PositiveIntegerField()
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    party = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    trigger = models.CharField(max_length=300, blank=True)
    verifying_body = models.ForeignKey(
        "process.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_required = models.TextField(blank=True)
    # The agreed provision it comes from (drafting's ``wid``), its label and article.
    provision_wid = models.CharField(max_length=32, blank=True, db_index=True)
    provision_label = models.CharField(max_length=100, blank=True)
    article = models.CharField(max_length=300, blank=True)
    # The body whose text it comes from (or the facilitators' choice): for roll-ups.
    body = models.ForeignKey(
        "process.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    weight = models.PositiveIntegerField(default=1)
    # The status the published findings give it: a confidential finding changes nothing.
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    sequence = models.ForeignKey(
        Sequence, null=True, blank=True, on_delete=models.SET_NULL, related_name="steps"
    )
    # Codes of the steps and milestones of its sequence it waits on.
    depends_on = models.JSONField(default=list, blank=True)
    duration_days = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="commitment_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def code(self) -> str:
        return f"C-{self.number}"

    @property
    def subject(self) -> str:
        return f"commitment:{self.public_id}"


class SequenceMilestone(models.Model):
    """A milestone (an "Implementation Day"): falls due when the steps it names are verified."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="milestones")
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=300)
    depends_on = models.JSONField(default=list, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="sequence_milestone_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def subject(self) -> str:
        return f"sequence_milestone:{self.public_id}"


class VerificationReport(models.Model):
    """The verifier's finding on a commitment: confidential until published."""

    class Finding(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        NOT_VERIFIED = "not_verified", _("Not verified")
        UNABLE = "unable_to_verify", _("Unable to verify")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="reports")
    finding = models.CharField(max_length=20, choices=Finding.choices)
    observed_on = models.DateField()
    method = models.CharField(max_length=300)
    evidence = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commitment", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.commitment.code}: {self.finding}"

    @property
    def subject(self) -> str:
        return f"verification_report:{self.public_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AccessRequest(models.Model):
    """The verifier asks for access: the party agrees within its days, else the joint
    body decides within its days; then the party implements within its days."""

    class Stage(models.TextChoices):
        AGREE = "agree", _("Waiting for the party to agree")
        DECIDE = "decide", _("Waiting for the joint body to decide")
        IMPLEMENT = "implement", _("Waiting for access to be given")
        GRANTED = "granted", _("Access given")
        REFUSED = "refused", _("Refused by the joint body")
        LAPSED = "lapsed", _("Lapsed: access not given in time")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="access_requests"
    )
    location = models.CharField(max_length=300)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.AGREE)
    stage_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.commitment.code}: {self.location}"

    @property
    def subject(self) -> str:
        return f"access_request:{self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.stage in (self.Stage.AGREE, self.Stage.DECIDE, self.Stage.IMPLEMENT)


class AccessRequestStep(models.Model):
    """One move of an access request's clock, by a person or by the sweeper; once per stage."""

    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="steps")
    from_stage = models.CharField(max_length=16)
    to_stage = models.CharField(max_length=16)
    automatic = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["request", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "from_stage"], name="access_step_once"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class Dispute(models.Model):
    """A complaint of non-performance, through the charter's stages, each with a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("In resolution")
        EXHAUSTED = "exhausted", _("Stages exhausted: the complaining side may notify")
        NOTIFIED = "notified", _("Non-performance notified")
        RESOLVED = "resolved", _("Resolved")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField()
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    complainant = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    urgent = models.BooleanField(default=False)
    convene_by = models.DateTimeField()
    convened_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    stage_code = models.CharField(max_length=32, blank=True)
    stage_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution = models.TextField(blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="dispute_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def code(self) -> str:
        return f"DR-{self.number}"

    @property
    def subject(self) -> str:
        return f"dispute:{self.public_id}"


class DisputeStage(models.Model):
    """A stage a dispute went through: entered once; the original deadline kept. Two
    may be open at once (the advisory board beside the ministers), each with its clock."""

    class OpenedAs(models.TextChoices):
        IN_TURN = "in_turn", _("In its turn")
        PARALLEL = "parallel", _("In parallel")
        INSTEAD = "instead", _("Instead")

    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="stages")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    original_deadline = models.DateTimeField()
    deadline = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    expired = models.BooleanField(default=False)
    opened_as = models.CharField(max_length=16, choices=OpenedAs.choices, default=OpenedAs.IN_TURN)

    class Meta:
        ordering = ["dispute", "started_at", "id"]
        indexes = [models.Index(fields=["ended_at", "deadline"], name="dispute_stage_clock")]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "code"], name="dispute_stage_once"),
        ]

    def __str__(self) -> str:
        return self.name


class DisputeExtension(models.Model):
    """An extension of a stage: a decision with its reason."""

    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    stage = models.ForeignKey(DisputeStage, on_delete=models.CASCADE, related_name="extensions")
    from_deadline = models.DateTimeField()
    to_deadline = models.DateTimeField()
    reason = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["stage", "at", "id"]

    def __str__(self) -> str:
        return self.reason[:60]


class ConveningRequest(models.Model):
    """A request that the standing joint body convene: within the charter's days (fewer
    when urgent), on a dispute or any matter. Shared: the joint body is every side."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    requested_by = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="+"
    )
    dispute = models.ForeignKey(
        Dispute, null=True, blank=True, on_delete=models.PROTECT, related_name="convenings"
    )
    title = models.CharField(max_length=300)
    urgent = models.BooleanField(default=False)
    requested_at = models.DateTimeField()
    convene_by = models.DateTimeField(db_index=True)
    convened_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"convening_request:{self.public_id}"


class Tranche(models.Model):
    """Relief owed by one party to the other, due when its conditions are verified."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for its conditions")
        DUE = "due", _("Due")
        RELEASED = "released", _("Released")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owed_by = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    owed_to = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    conditions = models.ManyToManyField(Commitment, related_name="tranches")
    # Days after falling due before it counts as delayed.
    grace_days = models.PositiveIntegerField(default=7)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    due_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["process", "created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self) -> str:
        return f"tranche:{self.public_id}"


class Assessment(models.Model):
    """A party's own assessment of a commitment: ``party:<code>``, that party only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["commitment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "delegation"], name="assessment_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation.code}: {self.commitment.code}"

    @property
    def subject(self) -> str:
        return f"assessment:{self.public_id}"
