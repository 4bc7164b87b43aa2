"""One way to page through a list: keyset cursors for pages and API lists (decision 0130).

A list is read ``limit`` rows at a time in a fixed order that ends in a unique field
(``("-created_at", "-id")``). A page remembers where it stopped by the *values* of
those fields in its last (or first) row, not by an offset, so rows written meanwhile
never shift a page or show a row twice: "older" goes on after the last row, "newer"
back before the first. The cursor carrying those values is enciphered and
authenticated (Fernet, under a key derived from ``ACCORD_CURSOR_SECRET``): it shows
nothing of the rows (no integer key, no count) and a forged or altered one, or one
issued for another list, is refused with ``page.cursor_invalid`` (400), a limit outside
1..500 with ``page.limit_invalid`` (422).

Use, in a selector's caller (a view or an API list)::

    from accord import pagination

    page = pagination.page_of(
        selectors.note_list(actor=user), list_name="notes",
        order=("-created_at", "-id"), cursor=request.GET.get("cursor"), limit=50,
    )
    page.items, page.older, page.newer   # rows; cursors (or None) for the links

An API list takes ``page: Query[pagination.PageQuery]`` and a temporal ``response:
HttpResponse``, and ``pagination.api_page(...)`` sets the ``Link: <...>; rel="next"``
header (and ``rel="prev"``); the body stays the JSON list it was.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

from accord.errors import AccordError, ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

LIMIT_INVALID = ValidationFailed.case(
    "page.limit_invalid", _("The limit must be a whole number from 1 to {most}.")
)
# 400 like ``event.cursor_invalid``: a cursor is a token this server issued, not a value
# the caller chooses; one that does not decode is a forged or foreign request.
CURSOR_INVALID = AccordError.case(
    "page.cursor_invalid",
    _("The cursor is not one this server issued for this list: start again without it."),
)

M = TypeVar("M", bound=Model)


class PageQuery(Schema):
    """The two query parameters of every API list."""

    limit: int = Field(
        default=DEFAULT_LIMIT,
        description=f"How many items to return, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    )
    cursor: str | None = Field(
        default=None,
        description=(
            "Where to go on from: the cursor in the previous answer's Link header "
            '(rel="next" or rel="prev"). Leave out for the first page.'
        ),
    )


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page of a list: its rows, and the cursors to the pages on either side."""

    items: list[M]
    older: str | None  # further along the order (the next page), None at the end
    newer: str | None  # back towards the start (the previous page), None at the start

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"accord-page-cursor:" + settings.ACCORD_CURSOR_SECRET.encode())
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def cursor_encode(*, list_name: str, direction: str, key: Sequence[Any]) -> str:
    """The opaque cursor for going ``direction`` ("older"/"newer") from ``key``."""
    plain = json.dumps({"l": list_name, "d": direction, "k": [_plain(v) for v in key]})
    return _fernet().encrypt(plain.encode()).decode()


def cursor_decode(cursor: str, *, list_name: str, width: int) -> tuple[str, list[Any]]:
    """(direction, key values) inside ``cursor``; ``CURSOR_INVALID`` if it is not one
    this server issued for ``list_name``."""
    try:
        data = json.loads(_fernet().decrypt(cursor.strip().encode()))
    except (InvalidToken, ValueError, TypeError):
        raise CURSOR_INVALID() from None
    if (
        not isinstance(data, dict)
        or data.get("l") != list_name
        or data.get("d") not in ("older", "newer")
        or not isinstance(data.get("k"), list)
        or len(data["k"]) != width
    ):
        raise CURSOR_INVALID()
    return data["d"], data["k"]


def limit_checked(limit: int | None, *, default: int = DEFAULT_LIMIT) -> int:
    """``limit`` if it is 1..MAX_LIMIT, ``default`` when not given; else ``LIMIT_INVALID``."""
    if limit is None:
        return default
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise LIMIT_INVALID(most=MAX_LIMIT)
    return limit


