"""The single negotiating text: documents, provisions, positions, proposals, revisions, referrals.

Every readable row carries ``process`` and ``scope`` (or is read through its document's),
so ``accounts.access.restrict`` is the one filter. Rows are written only by
``drafting.services``. Documents, proposals, revisions and referrals are known outside
the server only by their random ``public_id`` (decision 0051), provisions by ``wid``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.drafting import numbering


def new_wid() -> str:
    return uuid.uuid4().hex


class Document(models.Model):
    """A negotiating text owned by a body (e.g. "Annex I — Nuclear", owned by WG-NUC)."""

    class Status(models.TextChoices):
        NON_PAPER = "non_paper", _("Non-paper")
        FACILITATORS_TEXT = "facilitators_text", _("Facilitators' text")
        WG_PROPOSAL = "wg_proposal", _("Working-group proposal")
        HLC_TEXT = "hlc_text", _("HLC text")
        AGREED = "agreed", _("Agreed text")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey("process.Body", on_delete=models.PROTECT, related_name="documents")
    scope = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices)
    # Delegation codes that hold the pen; empty means every facilitator delegation.
    pen_holders = models.JSONField(default=list, blank=True)
    # Who wrote it. For a non-paper, shown only to that delegation and the facilitators
    # (selectors.document_author); never put in a payload the other party can read.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_delegation = models.ForeignKey(
        "process.Delegation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the import found (``drafting.reading``): warnings with their place, brackets over
    # ranges of provisions (by wid), footnotes and the adjacency rule; empty if typed.
    import_report = models.JSONField(default=dict, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["process", "body__order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def frozen(self) -> bool:
        return self.adopted_at is not None

    @property
    def subject(self) -> str:
        return f"document:{self.public_id}"


class Provision(models.Model):
    """One node of a document's tree. ``wid`` is its identity for ever; ``eid`` and
    ``label`` are recomputed from its place whenever the tree changes."""

    class Kind(models.TextChoices):
        PREAMBLE = numbering.PREAMBLE, _("Preambular paragraph")
        PART = numbering.PART, _("Part")
        ARTICLE = numbering.ARTICLE, _("Article")
        PARAGRAPH = numbering.PARAGRAPH, _("Paragraph")
        SUBPARAGRAPH = numbering.SUBPARAGRAPH, _("Sub-paragraph")
        CHAPEAU = numbering.CHAPEAU, _("Chapeau")
        FORMULA = numbering.FORMULA, _("Formula")
        HEADING = numbering.HEADING, _("Heading")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONVERGING = "converging", _("Converging")
        AGREED_AD_REF = "agreed_ad_ref", _("Agreed ad referendum")
        AGREED = "agreed", _("Agreed")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="provisions")
    wid = models.CharField(max_length=32, unique=True, default=new_wid)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveIntegerField(default=0)  # among its siblings
    kind = models.CharField(max_length=16, choices=Kind.choices)
    heading = models.CharField(max_length=300, blank=True)
    # The wording, in the bracket conventions of ``drafting.brackets``.
    text = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    eid = models.CharField(max_length=200, blank=True)
    label = models.CharField(max_length=100, blank=True)
    num = models.CharField(max_length=40, blank=True)
    # The number as written in an imported text ("2bis", "(g)"): kept by ``numbering``
    # until the pen-holder renumbers the document (``document_renumber``).
    written = models.CharField(max_length=40, blank=True)
    # Denormalised from ``text`` on every write, so counts are one aggregate query.
    bracket_spans = models.PositiveIntegerField(default=0)
    option_sets = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "parent_id", "order"]
        indexes = [models.Index(fields=["document", "parent", "order"])]

    def __str__(self) -> str:
        return self.label or self.wid

    @property
    def brackets(self) -> int:
        return self.bracket_spans + self.option_sets

    @property
    def subject(self) -> str:
        return f"provision:{self.wid}"


class Position(models.Model):
    """A party's position on a provision, as stated on a given wording (``text_sha256``)."""

    class Stance(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        AD_REFERENDUM = "ad_referendum", _("Accept ad referendum")
        RESERVE = "reserve", _("Reserve")
        REJECT = "reject", _("Reject")

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="positions")
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(max_length=16, choices=Stance.choices)
    comment = models.TextField(blank=True)
    text_sha256 = models.CharField(max_length=64)
    stated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provision", "delegation__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "delegation"], name="position_one_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation.code}: {self.get_stance_display()}"


class Proposal(models.Model):
    """A party's proposed change to a provision, decided by the pen-holder."""

    class Kind(models.TextChoices):
        INSERT = "insert", _("Insert a provision")
        REPLACE = "replace", _("Replace the wording")
        DELETE = "delete", _("Delete the provision")
        ADD_OPTION = "add_option", _("Add an option")
        WITHDRAW_OPTION = "withdraw_option", _("Withdraw own option")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        INCORPORATED = "incorporated", _("Incorporated")
        MERGED = "merged", _("Merged")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="proposals")
    # Null for an insert at the top level, or once the provision it targeted is deleted.
    provision = models.ForeignKey(
        Provision, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    provision_wid = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(blank=True)
    new_kind = models.CharField(max_length=16, blank=True)  # for inserts
    group = models.PositiveIntegerField(null=True, blank=True)  # bracket group (0-based)
    option = models.PositiveIntegerField(null=True, blank=True)  # option in it (0-based)
    justification = models.TextField()
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A tracked change of an imported Word file made into a proposal (decision 0135): its
    # author and date as Word recorded them; ``proposed_by`` is the pen-holder who imported.
    source_author = models.CharField(max_length=200, blank=True)
    source_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delegation.code}: {self.get_kind_display()}"

    @property
    def subject(self) -> str:
        return f"proposal:{self.public_id}"


class Revision(models.Model):
    """An immutable numbered snapshot ("Rev. 3") of a document's provision tree."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    note = models.TextField(blank=True)
    bracket_spans = models.PositiveIntegerField(default=0)
    option_sets = models.PositiveIntegerField(default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Rev.{self.number}"

    @property
    def brackets(self) -> int:
        return self.bracket_spans + self.option_sets


class Referral(models.Model):
    """A contested provision referred by a working group to the body it reports to.

    Its scope is the receiving body's: the HLC sees what is referred to it (with the
    wording as referred) even where its members are not members of the working group.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="referrals")
    provision = models.ForeignKey(
        Provision, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    provision_wid = models.CharField(max_length=32)
    provision_label = models.CharField(max_length=100)
    text_as_referred = models.TextField()
    from_body = models.ForeignKey("process.Body", on_delete=models.PROTECT, related_name="+")
    to_body = models.ForeignKey("process.Body", on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    decision = models.TextField(blank=True)
    decided_text = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provision_label} referred to {self.to_body.code}"

    @property
    def subject(self) -> str:
        return f"referral:{self.public_id}"


# Language versions (equally authentic texts) live in their own module, registered here.
from accord.drafting.language_models import (  # noqa: E402, F401
    LanguageVersion,
    ProvisionTranslation,
)
