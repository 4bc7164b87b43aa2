"""The alerts every page shows (the banner and the nav badge), read once per page."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts import access
from accord.channels.selectors import NO_ALERTS, Alerts, alerts_for

register = template.Library()

# Words the page script needs (translated here: the script has no catalogue).
ESCALATED_TO = {
    "backup_duty_officer": gettext_lazy("Escalated to you as backup duty officer"),
    "head_of_delegation": gettext_lazy("Escalated to you as head of delegation"),
    "facilitators": gettext_lazy("Escalated to the facilitators"),
}


def _alerts(request: HttpRequest | None) -> Alerts:
    """``alerts_for`` the signed-in user, kept on the request: the badge and the banner
    of one page share one read."""
    if request is None or not request.user.is_authenticated:
        return NO_ALERTS
    found: Alerts | None = getattr(request, "_accord_alerts", None)
    if found is None:
        found = alerts_for(actor=request.user)  # type: ignore[arg-type]
        request._accord_alerts = found  # type: ignore[attr-defined]
    return found


def escalated_text(to: str) -> str:
    return str(ESCALATED_TO.get(to, ""))


@register.inclusion_tag("channels/_alerts_badge.html", takes_context=True)
def alerts_badge(context: template.Context) -> dict[str, Any]:
    """The nav's count of messages the viewer is to acknowledge."""
    return {"count": len(_alerts(context.get("request")).to_acknowledge)}


@register.inclusion_tag("channels/_alerts_banner.html", takes_context=True)
def alerts_banner(context: template.Context) -> dict[str, Any]:
    """The banner of urgent messages and escalations that need the viewer, with what the
    page script needs to keep it live."""
    request = context.get("request")
    found = _alerts(request)
    user = getattr(request, "user", None)
    delegation = access.delegation_of(user)
    config = {
        "me": getattr(user, "username", ""),
        "side": delegation.code if delegation else "",
        "facilitator": access.is_facilitator(user),
        "acknowledges_on": found.acknowledges_on,
        "channel_names": found.channel_names,
        "to_acknowledge": found.to_acknowledge,
        "csrf": get_token(request) if request is not None else "",
        "strings": {
            "title": _("{precedence} from {side}"),
            "escalated": {to: str(text) for to, text in ESCALATED_TO.items()},
            "no_text": _("Open the channel to read it."),
            "not_member": _("You are not a member of this channel; its duty officers are."),
            "click_for_sound": _("(click anywhere to hear the alarm)"),
            "could_not_acknowledge": _("Could not acknowledge."),
            "to_acknowledge_one": _("{n} message to acknowledge"),
            "to_acknowledge_many": _("{n} messages to acknowledge"),
        },
    }
    alerts = [
        {"alert": alert, "escalated": escalated_text(alert.escalated_to)} for alert in found.alerts
    ]
    return {
        "alerts": alerts,
        "clocks": found.clocks,
        "config": config,
        "signed_in": bool(delegation),
    }
