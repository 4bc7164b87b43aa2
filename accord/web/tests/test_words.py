"""Pages speak in words: unambiguous times in the viewer's zone, codes in words,
placeholders shown rather than swallowed as tags (decisions 0082, 0083)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "accord").glob("*/templates/**/*.html"))
KARACHI = zoneinfo.ZoneInfo("Asia/Karachi")
# Template names of HTML elements a translated sentence may carry.
HTML_TAGS = {"a", "b", "br", "code", "em", "i", "kbd", "small", "span", "strong", "time"}


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_time_reads_with_the_month_by_name_and_the_zone_named():
    # Given a moment in December of this year, viewed in Islamabad.
    year = timezone.now().year
    moment = dt.datetime(year, 12, 1, 10, 47, tzinfo=dt.UTC)
    # When shown with the one time filter; then day, month's name, time and zone.
    with timezone.override(KARACHI):
        assert _render("{{ t|when }}", t=moment) == "1 Dec 15:47 PKT"
    with timezone.override(dt.UTC):
        assert _render("{{ t|when }}", t=moment) == "1 Dec 10:47 UTC"
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tehran")):
        assert _render("{{ t|when }}", t=moment) == "1 Dec 14:17 GMT+3:30"
    with timezone.override(zoneinfo.ZoneInfo("Asia/Dubai")):
        assert _render("{{ t|when:'seconds' }}", t=moment) == "1 Dec 14:47:00 GMT+4"


def test_a_time_of_another_year_carries_its_year_and_a_day_reads_the_same_way():
    moment = dt.datetime(2020, 3, 4, 5, 6, tzinfo=dt.UTC)
    with timezone.override(dt.UTC):
        assert _render("{{ t|when }}", t=moment) == "4 Mar 2020 05:06 UTC"
        assert _render("{{ d|day }}", d=dt.date(2020, 3, 4)) == "4 Mar 2020"
        assert _render("{{ d|day }}", d=timezone.localdate()) == (
            f"{timezone.localdate().day} {timezone.localdate():%b}"
        )
    assert _render("{{ t|when }}{{ d|day }}", t=None, d=None) == ""


def test_a_month_name_follows_the_active_language():
    moment = dt.datetime(2020, 3, 4, 5, 6, tzinfo=dt.UTC)
    with timezone.override(dt.UTC), translation.override("fa"):
        assert "Mar" not in _render("{{ t|when }}", t=moment)


def test_a_page_shows_times_in_the_viewers_own_zone(cast):
    # Given a Pakistani facilitator (Asia/Karachi) with an API token.
    client = Client()
    client.force_login(cast["pk-chair"])
    client.post(reverse("accounts:tokens"), {"name": "script"})
    # When they open the tokens page; then its time is in their zone, named.
    page = client.get(reverse("accounts:tokens"))
    assert page.status_code == 200
    assert " PKT</td>" in page.text


def test_no_template_formats_a_date_for_people_itself():
    """People read times through ``when`` and days through ``day``; ``|date:`` is
    left for machines (an ISO ``datetime`` attribute, a form's or a link's value)."""
    machine = re.compile(r"""(datetime|value|date)=["']?\{\{ [^}]*\|date:['"](c|Y-m-d)['"] \}\}""")
    found = []
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "|date:" in machine.sub("", line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


def test_escalations_read_who_they_reached_in_words():
    text = _render(
        '{% load i18n %}{% blocktranslate with to=e|in_words:"escalated_to" %}escalated to'
        " {{ to }}{% endblocktranslate %}",
        e="backup_duty_officer",
    )
    assert text == "escalated to the backup duty officer"


def _translated_literals(source: str) -> list[str]:
    said = re.findall(r"""\{% (?:translate|trans) (["'])(.*?)\1""", source)
    blocks = re.findall(r"\{% blocktrans(?:late)?[^%]*%\}(.*?)\{% endblocktrans", source, re.S)
    return [text for _, text in said] + blocks


def test_no_translated_sentence_carries_a_placeholder_a_browser_takes_for_a_tag():
    """A literal sentence is not escaped ("<token>" would vanish as an unknown tag):
    write placeholders escaped, or outside the sentence."""
    found = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path in TEMPLATES
        for text in _translated_literals(path.read_text(encoding="utf-8"))
        for tag in re.findall(r"</?([A-Za-z_][\w-]*)[^>]*>", text)
        if tag.lower() not in HTML_TAGS
    ]
    assert found == []


def test_the_tokens_page_shows_the_header_with_its_placeholder(cast):
    client = Client()
    client.force_login(cast["us-head"])
    page = client.get(reverse("accounts:tokens"))
    assert page.status_code == 200
    assert "Bearer &lt;token&gt;" in page.text


@pytest.mark.parametrize("path", ["/favicon.ico"])
def test_the_favicon_is_served(client, path):
    response = client.get(path)
    assert response.status_code in (200, 301, 302)
    if response.status_code != 200:
        assert client.get(response["Location"]).status_code == 200
