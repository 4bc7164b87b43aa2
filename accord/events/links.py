"""Where an event's subject is shown: a page's path from the subject and its payload.

Pure routing (URL names only, no query): the live feed renders each frame once for every
stream, so the link goes with the frame; the feed page uses the same function. A subject
with no page of its own (a user, a probe) has no link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import NoReverseMatch, reverse

# Subject kind -> (URL name, the argument's name) where the subject's id names the page.
_BY_ID = {
    "body": ("process:body", "code"),
    "mechanism": ("process:mechanism", "code"),
    "channel": ("channels:detail", "code"),
    "document": ("drafting:document", "document_id"),
    "divergence": ("divergences:detail", "divergence_id"),
    "session": ("meetings:session", "session_id"),
    "round": ("meetings:round", "round_id"),
}
# Subject kind -> URL name of the list page it is shown on.
_LISTED = {
    "milestone": "process:roadmap",
    "note": "notes:list",
    "action": "meetings:action-items",
    "referral": "drafting:referrals",
}


def subject_url(subject: str, payload: Mapping[str, Any] | None = None) -> str | None:
    """The path of the page showing ``subject`` (``"<kind>:<id>"``), or None."""
    kind, _, key = subject.partition(":")
    payload = payload or {}
    try:
        if kind in _BY_ID:
            name, argument = _BY_ID[kind]
            return reverse(name, kwargs={argument: key})
        if kind in _LISTED:
            return reverse(_LISTED[kind])
        # A message or topic is shown on its channel's page; a provision, proposal or
        # revision on its document's (both named in the payload).
        if kind in ("message", "topic") and payload.get("channel"):
            anchor = f"#msg-{key}" if kind == "message" else ""
            return reverse("channels:detail", kwargs={"code": payload["channel"]}) + anchor
        if payload.get("document"):
            return reverse("drafting:document", kwargs={"document_id": payload["document"]})
    except NoReverseMatch:
        return None
    return None
