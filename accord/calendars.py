"""The Solar Hijri (Persian) calendar, shown beside the Gregorian (issue 20; decision 0161).

Pure: no Django. Storage stays in UTC and Gregorian; a person who chose it reads the
Solar Hijri day as well ("2 Dec 2026 · 11 Azar 1405"). The conversion is jdatetime's
(PyPI), the arithmetic the Iranian calendar's official one (jalali-core).
"""

from __future__ import annotations

import datetime as dt

import jdatetime

GREGORIAN = "gregorian"
SOLAR_HIJRI = "solar_hijri"  # Gregorian and, beside it, the Solar Hijri day
CALENDARS = (GREGORIAN, SOLAR_HIJRI)

# Month names are proper names: written in the Persian script for a reader of Persian,
# Urdu or Arabic (the months keep their Persian names there), transliterated otherwise.
MONTHS_LATIN = tuple(jdatetime.date.j_months_en)
MONTHS_PERSIAN = tuple(jdatetime.date.j_months_fa)
_PERSIAN_SCRIPT = ("fa", "ur", "ar", "ps", "ckb")


def solar_hijri(day: dt.date) -> tuple[int, int, int]:
    """(year, month 1-12, day of month) of the Gregorian ``day`` in the Solar Hijri calendar."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def gregorian_of(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Solar Hijri ``year``/``month``/``day``."""
    return jdatetime.date(year, month, day).togregorian()


def solar_hijri_words(day: dt.date, language: str, *, with_year: bool = True) -> str:
    """``day`` in the Solar Hijri calendar with its month's name, in ``language``'s
    script: "11 Azar 1405" or "11 آذر 1405" (ASCII digits: the caller shows them in
    the reader's digits)."""
    year, month, dom = solar_hijri(day)
    base = (language or "").split("-")[0].lower()
    names = MONTHS_PERSIAN if base in _PERSIAN_SCRIPT else MONTHS_LATIN
    words = f"{dom} {names[month - 1]}"
    return f"{words} {year}" if with_year else words
