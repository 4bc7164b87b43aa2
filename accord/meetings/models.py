"""Meetings: rounds of talks, sessions of bodies and caucuses, agendas, minutes, decisions,
action items, caucus notes, and the private calendar feeds of users.

Every row people read carries ``process`` and ``scope`` (copied from its session when
it is written, and never changed afterwards), so ``accounts.access.restrict`` filters
each table directly. Public identifiers are UUIDs, not sequential numbers: a gap in a
sequence would tell the other party that a caucus session or note exists.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Round(models.Model):
    """A round of talks: a venue and a span of days, holding sessions of several bodies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True, default="shared")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    venue = models.CharField(max_length=200)
    venue_timezone = models.CharField(max_length=64)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="round_number_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """A meeting of a body, or a caucus of the facilitators with one party.

    ``starts_at``/``ends_at`` are aware UTC datetimes; ``venue_timezone`` (an IANA name)
    is the zone the session is shown in besides the viewer's own. ``scope`` is
    ``body:<code>`` for a meeting of a body and ``caucus:<party>`` for a caucus.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CAUCUS = "caucus", _("Caucus")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class AgendaStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MEETING)
    body = models.ForeignKey(
        "process.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    # The party a caucus is held with (the facilitators meet it alone).
    caucus_party = models.ForeignKey(
        "process.Delegation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caucuses",
    )
    title = models.CharField(max_length=200)
    venue = models.CharField(max_length=200)
    venue_timezone = models.CharField(max_length=64)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    agenda_status = models.CharField(
        max_length=16, choices=AgendaStatus.choices, default=AgendaStatus.DRAFT
    )
    # Bumped on every change a calendar client should pick up (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_caucus(self) -> bool:
        return self.kind == self.Kind.CAUCUS


class Participant(models.Model):
    """A user attending a session (the sessions in their calendar feed)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_participations"
    )
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)

    class Meta:
        ordering = ["user__delegation__kind", "user__delegation__code", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="participant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"


class AgendaItem(models.Model):
    """An item on a session's agenda, or queued for the next session of ``body``.

    A queued item has no session yet; scheduling the body's next session takes it.
    ``subject`` optionally points at what is discussed: ``document:<id>``,
    ``provision:<wid>`` or ``divergence:<id>``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued for the next session")
        LISTED = "listed", _("On the agenda")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    body = models.ForeignKey(
        "process.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, db_index=True)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    subject = models.CharField(max_length=200, blank=True, db_index=True)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    """The record of one session: drafted by the rapporteur, circulated, approved by every
    party (or, for a caucus, by the party in the room)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for approval")
        APPROVED = "approved", _("Approved")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    text = models.TextField(blank=True)
    # Incremented on every circulation, so an approval names the text it approved.
    revision = models.PositiveIntegerField(default=0)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return gettext("Minutes of {session}").format(session=self.session)


class MinutesApproval(models.Model):
    """One party's approval of one circulated revision of the minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="approvals")
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)

    class Meta:
        ordering = ["approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "delegation", "revision"], name="minutes_approval_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} approved revision {self.revision}"


class Decision(models.Model):
    """A decision recorded in a session's minutes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["minutes", "number"]

    def __str__(self) -> str:
        return gettext("Decision {number}").format(number=self.number)


class ActionItem(models.Model):
    """An action recorded in the minutes: who does what by when.

    ``due_on`` is a calendar date; the item is overdue from the following day (UTC),
    when the sweeper flags it once.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        OVERDUE = "overdue", _("Overdue")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="action_items")
    number = models.PositiveIntegerField()
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField(db_index=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    flagged_overdue_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "number"]

    def __str__(self) -> str:
        return gettext("Action {number}: {text}").format(number=self.number, text=self.text[:40])


class CaucusNote(models.Model):
    """A note or paper of a caucus, in scope ``caucus:<party>``: never seen by another party."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        DOCUMENT = "document", _("Document")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="caucus_notes")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NOTE)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title or gettext("Caucus note by {author}").format(author=self.author)


FEED_SECRET_PREFIX = "cal_"  # noqa: S105 - a prefix, not a secret


def feed_digest(secret: str) -> str:
    """What is stored of a calendar feed's secret: its SHA-256, never the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A user's private iCalendar feed. Only the SHA-256 of the URL's secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    prefix = models.CharField(max_length=8)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return gettext("Calendar feed {prefix}… of {user}").format(
            prefix=self.prefix, user=self.user
        )
