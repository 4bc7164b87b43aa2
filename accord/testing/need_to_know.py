"""One check, run on every app's lists, search and the live feed: a reader who sees n
things of a kind learns nothing about the others.

Not their content and not their existence: no hidden thing's public id, no integer key
(a sequence shows its gaps: "I see documents 1 and 3, so 2 exists"), no subject like
``document:2``, no link with a numeric id in its path, and no total larger than what
the reader was shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Model

# A path segment that is only digits: /drafting/documents/2/ names a row by its key.
_NUMERIC_SEGMENT = re.compile(
    r"""(?:href|action|src|hx-(?:get|post|put|delete|patch))=["'][^"']*/\d+(?:/|["'?#])"""
)
# "document:2" as an event subject or anywhere a thing is named kind:key.
_INTEGER_SUBJECT = re.compile(r"""["'>\s](?:[a-z_]+):(\d+)["'<\s]""")
_ID_KEYS = re.compile(r"^(?:id|pk|.*_id|.*_pk|seq)$")
_TOTAL_KEYS = frozenset({"count", "total", "total_count", "n", "size", "num"})


def _text(body: Any) -> str:
    if isinstance(body, bytes):
        return body.decode("utf-8", "replace")
    if isinstance(body, str):
        return body
    return json.dumps(body)


def _walk(value: Any, path: str = "$") -> Iterable[tuple[str, str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key), item
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def leaks_of(
    body: Any,
    *,
    hidden: Iterable[Model] = (),
    shown: int | None = None,
    allowed_integer_keys: Iterable[str] = (),
) -> list[str]:
    """What ``body`` (a JSON value, or page/feed text) gives away, as sentences; none: [].

    ``hidden``: rows the reader may not see (their ``public_id``, or a UUID ``pk``, must
    not appear). ``shown``: how many things of the kind the reader may see; a total in
    the body larger than it is a leak. ``allowed_integer_keys``: JSON keys whose integer
    values are not row keys (a revision's number within its document, a day count).
    """
    problems: list[str] = []
    text = _text(body)
    for row in hidden:
        for name in ("public_id", "pk"):
            value = getattr(row, name, None)
            if value is not None and not isinstance(value, int) and str(value) in text:
                problems.append(
                    f"the {type(row).__name__} hidden from the reader appears ({value})"
                )
    allowed = set(allowed_integer_keys)
    parsed: Any = body
    if isinstance(body, str | bytes):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
    if parsed is not None:
        for path, key, value in _walk(parsed):
            integer = isinstance(value, int) and not isinstance(value, bool)
            if integer and key not in allowed and _ID_KEYS.match(key):
                problems.append(f"{path}.{key} is an integer key ({value})")
            if integer and shown is not None and key in _TOTAL_KEYS and value > shown:
                problems.append(f"{path}.{key} counts {value}, more than the {shown} shown")
            if isinstance(value, str) and re.fullmatch(r"[a-z_]+:\d+", value) and key == "subject":
                problems.append(f"{path}.subject names a row by its integer key ({value})")
    else:
        for match in _NUMERIC_SEGMENT.finditer(text):
            problems.append(f"a link names a row by its integer key: {match.group(0)}")
    for match in _INTEGER_SUBJECT.finditer(text):
        problems.append(f"a subject names a row by its integer key: {match.group(0).strip()}")
    return problems


def assert_learns_nothing_of_others(body: Any, **kwargs: Any) -> None:
    """Fail, saying what leaked, if ``body`` gives anything away (see ``leaks_of``)."""
    problems = leaks_of(body, **kwargs)
    assert not problems, "; ".join(problems)
