"""Mixed-direction text isolated on right-to-left pages (issue 20, point 7; decision 0160).

The strings the issue found scrambled in an RTL page ("day roadmap to a comprehensive
agreement-60", "(brackets, 2 divergences 0) 2", ".1", "docx.") are each rendered inside
an isolate, so the browser lays them out on their own; the browser test
(``browser/test_bidi_browser.py``) checks the order they are drawn in.
"""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accord.divergences.demo import demo_content_ensure as divergences_ensure
from accord.divergences.models import Divergence
from accord.drafting.demo import demo_content_ensure as drafting_ensure
from accord.drafting.models import Document


@pytest.fixture(autouse=True)
def _language_reset():
    """A page asked for in another language leaves it active in this thread (Django's
    LocaleMiddleware activates without deactivating): back to English for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


RTL = ["fa", "ar", "ur"]


def _client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_bidi_filter_isolates_escaped_content_by_its_first_strong_character():
    assert _render("{{ t|bidi }}", t="60-day <b>") == "<bdi>60-day &lt;b&gt;</bdi>"
    assert _render('{{ t|bidi:"ltr" }}', t="D-1") == '<bdi dir="ltr">D-1</bdi>'
    assert _render("{{ t|bidi }}", t="") == ""


def test_the_bidi_block_isolates_a_composed_phrase_as_one_unit():
    html = _render("{% bidi %} ({{ n }} brackets, {{ m }} divergences) {% endbidi %}", n=2, m=0)
    assert html == "<bdi>(2 brackets, 0 divergences)</bdi>"
    assert _render('{% bidi "ltr" %}1.{% endbidi %}') == '<bdi dir="ltr">1.</bdi>'


def test_the_issues_strings_are_isolated_on_a_right_to_left_page(cast, islamabad):
    # Given the demo's texts and divergences
    drafting_ensure(process=islamabad)
    divergences_ensure(process=islamabad)
    annex = Document.objects.get(title__startswith="Annex I")
    code = Divergence.objects.order_by("pk").first().code
    assert re.fullmatch(r"D-\d+", code)
    for language in RTL:
        # When an Iranian delegate reading in an RTL language opens the process home, a
        # text and the divergence board
        client = _client(cast["ir-head"], language)
        home = client.get(reverse("process:home"))
        document = client.get(reverse("drafting:document", args=[annex.public_id]))
        board = client.get(reverse("divergences:board"))

        # Then the page is right to left and every mixed or neutral label is isolated
        assert home.status_code == 200
        assert document.status_code == 200
        assert board.status_code == 200
        assert f'lang="{language}" dir="rtl"' in home.text
        assert "<bdi>60-day roadmap to a comprehensive agreement</bdi>" in home.text
        # the count phrase in the page's language, isolated as one unit (Arabic may say
        # "two brackets" in one word, without a digit)
        assert re.search(r"<bdi>\([^<()]+\)</bdi>", home.text)
        assert re.search(r'<a class="num" dir="ltr" [^>]*>1\.</a>', document.text)
        assert '<bdi dir="ltr">.docx</bdi>' in document.text
        assert f'<bdi dir="ltr">{code}</bdi>' in board.text


def test_a_provisions_label_is_isolated_left_to_right_on_its_own_page(cast, islamabad):
    drafting_ensure(process=islamabad)
    annex = Document.objects.get(title__startswith="Annex I")
    provision = annex.provisions.exclude(label="").order_by("pk").first()
    response = _client(cast["ir-head"], "fa").get(
        reverse("drafting:provision", args=[provision.wid])
    )
    assert response.status_code == 200
    assert f'<bdi dir="ltr">{provision.label}</bdi>' in response.text
    assert provision.label.startswith(("Article", "Paragraph", "Section", "Annex", "Preamble"))
