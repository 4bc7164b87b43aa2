"""What every write of the divergence register shares: its refusals, limits and checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.divergences.models import Divergence
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.process.models import Process

MAX_TEXT = 20_000
MAX_TITLE = 300
MAX_PROVISIONS = 50

OPEN_NOT_ALLOWED = PermissionDenied.case(
    "divergence.open_not_allowed",
    _("Only the facilitators and members of {body} can record a divergence there."),
)
TITLE_EMPTY = ValidationFailed.case("divergence.title_empty", _("A divergence needs a title."))
TITLE_TOO_LONG = ValidationFailed.case(
    "divergence.title_too_long", _("A title can hold at most 300 characters.")
)
TEXT_EMPTY = ValidationFailed.case("divergence.text_empty", _("This needs some text."))
TEXT_TOO_LONG = ValidationFailed.case(
    "divergence.text_too_long", _("This can hold at most 20,000 characters.")
)
PROVISION_INVALID = ValidationFailed.case(
    "divergence.provision_invalid",
    _("Provisions are given as 'provision:<id>'; '{value}' is not one."),
)
TOO_MANY_PROVISIONS = ValidationFailed.case(
    "divergence.too_many_provisions", _("A divergence can name at most 50 provisions.")
)
POSITION_PARTIES_ONLY = PermissionDenied.case(
    "position.parties_only",
    _("Only a party's delegation states a position; facilitators bridge."),
)
NOTHING_TO_SHARE = Conflict.case(
    "position.nothing_to_share",
    _("Your delegation holds no internal position on this divergence to share."),
)
BRIDGING_FACILITATORS_ONLY = PermissionDenied.case(
    "bridging_proposal.facilitators_only", _("Only the facilitators table bridging proposals.")
)
REFER_NOT_ALLOWED = PermissionDenied.case(
    "divergence.refer_not_allowed",
    _("Only the facilitators and the chairs of {rung} can refer a divergence from there."),
)
AT_THE_TOP = Conflict.case(
    "divergence.at_the_top", _("This divergence is already at the top of the ladder ({rung}).")
)
CLOSED = Conflict.case("divergence.closed", _("This divergence is {status}; reopen it first."))
CLOSE_FACILITATORS_ONLY = PermissionDenied.case(
    "divergence.close_facilitators_only",
    _("Only the facilitators resolve, park or reopen a divergence."),
)
NOT_CLOSED = Conflict.case("divergence.not_closed", _("This divergence is not resolved or parked."))


# --- Helpers -------------------------------------------------------------------------------


def _text(value: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TEXT_EMPTY()
    if len(value) > MAX_TEXT:
        raise TEXT_TOO_LONG()
    return value


def _provisions(values: list[str] | None) -> list[str]:
    result: list[str] = []
    for value in values or []:
        value = (value or "").strip()
        kind, sep, ident = value.partition(":")
        if kind != "provision" or not sep or not ident or len(value) > 200 or " " in ident:
            raise PROVISION_INVALID(value=value)
        if value not in result:
            result.append(value)
    if len(result) > MAX_PROVISIONS:
        raise TOO_MANY_PROVISIONS()
    return result


def _deadline(process: Process, rung: str, since: dt.datetime) -> dt.datetime | None:
    step = process.escalation_next(rung)
    return since + dt.timedelta(days=step[1]) if step else None


def _payload(row: Divergence, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(row.public_id),
        "code": row.code,
        "title": row.title,
        "body": row.body.code,
        "status": row.status,
        "rung": row.rung,
        **extra,
    }


def _open_only(row: Divergence) -> None:
    if row.is_closed:
        raise CLOSED(status=str(row.get_status_display()).lower())
