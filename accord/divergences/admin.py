"""The divergence register in the admin: read-only, filtered by access, addressed by
public id.

Rows are listed, opened and linked by ``public_id``, never by primary key (decisions
0046, 0062): the gaps between the keys of the positions an Iran staff member may see
would count the US internal positions between them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.admin_base import PublicIdAdmin
from accord.admin_base import shown as _shown
from accord.divergences.models import BridgingProposal, Divergence, Position, Referral


class _NoKeyLinksAdmin(PublicIdAdmin):
    """Related rows (process, body, delegation, people, the divergence) shown as text: a
    read-only foreign key would render as a link naming the other row by its key."""

    process_shown = _shown("process", empty="—")
    body_shown = _shown("body", empty="—")
    delegation_shown = _shown("delegation", empty="—")
    author_shown = _shown("author", empty="—")
    created_by_shown = _shown("created_by", empty="—")
    by_shown = _shown("by", empty="—")
    divergence_shown = _shown("divergence", empty="—")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.is_relation]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        related = [f.name for f in self.model._meta.fields if f.is_relation]
        return ["public_id", *(f"{name}_shown" for name in related)]


@admin.register(Divergence)
class DivergenceAdmin(_NoKeyLinksAdmin):
    list_display = ["number", "title", "body", "status", "rung", "rung_deadline"]


@admin.register(Position)
class PositionAdmin(_NoKeyLinksAdmin):
    list_display = ["divergence_shown", "delegation", "scope", "updated_at"]


@admin.register(BridgingProposal)
class BridgingProposalAdmin(_NoKeyLinksAdmin):
    list_display = ["divergence_shown", "created_at"]


@admin.register(Referral)
class ReferralAdmin(_NoKeyLinksAdmin):
    list_display = ["divergence_shown", "from_rung", "to_rung", "automatic", "at"]
