"""How many database queries a page or API list costs, to assert it does not grow with
the data (issue 18): ``query_counts(client, urls, grow)`` counts each request, lets
``grow`` add rows, counts again and returns both counts per URL."""

from collections.abc import Callable, Iterable

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_of(client: Client, url: str, **headers: str) -> tuple[int, int]:
    """(status, number of queries) of a GET of ``url``."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or None)
    return response.status_code, len(captured.captured_queries)


def query_counts(
    client: Client, urls: Iterable[str], grow: Callable[[], None]
) -> dict[str, tuple[int, int]]:
    """For each of ``urls``, its queries before and after ``grow()`` adds rows (every
    answer 200).

    Each request is made once first to warm per-process caches (the charter,
    translations), so neither count includes a one-off."""
    urls = list(urls)
    before = {}
    for url in urls:
        client.get(url)
        status, before[url] = queries_of(client, url)
        assert status == 200, url
    grow()
    counts = {}
    for url in urls:
        status, after = queries_of(client, url)
        assert status == 200, url
        counts[url] = (before[url], after)
    return counts


def link_to(response: HttpResponse, rel: str) -> str | None:
    """The URL of the ``rel`` ("next", "prev") page in an API list's Link header."""
    for part in response.get("Link", "").split(","):
        url, _, params = part.strip().partition(";")
        if params.strip() == f'rel="{rel}"':
            return url.strip()[1:-1]
    return None
