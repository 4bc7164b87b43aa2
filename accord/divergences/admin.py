from django.contrib import admin

from accord.admin_base import ScopedReadOnlyAdmin
from accord.divergences.models import BridgingProposal, Divergence, Position, Referral


@admin.register(Divergence)
class DivergenceAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "title", "body", "status", "rung", "rung_deadline"]


@admin.register(Position)
class PositionAdmin(ScopedReadOnlyAdmin):
    list_display = ["divergence", "delegation", "scope", "updated_at"]


@admin.register(BridgingProposal)
class BridgingProposalAdmin(ScopedReadOnlyAdmin):
    list_display = ["divergence", "created_at"]


@admin.register(Referral)
class ReferralAdmin(ScopedReadOnlyAdmin):
    list_display = ["divergence", "from_rung", "to_rung", "automatic", "at"]
