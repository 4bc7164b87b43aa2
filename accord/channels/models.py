"""Hotline-style channels: keys, duty rosters, topics, messages, receipts, escalations.

A channel *is* a charter mechanism (``process.Mechanism``): its members are the users
appointed to it and every row here carries ``scope = mechanism:<code>``. Rows are
written only by ``channels.services``.

Records whose ids leave the server (topics, messages, attachments, duty watches) carry a
random ``public_id`` (decision 0046): it is the only id in URLs, the API, event subjects
and payloads, pages and the admin. The integer primary keys stay inside the server; their
gaps would tell a member of one channel how much traffic another channel carries.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.channels.settings import Precedence


class SigningKey(models.Model):
    """A delegation's Ed25519 key, held by the deployment. The private key is encrypted."""

    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    delegation = models.OneToOneField(
        "process.Delegation", on_delete=models.PROTECT, related_name="channel_signing_key"
    )
    public_key = models.CharField(max_length=64)  # base64 of the 32 raw bytes
    private_key_encrypted = models.TextField()  # base64(nonce + AES-GCM ciphertext)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"signing key of {self.delegation.code}"


class ChannelHead(models.Model):
    """The head of one channel's hash chain; locked while a message is appended."""

    mechanism = models.OneToOneField(
        "process.Mechanism", on_delete=models.PROTECT, related_name="channel_head"
    )
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.mechanism.code} head #{self.seq}"


class DutyWatch(models.Model):
    """One watch of one side on one channel: the officer on duty, a backup, a handover note.

    The current watch of a side has ``ended_at`` null; a handover ends it and opens the
    next one in the same transaction.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey(
        "process.Mechanism", on_delete=models.PROTECT, related_name="duty_watches"
    )
    delegation = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="duty_watches"
    )
    scope = models.CharField(max_length=80, db_index=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_watches"
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backup_watches",
    )
    handover_note = models.TextField(blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("duty watches")
        ordering = ["mechanism", "delegation", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "delegation"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_watch_per_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism.code}/{self.delegation.code}: {self.officer}"


class Topic(models.Model):
    """A thread in a channel."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey(
        "process.Mechanism", on_delete=models.PROTECT, related_name="channel_topics"
    )
    scope = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mechanism", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "title"], name="topic_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One signed, chained message on a channel, with its receipts and deadline."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        LINK_TEST = "link_test", _("Link test")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    mechanism = models.ForeignKey(
        "process.Mechanism", on_delete=models.PROTECT, related_name="channel_messages"
    )
    scope = models.CharField(max_length=80, db_index=True)
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MESSAGE)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    client_id = models.CharField(max_length=64)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="channel_messages",
    )
    from_delegation = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="channel_messages_sent"
    )
    to_delegation = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="channel_messages_received"
    )
    precedence = models.CharField(max_length=16, choices=[(p.value, p.value) for p in Precedence])
    language = models.CharField(max_length=16)
    text = models.TextField()
    sent_at = models.DateTimeField()
    acknowledge_by = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    # Signed content and chain (see integrity.py).
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=100)
    # Escalation rungs already alerted for a missed acknowledgement (0..len(ladder)).
    escalation_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["mechanism", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "seq"], name="message_seq_unique"),
            models.UniqueConstraint(
                fields=["mechanism", "from_delegation", "client_id"],
                name="message_client_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["acknowledged_at", "acknowledge_by"], name="message_ack_due"),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism.code} #{self.seq} {self.precedence}"

    @property
    def urgent(self) -> bool:
        return self.precedence in (Precedence.FLASH, Precedence.IMMEDIATE)

    @property
    def state(self) -> str:
        if self.acknowledged_at:
            return "acknowledged"
        if self.read_at:
            return "read"
        if self.delivered_at:
            return "delivered"
        return "sent"


class Translation(models.Model):
    """A translation of a message, made by the receiving (or any member) side."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="translations")
    scope = models.CharField(max_length=80, db_index=True)
    language = models.CharField(max_length=16)
    text = models.TextField()
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["message", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "language"], name="translation_language_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} translation of message #{self.message.seq}"


class Attachment(models.Model):
    """A file sent with a message: type sniffed on upload, served only as a download."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    scope = models.CharField(max_length=80, db_index=True)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.filename


class Escalation(models.Model):
    """One rung of the ladder alerted for one unacknowledged message. At most once each."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="escalations")
    scope = models.CharField(max_length=80, db_index=True)
    rung = models.PositiveSmallIntegerField()
    to = models.CharField(max_length=32)
    target = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["message", "rung"]
        constraints = [
            models.UniqueConstraint(fields=["message", "rung"], name="escalation_once_per_rung"),
        ]

    def __str__(self) -> str:
        return f"message #{self.message.seq} escalated to {self.to}"
