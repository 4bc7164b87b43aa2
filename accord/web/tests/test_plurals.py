"""Counts read right in every language: "1 divergence", "2 days left", "duty watches".

A count beside a noun goes through ``ngettext`` / ``{% blocktranslate count %}`` (the
catalogue gives each language its plural forms); never "(s)", never a plural noun after
a number in a sentence that does not count.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import Context, Template

from accord.testing.translation_marks import python_sources

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "accord").glob("*/templates/**/*.html"))
# Words ending in "s" that are not plural nouns.
NOT_PLURAL = {"is", "as", "has", "was", "its", "this", "us", "s", "ms", "minutes"}
BLOCK = re.compile(r"\{% blocktrans(?:late)?( [^%]*)?%\}(.*?)\{% endblocktrans(?:late)? %\}", re.S)
NUMBER_THEN_PLURAL = re.compile(r"\{\{ *\w+ *\}\} +([a-z]+s)\b")


def plural_problems(source: str) -> list[str]:
    """Sentences of ``source`` (a template) that put a plural noun after a number
    without counting it."""
    found = []
    for options, text in BLOCK.findall(source):
        if " count " in f" {options} ":
            continue
        found += [word for word in NUMBER_THEN_PLURAL.findall(text) if word not in NOT_PLURAL]
    return found


def test_the_plural_check_finds_an_uncounted_plural_and_passes_a_counted_one():
    assert plural_problems(
        "{% blocktranslate with n=x %}{{ n }} days left{% endblocktranslate %}"
    ) == ["days"]
    assert (
        plural_problems(
            "{% blocktranslate count n=x %}{{ n }} day left{% plural %}{{ n }} days left"
            "{% endblocktranslate %}"
        )
        == []
    )


def test_no_template_puts_an_uncounted_plural_after_a_number():
    found = {
        str(path.relative_to(ROOT)): problems
        for path in TEMPLATES
        if (problems := plural_problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_no_sentence_hedges_its_plural_with_parentheses():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in [*python_sources(ROOT / "accord"), *TEMPLATES]
        if "/tests/" not in str(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""["'][^"'\n]*[a-z]\(s\)""", line)
    ]
    assert found == []


def test_a_count_of_one_reads_in_the_singular():
    # Given the divergence board's countdown; when one day is left; then "1 day left".
    source = (
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} day left{% plural %}"
        "{{ n }} days left{% endblocktranslate %}"
    )
    assert Template(source).render(Context({"n": 1})) == "1 day left"
    assert Template(source).render(Context({"n": 2})) == "2 days left"


def test_every_model_is_named_in_the_plural_as_english_does():
    """The admin's lists: "duty watches", not "duty watchs"."""
    wrong = []
    for model in apps.get_app_configs():
        if not model.name.startswith("accord"):
            continue
        for m in model.get_models():
            one, many = str(m._meta.verbose_name), str(m._meta.verbose_name_plural)
            if one == many:
                continue
            sibilant = re.search(r"(s|x|z|ch|sh)$", one) and not many.endswith("es")
            consonant_y = re.search(r"[^aeiou]y$", one) and not many.endswith("ies")
            if sibilant or consonant_y:
                wrong.append(many)
    assert wrong == []
