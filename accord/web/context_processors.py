"""Template context every page needs: the viewer's process and delegation."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accord.accounts import access
from accord.reports.selectors import briefing_may_read


def accord(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    delegation = getattr(user, "delegation", None) if user is not None else None
    return {
        "viewer_delegation": delegation,
        "viewer_has_clearance": access.clearance(user).process_id is not None,
        # Lazy: only pages that show the link pay for the check.
        "viewer_may_read_briefing": SimpleLazyObject(lambda: briefing_may_read(actor=user)),
    }
