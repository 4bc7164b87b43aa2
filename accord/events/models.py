"""The event log: append-only, hash-chained, the spine of audit, live feed and timelines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext

from accord.events.describe import describe


class Event(models.Model):
    """One state change. Written only by ``events.services.event_append``; never updated."""

    seq = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    process = models.ForeignKey(
        "process.Process", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # PROTECT: users are deactivated, never deleted, so history keeps its actors.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(max_length=64, db_index=True)
    subject = models.CharField(max_length=200, db_index=True)
    scope = models.CharField(max_length=80, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.subject}"

    @property
    def summary(self) -> str:
        """The one-line description, in the active language."""
        return describe(self.kind, self.payload, gettext)

    def hashed_fields(self) -> dict:
        return {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(),
            "process_id": self.process_id,
            "actor_id": self.actor_id,
            "kind": self.kind,
            "subject": self.subject,
            "scope": self.scope,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
        }
