"""Delegation-internal notes: a delegation's own material, seen by that delegation only."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext


class InternalNote(models.Model):
    """A note a delegation keeps on a body or any item (``subject``).

    ``scope`` is always ``party:<delegation code>``; it is stored, not derived, so the
    one access filter (``accounts.access.restrict``) applies to notes like every table.
    """

    # A random id, not a counter: sequential ids would let one delegation count the
    # other's notes from the gaps between its own (decision 0003's reasoning, again).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    delegation = models.ForeignKey(
        "process.Delegation", on_delete=models.PROTECT, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="internal_notes"
    )
    # The body the note is filed under; PROTECT keeps a charter reload from removing a
    # body that still holds a delegation's notes.
    body = models.ForeignKey(
        "process.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="internal_notes",
    )
    # What the note is about, as "<kind>:<id>" (``body:WG-NUC``, ``milestone:NUC-2``,
    # later ``provision:<uuid>``): the same subject strings the event log uses.
    subject = models.CharField(max_length=200, db_index=True)
    scope = models.CharField(max_length=80, db_index=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        # Pages and the API read notes newest first a page at a time (accord.pagination,
        # order created_at, id): the index walks to the page's rows instead of sorting
        # every note of the delegation (issue 18: 20,000 a year).
        indexes = [
            models.Index(fields=["process", "created_at", "id"], name="note_newest"),
            models.Index(fields=["body", "created_at", "id"], name="note_newest_on_body"),
        ]

    def __str__(self) -> str:
        return gettext("{delegation} note on {subject}").format(
            delegation=self.delegation.code, subject=self.subject
        )
