"""The dates Accord takes from outside, bounded at the edge.

Python's dates run from year 1 to 9999, but arithmetic near either end overflows (a
session on 0001-01-01 converted to UTC is in year 0: OverflowError, a 500 on every page
that listed it). Nothing a negotiation records lies outside the range below, so every
date and time that comes in — an API body or query, a page's form or query string, a
charter — is checked against it where it enters, with a 4xx that says so:

- API schemas annotate inputs ``Day`` / ``Moment`` (pydantic: a 422 ``request.invalid``
  naming the field; the OpenAPI document carries the bounds as ``formatMinimum`` /
  ``formatMaximum``, and ``accord/tests/test_dates.py`` fails for an input without them);
- page views parse with ``day_parse`` / ``moment_parse`` (a bad format raises the
  caller's own case, a date out of range ``DATE_OUT_OF_RANGE``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field

from accord.day_range import EARLIEST, LATEST, day_in_range
from accord.errors import AccordError, ErrorCase, ValidationFailed

__all__ = ["EARLIEST", "LATEST", "Day", "Moment", "day_in_range", "day_parse", "moment_parse"]
_BOUNDS = {"formatMinimum": EARLIEST.isoformat(), "formatMaximum": LATEST.isoformat()}

DATE_OUT_OF_RANGE = ValidationFailed.case(
    "date.out_of_range",
    _("{value} is outside the dates Accord keeps: give a date from {earliest} to {latest}."),
)


def _moment_in_range(moment: dt.datetime) -> dt.datetime:
    if not day_in_range(moment.date()):
        raise ValueError(f"must fall between {EARLIEST} and {LATEST}")
    return moment


# What an API schema writes instead of ``dt.date`` / ``dt.datetime`` for an input.
Day = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST, json_schema_extra=_BOUNDS)]
Moment = Annotated[dt.datetime, AfterValidator(_moment_in_range), Field(json_schema_extra=_BOUNDS)]


def _out_of_range(text: str) -> AccordError:
    return DATE_OUT_OF_RANGE(value=text, earliest=EARLIEST.isoformat(), latest=LATEST.isoformat())


def day_parse(text: str, *, invalid: ErrorCase) -> dt.date:
    """The date written ``YYYY-MM-DD`` in ``text``; ``invalid`` if it is not one."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise invalid() from None
    if not day_in_range(day):
        raise _out_of_range(text.strip())
    return day


def moment_parse(text: str, *, invalid: ErrorCase) -> dt.datetime:
    """The ISO 8601 date and time in ``text`` (naive if it has no offset)."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise invalid() from None
    if not day_in_range(moment.date()):
        raise _out_of_range(text.strip())
    return moment
