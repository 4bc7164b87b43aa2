"""What every app's search source returns: the shared shape of a search hit.

Each app with searchable material provides ``accord/<app>/search.py`` with
``search_hits(*, actor, query, limit) -> list[SearchHit]``, built on that app's
selectors, so search can only ever find what the access policy already lets the user
read. ``accord.web.search`` gathers them; this module sits low so that feature apps
need not import the web layer.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    snippet: str
    url: str
    # What the hit is about as an event or agenda item names it ("divergence:<public
    # id>"), where a form may refer to it; "" for what nothing refers to.
    subject: str = ""


def numbered(query: str, prefix: str) -> int | None:
    """The number of a code like ``D-1`` (``prefix`` "D") that ``query`` is, else None.
    Case and the hyphen are forgiven: "d-1", "D1", "D 1"."""
    found = re.fullmatch(rf"{re.escape(prefix)}[-\s]?(\d+)", query.strip(), re.IGNORECASE)
    return int(found.group(1)) if found else None


def snippet(text: str, query: str, width: int = 80) -> str:
    """The part of ``text`` around the first match of ``query``."""
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: 2 * width]
    start = max(0, at - width)
    return ("…" if start else "") + text[start : at + len(query) + width]
