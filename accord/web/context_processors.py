"""Template context every page needs: the viewer's process and delegation."""

from django.http import HttpRequest

from accord.accounts import access


def accord(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    delegation = getattr(user, "delegation", None) if user is not None else None
    return {
        "viewer_delegation": delegation,
        "viewer_has_clearance": access.clearance(user).process_id is not None,
    }
