"""The process's words, defined once: what a charter may say and what the models store.

Each list is a ``TextChoices`` with its translatable labels, in the order the charter
format documents them. The charter's pydantic schema takes these classes as field types
(so a charter is checked against them), the models take them as their fields' choices
(``Delegation.Kind`` is ``DelegationKind``), and the tuples below are their values.
Only Django's enum and lazy translation here, no models and no settings: the charter
package stays importable (and a charter checkable) without a configured Django.
"""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class DelegationKind(TextChoices):
    PARTY = "party", _("Party")
    FACILITATOR = "facilitator", _("Facilitator")


class BodyKind(TextChoices):
    COMMITTEE = "committee", _("Committee")
    WORKING_GROUP = "working_group", _("Working group")
    COMMISSION = "commission", _("Commission")


class ChairArrangement(TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIRS = "co_chairs", _("Co-chairs")
    ROTATING = "rotating", _("Rotating chair")
    FACILITATED = "facilitated", _("Facilitated (no chair)")


class MechanismKind(TextChoices):
    DIRECT = "direct", _("Direct channel")
    FACILITATED = "facilitated", _("Facilitated channel")
    MARITIME = "maritime", _("Maritime channel")
    DECONFLICTION = "deconfliction", _("De-confliction mechanism")


class Role(TextChoices):
    HEAD_OF_DELEGATION = "head_of_delegation", _("Head of delegation")
    MEMBER = "member", _("Member")
    EXPERT = "expert", _("Expert")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    OBSERVER = "observer", _("Observer")
    VERIFIER = "verifier", _("Verifier")


class MilestoneStatus(TextChoices):
    PENDING = "pending", _("Pending")
    MET = "met", _("Met")
    OVERDUE = "overdue", _("Overdue")
    # Pending again with a new date set by an HLC decision (``MilestoneExtension``).
    EXTENDED = "extended", _("Extended")


DELEGATION_KINDS: tuple[str, ...] = tuple(DelegationKind.values)
BODY_KINDS: tuple[str, ...] = tuple(BodyKind.values)
CHAIR_ARRANGEMENTS: tuple[str, ...] = tuple(ChairArrangement.values)
MECHANISM_KINDS: tuple[str, ...] = tuple(MechanismKind.values)
ROLES: tuple[str, ...] = tuple(Role.values)
MILESTONE_STATUSES: tuple[str, ...] = tuple(MilestoneStatus.values)

# The top of every escalation ladder: not a body, the parties' principals.
PRINCIPALS = "principals"
