"""The range of days Accord keeps (pure: the charter's validation imports it too).

Nothing a negotiation records lies outside it, and arithmetic near Python's own limits
(year 1, year 9999) overflows; ``accord/dates.py`` applies it to what comes in.
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)


def day_in_range(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST
