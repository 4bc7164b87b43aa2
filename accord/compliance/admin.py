"""The compliance app in the admin: read-only, filtered by access, addressed by public id.

A confidential verification report or access request (``caucus:<party>``) is listed to
those who may read it only, a party's assessment (``party:<code>``) to that party only:
the admin applies ``accounts.access.restrict`` like every read. Related rows are shown
as text, never as links naming another row by its key.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.admin_base import PublicIdAdmin
from accord.admin_base import shown as _shown
from accord.compliance.models import (
    AccessRequest,
    Assessment,
    Commitment,
    ConveningRequest,
    Dispute,
    Sequence,
    SequenceMilestone,
    Tranche,
    VerificationReport,
)


class _NoKeyLinksAdmin(PublicIdAdmin):
    """Every relation shown as text (``<name>_shown``), none as a link or a key."""

    process_shown = _shown("process", empty="—")
    party_shown = _shown("party", empty="—")
    commitment_shown = _shown("commitment", empty="—")
    sequence_shown = _shown("sequence", empty="—")
    verifying_body_shown = _shown("verifying_body", empty="—")
    body_shown = _shown("body", empty="—")
    created_by_shown = _shown("created_by", empty="—")
    author_shown = _shown("author", empty="—")
    requested_by_shown = _shown("requested_by", empty="—")
    complainant_shown = _shown("complainant", empty="—")
    respondent_shown = _shown("respondent", empty="—")
    filed_by_shown = _shown("filed_by", empty="—")
    owed_by_shown = _shown("owed_by", empty="—")
    owed_to_shown = _shown("owed_to", empty="—")
    delegation_shown = _shown("delegation", empty="—")
    dispute_shown = _shown("dispute", empty="—")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.get_fields() if f.is_relation and f.concrete]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        related = [f.name for f in self.model._meta.fields if f.is_relation]
        return ["public_id", *(f"{name}_shown" for name in related)]


@admin.register(Commitment)
class CommitmentAdmin(_NoKeyLinksAdmin):
    list_display = ["__str__", "party_shown", "status", "due_on"]
    search_fields = ["title"]


@admin.register(Sequence)
class SequenceAdmin(_NoKeyLinksAdmin):
    list_display = ["title", "created_at"]


@admin.register(SequenceMilestone)
class SequenceMilestoneAdmin(_NoKeyLinksAdmin):
    list_display = ["code", "title", "sequence_shown", "reached_at"]


@admin.register(VerificationReport)
class VerificationReportAdmin(_NoKeyLinksAdmin):
    list_display = ["commitment_shown", "finding", "observed_on", "published_at"]


@admin.register(AccessRequest)
class AccessRequestAdmin(_NoKeyLinksAdmin):
    list_display = ["commitment_shown", "location", "stage", "stage_deadline"]


@admin.register(Dispute)
class DisputeAdmin(_NoKeyLinksAdmin):
    list_display = ["__str__", "complainant_shown", "respondent_shown", "status", "stage_code"]


@admin.register(ConveningRequest)
class ConveningRequestAdmin(_NoKeyLinksAdmin):
    list_display = ["title", "requested_by_shown", "urgent", "convene_by", "convened_at"]


@admin.register(Tranche)
class TrancheAdmin(_NoKeyLinksAdmin):
    list_display = ["title", "owed_by_shown", "owed_to_shown", "status", "due_at"]


@admin.register(Assessment)
class AssessmentAdmin(_NoKeyLinksAdmin):
    list_display = ["commitment_shown", "delegation_shown", "updated_at"]
