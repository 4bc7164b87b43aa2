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
