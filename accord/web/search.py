"""Search across what a user may see, one source per app.

Each app that has searchable material provides ``accord/<app>/search.py`` with
``search_hits(*, actor, query, limit) -> list[SearchHit]``, built on that app's
selectors, so search can only ever find what the access policy already lets the user
read. Sources are listed here, in the order their hits are shown.
"""

from dataclasses import dataclass
from importlib import import_module

SOURCES = (
    "accord.process.search",
    "accord.notes.search",
    "accord.drafting.search",
    "accord.meetings.search",
    "accord.divergences.search",
    "accord.channels.search",
)
MIN_QUERY_CHARS = 2
MAX_HITS_PER_SOURCE = 50


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    snippet: str
    url: str


def snippet(text: str, query: str, width: int = 80) -> str:
    """The part of ``text`` around the first match of ``query``."""
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: 2 * width]
    start = max(0, at - width)
    return ("…" if start else "") + text[start : at + len(query) + width]


def _sources() -> list:
    modules = []
    for path in SOURCES:
        try:
            modules.append(import_module(path))
        except ModuleNotFoundError as error:
            if error.name != path:  # a real import error inside the module
                raise
    return modules


def search(*, actor: object, query: str) -> list[SearchHit]:
    query = query.strip()
    if len(query) < MIN_QUERY_CHARS:
        return []
    hits: list[SearchHit] = []
    for source in _sources():
        hits.extend(source.search_hits(actor=actor, query=query, limit=MAX_HITS_PER_SOURCE))
    return hits