def _after(order: Sequence[str], key: Sequence[Any], *, reverse: bool) -> Q:
    """Rows strictly after ``key`` in ``order`` (before it when ``reverse``)."""
    condition = Q()
    for i, spec in enumerate(order):
        name = spec.lstrip("-")
        descending = spec.startswith("-") != reverse
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": key[i]})
        for earlier, value in zip(order[:i], key[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def _key(row: Model, order: Sequence[str]) -> list[Any]:
    values = []
    for spec in order:
        value: Any = row
        for part in spec.lstrip("-").split("__"):
            value = getattr(value, "pk" if part == "pk" else part)
        values.append(value)
    return values


def page_of(
    queryset: QuerySet[M],
    *,
    list_name: str,
    order: Sequence[str],
    cursor: str | None = None,
    limit: int | None = None,
    default_limit: int = DEFAULT_LIMIT,
) -> Page[M]:
    """One page of ``queryset`` in ``order`` (its last field unique and never null),
    starting from ``cursor`` (none: the first page). Two queries at most: the rows
    (one more than ``limit``, to know whether there is a next page), and nothing else."""
    size = limit_checked(limit, default=default_limit)
    order = tuple(order)
    direction, key = ("older", None)
    if cursor:
        direction, key = cursor_decode(cursor, list_name=list_name, width=len(order))
    backwards = direction == "newer"
    rows = queryset
    if key is not None:
        rows = rows.filter(_after(order, key, reverse=backwards))
    if backwards:
        rows = rows.order_by(*(s[1:] if s.startswith("-") else f"-{s}" for s in order))
    else:
        rows = rows.order_by(*order)
    found = list(rows[: size + 1])
    more = len(found) > size
    items = found[:size]
    if backwards:
        items.reverse()
    # Forwards: a next page if one more row came; a previous one if we came from a cursor.
    # Backwards: the mirror image.
    has_older = more if not backwards else True
    has_newer = (key is not None) if not backwards else more
    if not items:
        return Page(items=[], older=None, newer=None)
    older = (
        cursor_encode(list_name=list_name, direction="older", key=_key(items[-1], order))
        if has_older
        else None
    )
    newer = (
        cursor_encode(list_name=list_name, direction="newer", key=_key(items[0], order))
        if has_newer
        else None
    )
    return Page(items=items, older=older, newer=newer)


def page_link(request: HttpRequest, cursor: str) -> str:
    """The URL of this request with ``cursor`` in place of its own (other parameters kept)."""
    query = request.GET.copy()
    query["cursor"] = cursor
    return f"{request.path}?{query.urlencode()}"


def api_page(
    request: HttpRequest,
    response: HttpResponse,
    queryset: QuerySet[M],
    *,
    page: PageQuery,
    list_name: str,
    order: Sequence[str],
) -> list[M]:
    """The rows of one page of an API list; the ``Link`` header of ``response`` names the
    next (``rel="next"``) and previous (``rel="prev"``) pages, absolute URLs."""
    found = page_of(
        queryset, list_name=list_name, order=order, cursor=page.cursor, limit=page.limit
    )
    links = []
    if found.older:
        links.append(f'<{request.build_absolute_uri(page_link(request, found.older))}>; rel="next"')
    if found.newer:
        links.append(f'<{request.build_absolute_uri(page_link(request, found.newer))}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return found.items


def api_list(
    request: HttpRequest,
    response: HttpResponse,
    items: Sequence[Any],
    *,
    page: PageQuery,
    list_name: str,
) -> list[Any]:
    """One page of a short list already in memory (a charter's bodies, a roster), by
    position: such lists change only with the charter, so an index is stable enough."""
    size = limit_checked(page.limit)
    start = 0
    if page.cursor:
        direction, key = cursor_decode(page.cursor, list_name=list_name, width=1)
        if not isinstance(key[0], int) or key[0] < 0:
            raise CURSOR_INVALID()
        start = key[0] if direction == "older" else max(0, key[0] - size)
    chosen = list(items[start : start + size])
    links = []
    if start + size < len(items):
        nxt = cursor_encode(list_name=list_name, direction="older", key=[start + size])
        links.append(f'<{request.build_absolute_uri(page_link(request, nxt))}>; rel="next"')
    if start > 0:
        prev = cursor_encode(list_name=list_name, direction="newer", key=[start])
        links.append(f'<{request.build_absolute_uri(page_link(request, prev))}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return chosen


# How the OpenAPI document describes the Link header of every paged list.
LINK_HEADER = {
    "Link": {
        "description": (
            'The next and previous pages, as <url>; rel="next" and <url>; rel="prev" '
            "(RFC 8288); absent at the end of the list."
        ),
        "schema": {"type": "string"},
    }
}


def document_pages(schema: dict[str, Any]) -> None:
    """Add the Link header to the 200 answer of every operation that takes a cursor."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            names = {p.get("name") for p in operation.get("parameters", [])}
            if "cursor" in names and "limit" in names:
                ok = operation.get("responses", {}).get(200)
                if isinstance(ok, dict):
                    ok.setdefault("headers", {}).update(LINK_HEADER)
