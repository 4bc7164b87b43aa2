"""One-line, human descriptions of events for timelines (pure: Django only marks the
sentences for translation).

A sentence is translated where it is shown, with the viewer's language active (a
page's timeline: ``Event.summary``). The live feed renders each event's frame once
for every stream (decisions 0007, 0008), so its summary is in the server's language.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_noop

# Kind -> format string over the payload. Kinds not listed fall back to their name in
# words ("MilestoneMet" -> "Milestone met").
TEMPLATES: dict[str, str] = {
    "AppointmentGranted": gettext_noop("{user} appointed ({role})"),
    "UserRegistered": gettext_noop("{display_name} joined the delegation"),
    "InternalNoteWritten": gettext_noop("Internal note on {about}: {text}"),
    "InternalNoteDeleted": gettext_noop("Internal note on {about} deleted"),
    "CharterLoaded": gettext_noop("Charter loaded ({status})"),
    "CharterUpdated": gettext_noop("Charter updated"),
    "MilestoneMet": gettext_noop("Milestone {code} met"),
    "MilestoneOverdue": gettext_noop("Milestone {code} is overdue (was due {due_on})"),
    "MilestoneExtended": gettext_noop("Milestone {code} extended to {new_due_on}: {reason}"),
    "DivergenceOpened": gettext_noop("Divergence opened: {title}"),
    "DivergenceReferred": gettext_noop("Divergence referred to {rung}: {title}"),
    "DivergenceEscalated": gettext_noop(
        "Divergence escalated to {rung} (deadline passed): {title}"
    ),
    "DivergenceResolved": gettext_noop("Divergence resolved: {title}"),
    "DivergenceParked": gettext_noop("Divergence parked: {title}"),
    "DivergenceReopened": gettext_noop("Divergence reopened: {title}"),
    "PositionStated": gettext_noop("{party} stated a position"),
    "PositionShared": gettext_noop("{party} shared its position"),
    "BridgingProposed": gettext_noop("Bridging proposal tabled on: {title}"),
    "UserDeactivated": gettext_noop("{username} deactivated"),
    "SessionScheduled": gettext_noop("{title} scheduled"),
    "SessionCancelled": gettext_noop("{title} cancelled"),
    "AgendaItemAdded": gettext_noop("On the agenda: {title}"),
    "AgendaItemQueued": gettext_noop("Queued for the next {body} session: {title}"),
    "AgendaAdopted": gettext_noop("Agenda of {title} adopted"),
    "MinutesCirculated": gettext_noop("Minutes of {title} circulated (revision {revision})"),
    "MinutesApprovedByParty": gettext_noop("{party} approved the minutes of {title}"),
    "MinutesApproved": gettext_noop("Minutes of {title} approved"),
    "MinutesReturned": gettext_noop("Minutes of {title} returned: {reason}"),
    "DecisionRecorded": gettext_noop("Decision {number}: {text}"),
    "ActionItemRecorded": gettext_noop("Action {number} for {owner}, due {due_on}"),
    "ActionItemOverdue": gettext_noop("Action {number} is overdue (was due {due_on})"),
    "CaucusNoteWritten": gettext_noop("Caucus note"),
    "ProvisionAdded": gettext_noop("{label} added"),
    "ProvisionAmended": gettext_noop("{label} amended"),
    "ProvisionMoved": gettext_noop("{label_before} moved to {label}"),
    "BracketResolved": gettext_noop(
        "Bracket cleaned in {label} ({brackets_before} → {brackets} open)"
    ),
    "OptionAdded": gettext_noop("Option added in {label}"),
    "ProposalSubmitted": gettext_noop("{delegation} proposal to {kind} submitted"),
    "ProposalDecided": gettext_noop("{delegation} proposal {decision}"),
    "RevisionIssued": gettext_noop("Rev. {revision} issued ({brackets} brackets)"),
    "DocumentAdopted": gettext_noop("{title} adopted (Rev. {revision})"),
    "ChannelMessageSent": gettext_noop("{precedence} message {from_side} → {to_side} on {channel}"),
    "LinkTestSent": gettext_noop("Link test {from_side} → {to_side} on {channel}"),
    "ChannelMessageDelivered": gettext_noop("Message {seq} on {channel} delivered"),
    "ChannelMessageRead": gettext_noop("Message {seq} on {channel} read"),
    "ChannelReceiptsRecorded": gettext_noop("Messages on {channel} {receipt}"),
    "ChannelMessageAcknowledged": gettext_noop("Message {seq} on {channel} acknowledged by {by}"),
    "ChannelMessageEscalated": gettext_noop(
        "Message {seq} on {channel} escalated: not acknowledged in time"
    ),
    "ChannelMessageCopiedToFacilitators": gettext_noop(
        "Message on {channel} copied to the facilitators"
    ),
    "ChannelTopicOpened": gettext_noop("Topic opened on {channel}"),
    "ChannelMessageTranslated": gettext_noop("Message {seq} on {channel} translated"),
    "DutyHandedOver": gettext_noop("Duty handed over on {channel}"),
    "ApiTokenCreated": gettext_noop("API token '{name}' created"),
    "ApiTokenRevoked": gettext_noop("API token {prefix}… revoked"),
}
MAX_CHARS = 160


def _words(kind: str) -> str:
    spaced = re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()
    return spaced[:1].upper() + spaced[1:]


def describe(
    kind: str, payload: Mapping[str, Any], translate: Callable[[str], str] | None = None
) -> str:
    """The summary of an event of ``kind`` with ``payload``; ``translate`` (e.g.
    ``gettext``) turns its sentence into the active language before it is filled in."""
    template = TEMPLATES.get(kind)
    if template is None:
        return _words(kind)
    if translate is not None:
        template = translate(template)
    try:
        text = template.format_map(
            {k: str(v).replace("_", " ") if k == "role" else v for k, v in payload.items()}
        )
    except (KeyError, IndexError, ValueError):
        return _words(kind)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"
