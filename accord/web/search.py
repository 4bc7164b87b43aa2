"""Search across what a user may see, one source per app (``accord/<app>/search.py``).

Every source is built on its app's selectors, so search can only ever find what the
access policy already lets the user read. Sources are listed here, in the order their
hits are shown.
"""

from accord.accounts.models import User
from accord.channels import search as channels_search
from accord.compliance import search as compliance_search
from accord.divergences import search as divergences_search
from accord.drafting import search as drafting_search
from accord.meetings import search as meetings_search
from accord.notes import search as notes_search
from accord.process import search as process_search
from accord.search_base import SearchHit

SOURCES = (
    process_search,
    notes_search,
    drafting_search,
    meetings_search,
    divergences_search,
    channels_search,
    compliance_search,
)
MIN_QUERY_CHARS = 2
MAX_HITS_PER_SOURCE = 50


def search(*, actor: User, query: str) -> list[SearchHit]:
    query = query.strip()
    if len(query) < MIN_QUERY_CHARS:
        return []
    hits: list[SearchHit] = []
    for source in SOURCES:
        hits.extend(source.search_hits(actor=actor, query=query, limit=MAX_HITS_PER_SOURCE))
    return hits
