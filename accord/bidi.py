"""Mixed-direction text kept in order, and digits for people (issue 20; decision 0160).

Pure: no Django. A page isolates with ``<bdi>`` (the ``bidi`` filter in
``web/templatetags/accord_words.py``); plain text (exports, e-mails, .docx, PDF text
runs) isolates with the Unicode isolates here: FSI (first strong decides), LRI (left to
right), each closed by PDI. An isolated run is laid out on its own and then placed as
one unit, so "Article 4.2", "D-1", "1." or ".docx" keep their order in a right-to-left
line, and an English title does not drag its neighbours' punctuation about.

Digits: people may read Persian or Arabic-Indic digits; stored data, codes, identifiers
and the API always keep ASCII digits. ``digits_for_people`` is applied only when text is
rendered for a person (dates, counts), never to what is stored or parsed.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

FSI = "\u2068"  # first strong isolate: direction from the first strong character
LRI = "\u2066"  # left-to-right isolate
RLI = "\u2067"  # right-to-left isolate
PDI = "\u2069"  # pop directional isolate
ISOLATES = frozenset((FSI, LRI, RLI, PDI))

Direction = Literal["auto", "ltr", "rtl"]
_OPENING: dict[str, str] = {"auto": FSI, "ltr": LRI, "rtl": RLI}

# Languages written right to left (the interface's and the charter's likely ones).
RTL_LANGUAGES = frozenset(("ar", "fa", "ur", "he", "ps", "ckb", "sd", "ug", "yi", "dv"))

# The digit styles a person may choose (``User.digits``).
LATIN = "latin"
ARABIC_INDIC = "arabic_indic"  # ٠١٢٣٤٥٦٧٨٩ (Arabic)
PERSIAN = "persian"  # ۰۱۲۳۴۵۶۷۸۹ (Extended Arabic-Indic: Persian and Urdu)
DIGIT_STYLES = (LATIN, ARABIC_INDIC, PERSIAN)
_ZERO = {ARABIC_INDIC: 0x0660, PERSIAN: 0x06F0}
_TABLES = {
    style: str.maketrans({str(d): chr(zero + d) for d in range(10)})
    for style, zero in _ZERO.items()
}


def language_direction(language: str) -> Literal["ltr", "rtl"]:
    """``"rtl"`` for a language written right to left (``"fa"``, ``"ur-PK"``), else ``"ltr"``."""
    base = (language or "").split("-")[0].split("_")[0].lower()
    return "rtl" if base in RTL_LANGUAGES else "ltr"


def first_strong(text: str) -> Literal["ltr", "rtl"] | None:
    """The direction of the first strong character of ``text`` (UAX #9, P2), skipping
    what sits inside isolates; ``None`` when it has none (only digits, punctuation)."""
    depth = 0
    for char in text:
        if char in (FSI, LRI, RLI):
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0:
            kind = unicodedata.bidirectional(char)
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
    return None


def isolate(text: str, direction: Direction = "auto") -> str:
    """``text`` as one isolated run for plain text: FSI (or LRI, RLI) … PDI. Empty text
    stays empty; text already wrapped in one isolate is not wrapped twice.

    ``direction="auto"`` lets the first strong character decide, which for text with
    none (a number, "1.", "60") is left to right (UAX #9, P3)."""
    if not text:
        return text
    if len(text) >= 2 and text[0] in _OPENING.values() and text[-1] == PDI:
        return text
    return f"{_OPENING[direction]}{text}{PDI}"


def isolate_label(text: str) -> str:
    """A label, code, number or file name ("Article 4.2", "D-1", "1.", ".docx") isolated
    left to right: its order never changes in a right-to-left line."""
    return isolate(text, "ltr")


def strip_isolates(text: str) -> str:
    """``text`` without the isolates (for reading back an export, comparing, searching)."""
    return "".join(c for c in text if c not in ISOLATES)


def digits_for_people(text: str, style: str) -> str:
    """``text`` with its ASCII digits shown in ``style`` (``latin`` leaves it alone).

    Only for what a person reads; never for codes, identifiers, URLs or stored data."""
    table = _TABLES.get(style)
    return text.translate(table) if table is not None else text


def ascii_digits(text: str) -> str:
    """``text`` with any Arabic-Indic or Persian digit as its ASCII digit (for reading
    what a person typed: "۱۲" is 12)."""
    out = []
    for char in text:
        value = unicodedata.digit(char, None) if not char.isascii() else None
        out.append(str(value) if value is not None and char.isdigit() else char)
    return "".join(out)
