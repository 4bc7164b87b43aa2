"""One-line, human descriptions of events for timelines (pure: no Django)."""

import re
from collections.abc import Mapping
from typing import Any

# Kind -> format string over the payload. Kinds not listed fall back to their name in
# words ("MilestoneMet" -> "Milestone met").
TEMPLATES: dict[str, str] = {
    "AppointmentGranted": "{user} appointed ({role})",
    "UserRegistered": "{display_name} joined the delegation",
    "InternalNoteWritten": "Internal note on {about}: {text}",
    "InternalNoteDeleted": "Internal note on {about} deleted",
    "CharterLoaded": "Charter loaded ({status})",
    "CharterUpdated": "Charter updated",
    "MilestoneMet": "Milestone {code} met",
    "MilestoneOverdue": "Milestone {code} is overdue (was due {due_on})",
    "MilestoneExtended": "Milestone {code} extended to {new_due_on}: {reason}",
    "DivergenceOpened": "Divergence opened: {title}",
    "DivergenceReferred": "Divergence referred to {rung}: {title}",
    "DivergenceEscalated": "Divergence escalated to {rung} (deadline passed): {title}",
    "DivergenceResolved": "Divergence resolved: {title}",
    "DivergenceParked": "Divergence parked: {title}",
    "DivergenceReopened": "Divergence reopened: {title}",
    "PositionStated": "{party} stated a position",
    "PositionShared": "{party} shared its position",
    "BridgingProposed": "Bridging proposal tabled on: {title}",
    "UserDeactivated": "{username} deactivated",
    "SessionScheduled": "{title} scheduled",
    "SessionCancelled": "{title} cancelled",
    "AgendaItemAdded": "On the agenda: {title}",
    "AgendaItemQueued": "Queued for the next {body} session: {title}",
    "AgendaAdopted": "Agenda of {title} adopted",
    "MinutesCirculated": "Minutes of {title} circulated (revision {revision})",
    "MinutesApprovedByParty": "{party} approved the minutes of {title}",
    "MinutesApproved": "Minutes of {title} approved",
    "MinutesReturned": "Minutes of {title} returned: {reason}",
    "DecisionRecorded": "Decision {number}: {text}",
    "ActionItemRecorded": "Action {number} for {owner}, due {due_on}",
    "ActionItemOverdue": "Action {number} is overdue (was due {due_on})",
    "CaucusNoteWritten": "Caucus note",
    "ProvisionAdded": "{label} added",
    "ProvisionAmended": "{label} amended",
    "ProvisionMoved": "{label_before} moved to {label}",
    "BracketResolved": "Bracket cleaned in {label} ({brackets_before} → {brackets} open)",
    "OptionAdded": "Option added in {label}",
    "ProposalSubmitted": "{delegation} proposal to {kind} submitted",
    "ProposalDecided": "{delegation} proposal {decision}",
    "RevisionIssued": "Rev. {revision} issued ({brackets} brackets)",
    "DocumentAdopted": "{title} adopted (Rev. {revision})",
    "ChannelMessageSent": "{precedence} message {from_side} → {to_side} on {channel}",
    "LinkTestSent": "Link test {from_side} → {to_side} on {channel}",
    "ChannelMessageDelivered": "Message {seq} on {channel} delivered",
    "ChannelMessageRead": "Message {seq} on {channel} read",
    "ChannelReceiptsRecorded": "Messages on {channel} {receipt}",
    "ChannelMessageAcknowledged": "Message {seq} on {channel} acknowledged by {by}",
    "ChannelMessageEscalated": "Message {seq} on {channel} escalated: not acknowledged in time",
    "ChannelMessageCopiedToFacilitators": "Message on {channel} copied to the facilitators",
    "ChannelTopicOpened": "Topic opened on {channel}",
    "ChannelMessageTranslated": "Message {seq} on {channel} translated",
    "DutyHandedOver": "Duty handed over on {channel}",
    "ApiTokenCreated": "API token '{name}' created",
    "ApiTokenRevoked": "API token {prefix}… revoked",
}
MAX_CHARS = 160


def _words(kind: str) -> str:
    spaced = re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()
    return spaced[:1].upper() + spaced[1:]


def describe(kind: str, payload: Mapping[str, Any]) -> str:
    template = TEMPLATES.get(kind)
    if template is None:
        return _words(kind)
    try:
        text = template.format_map(
            {k: str(v).replace("_", " ") if k == "role" else v for k, v in payload.items()}
        )
    except (KeyError, IndexError, ValueError):
        return _words(kind)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"
