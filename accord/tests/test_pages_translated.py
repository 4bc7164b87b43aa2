"""Pages in Persian, Arabic and Urdu say nothing in English that the catalogue translates
(issue 20, point 7), and the catalogues are complete.

The check: every English sentence of the catalogue (its msgids, cut at placeholders into
fragments of three words or more) is looked for in the visible text of the pages a delegate
and a facilitator reach from their home page, in each language. A fragment found is a
string rendered without its translation: marked but not translated, or translated in a
way the page never picks up (an eager gettext at import time, a string built around
gettext).
"""

from __future__ import annotations

import html
import re
from functools import cache

import polib
import pytest
from django.test import Client

from accord import catalogues
from accord.web.management.commands.demo import DEMO_CONTENT

LANGUAGES = ["fa", "ar", "ur"]
ROLES = ["ir-head", "pk-chair"]
NOT_PAGES = ("/accounts/logout", "/i18n/", "/static/", "/admin/", "/events/stream", "/api/")
# Exports and files: their words are the document's, not the interface's.
NOT_HTML = (".docx", ".pdf", ".ics", ".json", ".csv", ".kml", ".geojson", ".txt", ".xml")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|%%|%[sd]|<[^>]+>")


@cache
def _english_fragments() -> tuple[str, ...]:
    """The catalogue's English, as literal runs of at least three words."""
    found = set()
    for entry in polib.pofile(str(catalogues.catalogue_path("ur"))):
        for text in filter(None, (entry.msgid, entry.msgid_plural)):
            for piece in _PLACEHOLDER.split(html.unescape(text)):
                words = piece.split()
                if len(words) >= 3 and any(len(w) > 3 for w in words):
                    found.add(" ".join(words))
    return tuple(sorted(found, key=len, reverse=True))


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def _links(page: str) -> set[str]:
    return {
        href
        for href in re.findall(r'href="(/[^"#?]*)', page)
        if not href.startswith(NOT_PAGES) and not href.endswith(NOT_HTML)
    }


@pytest.fixture
def demo(cast, islamabad):
    for app in DEMO_CONTENT:
        app.demo_content_ensure(process=islamabad)
    return cast


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_is_complete_and_every_translation_usable(language):
    status = catalogues.status(language)

    assert (status.untranslated, status.fuzzy) == (0, 0), str(status)
    assert catalogues.catalogue_problems(language) == []


def test_the_pages_a_delegate_and_a_facilitator_reach_say_nothing_in_english(demo):
    fragments = _english_fragments()
    untranslated: dict[str, set[str]] = {}
    visited = 0
    for language in LANGUAGES:
        for username in ROLES:
            user = demo[username]
            user.language = language
            user.save(update_fields=["language"])
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(user)
            home = client.get("/")
            assert home.status_code == 200
            assert f'lang="{language}"' in home.text
            for url in sorted({"/", *_links(home.text)}):
                page = client.get(url)
                if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                    continue
                visited += 1
                text = _visible_text(page.text)
                for fragment in fragments:
                    if fragment in text:
                        untranslated.setdefault(fragment, set()).add(f"{language} {username} {url}")

    assert visited >= 3 * 20, visited
    assert untranslated == {}
