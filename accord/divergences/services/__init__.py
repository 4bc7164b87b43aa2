"""Writes of the divergence register: open, positions, bridging, the escalation ladder.

Every function takes the public id of what it acts on and fetches it through
``divergences.access``, refuses when the ``may_`` predicate of its use case says no,
validates, writes in one transaction and appends its event there. The ladder comes from
the charter (``Process.escalation``): a divergence sits at a rung (a body code, or
``principals``) with a deadline; a referral by a person or by the sweeper
(``divergences_escalate_overdue``) moves it up one rung, exactly once.
"""

from accord.divergences.services.common import (
    AT_THE_TOP,
    BRIDGING_FACILITATORS_ONLY,
    CLOSE_FACILITATORS_ONLY,
    CLOSED,
    MAX_PROVISIONS,
    MAX_TEXT,
    MAX_TITLE,
    NOT_CLOSED,
    NOTHING_TO_SHARE,
    OPEN_NOT_ALLOWED,
    POSITION_PARTIES_ONLY,
    PROVISION_INVALID,
    REFER_NOT_ALLOWED,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    TITLE_EMPTY,
    TITLE_TOO_LONG,
    TOO_MANY_PROVISIONS,
)
from accord.divergences.services.ladder import (
    divergence_refer,
    divergences_escalate_overdue,
)
from accord.divergences.services.positions import (
    bridging_propose,
    position_set,
    position_share,
)
from accord.divergences.services.register import (
    divergence_open,
    divergence_park,
    divergence_reopen,
    divergence_resolve,
)

__all__ = [
    "AT_THE_TOP",
    "BRIDGING_FACILITATORS_ONLY",
    "CLOSED",
    "CLOSE_FACILITATORS_ONLY",
    "MAX_PROVISIONS",
    "MAX_TEXT",
    "MAX_TITLE",
    "NOTHING_TO_SHARE",
    "NOT_CLOSED",
    "OPEN_NOT_ALLOWED",
    "POSITION_PARTIES_ONLY",
    "PROVISION_INVALID",
    "REFER_NOT_ALLOWED",
    "TEXT_EMPTY",
    "TEXT_TOO_LONG",
    "TITLE_EMPTY",
    "TITLE_TOO_LONG",
    "TOO_MANY_PROVISIONS",
    "bridging_propose",
    "divergence_open",
    "divergence_park",
    "divergence_refer",
    "divergence_reopen",
    "divergence_resolve",
    "divergences_escalate_overdue",
    "position_set",
    "position_share",
]
