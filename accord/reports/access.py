"""Who may read the reports: the HLC briefing is for the oversight body and the facilitators.

Who someone is comes from ``accounts.access``; which body oversees the process, from the
process itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.accounts import access as policy
from accord.process.models import Process

if TYPE_CHECKING:
    from accord.accounts.models import User


def may_read_briefing(actor: User | None) -> bool:
    """Facilitators, and the members of the oversight body (the HLC), read the briefing."""
    delegation = policy.delegation_of(actor)
    if delegation is None:
        return False
    if policy.is_facilitator(actor, process_id=delegation.process_id):
        return True
    process = Process.objects.get(pk=delegation.process_id)
    top = process.oversight_body()
    return top is not None and policy.can_see(
        actor, process_id=process.pk, scope=policy.body_scope(top.code)
    )
