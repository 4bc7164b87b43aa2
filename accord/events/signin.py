"""Whether an open live-feed stream's sign-in still holds (one stream at a time)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest


def signed_in_user(session_key: str, user_id: Any) -> Any | None:
    """Return the user ``session_key`` still signs in as ``user_id``, or None.

    None once the session ended (sign-out, expiry, password change) or the user was
    deactivated: an open stream must not outlive the sign-in it was opened with. The
    user is fetched afresh, so the clearance computed from it is current too.
    """
    # The configured session engine (a setting, not a sibling app).
    engine = import_module(settings.SESSION_ENGINE)
    probe = HttpRequest()
    probe.session = engine.SessionStore(session_key)
    user = auth.get_user(probe)
    if not user.is_authenticated or not user.is_active or user.pk != user_id:
        return None
    return user
