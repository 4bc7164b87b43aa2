"""Points of divergence: the register, each party's position, bridging proposals, referrals.

Rows are written only by ``divergences.services``; every read goes through
``divergences.selectors`` and so through ``accounts.access``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PRINCIPALS = "principals"


class Divergence(models.Model):
    """A point on which the parties disagree, owned by a working group, climbing the ladder.

    ``rung`` is where the point now sits: a body code (the working group, then the body
    it was referred to) or ``principals``. ``rung_deadline`` is when it is referred on
    automatically if still unresolved (null at the top of the ladder and when closed);
    the sweeper finds due rows by that index.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        BRIDGING = "bridging", _("Bridging")
        REFERRED = "referred", _("Referred")
        RESOLVED = "resolved", _("Resolved")
        PARKED = "parked", _("Parked")

    # The only id that leaves the server (decision 0046's pattern): URLs, API, events.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # "D-<number>", counted per process (decision 0062): every participant sees the
    # whole register, so the count hides nothing; the row key never leaves the server.
    number = models.PositiveIntegerField()
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    body = models.ForeignKey("process.Body", on_delete=models.PROTECT, related_name="divergences")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    # Subjects of the provisions concerned: ["provision:<wid>", ...].
    provisions = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    rung = models.CharField(max_length=32)
    rung_since = models.DateTimeField()
    rung_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["process", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="divergence_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def code(self) -> str:
        """How people name the point: ``D-3``."""
        return f"D-{self.number}"

    @property
    def subject(self) -> str:
        return f"divergence:{self.public_id}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.PARKED)


class Position(models.Model):
    """One party's position on a divergence.

    ``scope`` is ``party:<code>`` while the party keeps it internal and ``shared`` once it
    chooses to share it; the text of an internal position never leaves that party.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    divergence = models.ForeignKey(Divergence, on_delete=models.CASCADE, related_name="positions")
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["divergence", "delegation__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["divergence", "delegation", "scope"], name="position_per_party_scope"
            ),
        ]

    def __str__(self) -> str:
        return gettext("{party} position on {code}").format(
            party=self.delegation.code, code=self.divergence.code
        )

    @property
    def is_shared(self) -> bool:
        return self.scope == "shared"


class BridgingProposal(models.Model):
    """A facilitators' proposal to bridge the positions (tabled: visible to all)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    divergence = models.ForeignKey(
        Divergence, on_delete=models.CASCADE, related_name="bridging_proposals"
    )
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["divergence", "created_at", "id"]

    def __str__(self) -> str:
        return gettext("Bridging proposal on {code}").format(code=self.divergence.code)


class Referral(models.Model):
    """One step up the ladder: by a person (``by`` set) or by the sweeper (``automatic``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    divergence = models.ForeignKey(Divergence, on_delete=models.CASCADE, related_name="referrals")
    from_rung = models.CharField(max_length=32)
    to_rung = models.CharField(max_length=32)
    automatic = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["divergence", "at", "id"]
        constraints = [
            # The ladder only climbs: a divergence leaves each rung at most once.
            models.UniqueConstraint(
                fields=["divergence", "from_rung"], name="referral_once_per_rung"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.divergence.code}: {self.from_rung} → {self.to_rung}"
