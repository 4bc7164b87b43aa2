"""Charter text in several languages: names and mandates as ``{en: …, fa: …}``, validated
with located problems, shown in the reader's language with English as fallback (issue 20,
point 6; decision 0164)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accord.process.charter import charter_parse
from accord.process.models import Body, Delegation
from accord.process.tests.test_charter import BASE, only_problem


@pytest.fixture(autouse=True)
def _language_reset():
    """A page asked for in another language leaves it active in this thread (Django's
    LocaleMiddleware activates without deactivating): back to English for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


IRAN = """    name: Islamic Republic of Iran
    short_name: Iran
"""


def _with_iran(names: str) -> str:
    assert IRAN in BASE
    return BASE.replace(IRAN, names)


def test_a_name_in_several_languages_keeps_its_english_and_its_translations():
    charter = charter_parse(
        _with_iran(
            "    name: {en: Islamic Republic of Iran, fa: جمهوری اسلامی ایران}\n"
            "    short_name: Iran\n"
        ),
        filename="t.yaml",
    )
    iran = next(p for p in charter.parties if p.code == "IR")
    assert iran.name == "Islamic Republic of Iran"
    assert iran.translated("name", "fa") == "جمهوری اسلامی ایران"
    assert iran.translated("name", "ur") == "Islamic Republic of Iran"  # English as fallback


def test_a_name_without_english_is_refused_on_its_line():
    text = _with_iran("    name: {fa: جمهوری اسلامی ایران}\n    short_name: Iran\n")
    problem = only_problem(text)
    assert "not in English" in problem.message
    assert problem.line == text.splitlines().index("  - code: IR") + 1


def test_a_translation_under_a_wrong_language_code_is_refused_on_its_line():
    text = _with_iran(
        "    name: Islamic Republic of Iran\n    short_name: {en: Iran, Farsi: ایران}\n"
    )
    problem = only_problem(text)
    assert "'Farsi' is not a language code" in problem.message
    assert problem.line == next(n for n, line in enumerate(text.splitlines(), 1) if "Farsi" in line)


def test_a_delegations_language_must_be_a_language_code():
    text = BASE.replace("    language: fa\n", "    language: Persian\n", 1)
    assert text != BASE
    problem = only_problem(text)
    assert "'Persian' is not a language code" in problem.message


def test_the_loaded_charter_names_a_party_and_a_body_in_the_readers_language(cast, islamabad):
    # Given the default charter, which names its parties and the HLC in four languages
    iran = Delegation.objects.get(process=islamabad, code="IR")
    hlc = Body.objects.get(process=islamabad, code="HLC")

    # Then each reads in the active language, English otherwise
    with translation.override("fa"):
        assert str(iran) == "ایران" and str(hlc) == "کمیته عالی"
    with translation.override("ur"):
        assert str(hlc) == "اعلیٰ سطحی کمیٹی"
    with translation.override("en"):
        assert str(iran) == "Iran" and str(hlc) == "High-Level Committee"
    assert iran.name == "Islamic Republic of Iran"  # stored: the English

    # And a page in Arabic shows the Arabic name
    client = Client()
    client.force_login(cast["qa-chair"])
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("process:home"))
    assert page.status_code == 200
    assert "قطر" in page.text
