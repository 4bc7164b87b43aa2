"""What every write of the compliance app shares: refusals, limits and small checks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.errors import Conflict, PermissionDenied, ValidationFailed

MAX_TEXT = 20_000
MAX_TITLE = 300

FACILITATORS_ONLY = PermissionDenied.case(
    "commitment.facilitators_only", _("Only the facilitators can do this.")
)
VERIFIER_ONLY = PermissionDenied.case(
    "verification_report.verifier_only", _("Only the designated verifier can do this.")
)
PARTY_ONLY = PermissionDenied.case(
    "compliance.party_only", _("Only the party concerned can do this.")
)
PARTICIPANTS_ONLY = PermissionDenied.case(
    "convening_request.participants_only",
    _("Only a party or the facilitators can ask the joint body to convene."),
)
NOT_NOW = Conflict.case("compliance.not_now", _("This cannot be done at this stage ({stage})."))
TITLE_EMPTY = ValidationFailed.case("commitment.title_empty", _("This needs a title."))
TITLE_TOO_LONG = ValidationFailed.case(
    "commitment.title_too_long", _("A title can hold at most 300 characters.")
)
TEXT_EMPTY = ValidationFailed.case("compliance.text_empty", _("This needs some text."))
TEXT_TOO_LONG = ValidationFailed.case(
    "compliance.text_too_long", _("This can hold at most 20,000 characters.")
)
UNKNOWN_PARTY = ValidationFailed.case(
    "commitment.unknown_party", _("{code} is not a party of this process.")
)
UNKNOWN_BODY = ValidationFailed.case(
    "commitment.unknown_body", _("{code} is not a body of this process.")
)
PROVISION_NOT_AGREED = Conflict.case(
    "commitment.provision_not_agreed",
    _(
        "{label} is not agreed: a commitment comes from an adopted text or a provision "
        "agreed (ad referendum or finally)."
    ),
)
CYCLE = ValidationFailed.case(
    "sequence.cycle",
    _("The steps would wait on each other in a cycle ('→' reads 'waits on'): {cycle}."),
)
UNKNOWN_STEP = ValidationFailed.case(
    "sequence.unknown_step", _("{code} is not a step or milestone of this sequence.")
)
MILESTONE_CODE_TAKEN = Conflict.case(
    "sequence.milestone_code_taken", _("There is already a milestone {code}.")
)
BAD_CODE = ValidationFailed.case(
    "sequence.bad_code", _("A milestone code is letters, digits and '-', as in IMPLEMENTATION-DAY.")
)
BAD_FINDING = ValidationFailed.case(
    "verification_report.bad_finding",
    _("A finding is verified, not verified or unable to verify."),
)
STAGE_NOT_OPEN = Conflict.case("dispute.stage_not_open", _("The dispute has no open stage {code}."))
STAGE_NOT_ALONGSIDE = Conflict.case(
    "dispute.stage_not_alongside",
    _(
        "Stage {code} cannot be opened now: the charter lets a stage run beside another "
        "only while that one runs (in parallel) or before it starts (instead)."
    ),
)
BAD_DAYS = ValidationFailed.case("dispute.bad_days", _("An extension is between 1 and 90 days."))
NO_VERIFIER_BODY = Conflict.case(
    "verification_report.no_verifier",
    _("The charter names no verifier (compliance.verifier)."),
)


def text(value: str | None, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TEXT_EMPTY()
    if len(value) > MAX_TEXT:
        raise TEXT_TOO_LONG()
    return value


def title(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        raise TITLE_EMPTY()
    if len(value) > MAX_TITLE:
        raise TITLE_TOO_LONG()
    return value
