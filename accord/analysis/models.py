"""Confidential preferences on a text's open issues, their shared copies, and the
provenance of the non-papers tabled from a package (decision 0086).

``Preference`` is one delegation's own: scope ``party:<code>``, so ``accounts.access``
shows it to that delegation only (not the other parties, not the facilitators). While the
party consents, ``SharedPreference`` holds a copy with scope ``facilitators``; withdrawing
consent deletes the copy. ``NonPaper`` records which package of which analysis became a
facilitators' non-paper (scope ``facilitators``). Rows are written only by
``analysis.services`` and known outside the server by their ``public_id``.
"""

import uuid

from django.conf import settings
from django.db import models


class Preference(models.Model):
    """One delegation's weights, scores and reservation value on one document's issues.

    ``weights``: ``{issue key: {"w": 0..100, "options": [option keys]}}`` (the option keys
    let a weight follow its issue when the text changes around it); ``scores``: ``{option
    key: 0..100}``; ``reservation``: 0..100, the share of its best utility below which the
    party would rather not agree.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    document = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    weights = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    reservation = models.PositiveSmallIntegerField(default=0)
    consented_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "delegation__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "delegation"], name="analysis_preference_one_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation.code} preferences"

    @property
    def subject(self) -> str:
        return f"preference:{self.public_id}"


class SharedPreference(models.Model):
    """The copy of a party's preferences the facilitators read while the party consents."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    document = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="+")
    delegation = models.ForeignKey("process.Delegation", on_delete=models.PROTECT, related_name="+")
    weights = models.JSONField(default=dict, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    reservation = models.PositiveSmallIntegerField(default=0)
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["document", "delegation__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "delegation"], name="analysis_shared_one_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation.code} preferences (shared)"


class NonPaper(models.Model):
    """A package tabled as a facilitators' non-paper, with the analysis it came from."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey("process.Process", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=80, db_index=True)
    source = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey("drafting.Document", on_delete=models.CASCADE, related_name="+")
    # [{"issue": key, "option": key, "label": ..., "text": ...}] — the package, per issue.
    package = models.JSONField(default=list)
    # {"solution": "nash", "utilities": {code: 0..1}, "parties": [codes], "frontier": n}
    provenance = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"non-paper from {self.source}"

    @property
    def subject(self) -> str:
        return f"nonpaper:{self.public_id}"
