"""The way into the operator's page: who runs the server (decision 0050's house).

An operator (an active staff account) sees the server's health and manages people; a
participant, who needs neither, is answered as if the page did not exist. Operating the
server gives no need to know: an operator still sees no content (``accounts.access``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from accord.errors import NotFound

if TYPE_CHECKING:
    from accord.accounts.access import Someone

OPS_NOT_FOUND = NotFound.case("ops.not_found", _("There is no such page."))


def may_operate(actor: Someone) -> bool:
    """Does ``actor`` run the server: an active, signed-in staff account?"""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "is_staff", False)
    )


def operator_access(actor: Someone) -> None:
    """Let an operator in; anyone else gets ``OPS_NOT_FOUND`` (a 404, like a missing page)."""
    if not may_operate(actor):
        raise OPS_NOT_FOUND()
