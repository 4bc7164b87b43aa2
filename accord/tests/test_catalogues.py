"""The catalogues' tool (accord.catalogues): compiled files gettext reads, and translations
checked before they are written."""

from __future__ import annotations

import gettext
import json

import polib
import pytest

from accord import catalogues


@pytest.fixture
def locale(tmp_path, monkeypatch):
    """A copy of an Arabic catalogue with three entries, in place of the repository's."""
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "ar",
        "Plural-Forms": catalogues.PLURAL_FORMS["ar"],
    }
    po.append(polib.POEntry(msgid="Sign in", msgstr=""))
    po.append(polib.POEntry(msgid="{label} was adopted.", msgstr=""))
    po.append(
        polib.POEntry(
            msgid="%(n)s bracket", msgid_plural="%(n)s brackets", msgstr_plural={0: "", 1: ""}
        )
    )
    po.append(polib.POEntry(msgid="Read <a href='x'>the guide</a>.", msgstr=""))
    target = tmp_path / "ar" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True)
    po.save(str(target))
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    return tmp_path


def _answer(tmp_path, items):
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def test_what_is_left_is_exported_in_chunks_with_a_slot_per_plural_form(locale, tmp_path):
    written = catalogues.export_chunks("ar", tmp_path / "out", size=3)

    assert [p.name for p in written] == ["ar-001.json", "ar-002.json"]
    first = json.loads(written[0].read_text(encoding="utf-8"))
    assert [item["msgid"] for item in first] == [
        "Sign in",
        "{label} was adopted.",
        "%(n)s bracket",
    ]
    assert first[2]["msgstr_plural"] == [""] * 6


def test_good_translations_are_written_and_compiled_into_a_file_gettext_reads(locale, tmp_path):
    forms = ["لا أقواس", "قوس واحد", "قوسان", "%(n)s أقواس", "%(n)s قوسًا", "%(n)s قوس"]
    answer = _answer(
        tmp_path,
        [
            {"msgid": "Sign in", "msgstr": "تسجيل الدخول"},
            {"msgid": "%(n)s bracket", "msgid_plural": "%(n)s brackets", "msgstr_plural": forms},
        ],
    )

    written, refused = catalogues.import_translations("ar", [answer])
    catalogues.compile_all(locale)

    assert (written, refused) == (2, [])
    assert str(catalogues.status("ar")) == "ar: 2 translated, 2 untranslated, 0 fuzzy"
    with open(locale / "ar" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        read = gettext.GNUTranslations(mo)
    assert read.gettext("Sign in") == "تسجيل الدخول"
    # Arabic's six forms, chosen by the catalogue's own rule.
    picked = [read.ngettext("%(n)s bracket", "%(n)s brackets", n) for n in (0, 1, 2, 5, 11, 100)]
    assert picked == forms


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"msgid": "{label} was adopted.", "msgstr": "اعتُمد."}, "placeholders missing"),
        ({"msgid": "{label} was adopted.", "msgstr": "اعتُمد {lable}."}, "not in the English"),
        (
            {"msgid": "%(n)s bracket", "msgstr_plural": ["قوس", "%(n)s أقواس"]},
            "2 plural forms given, Arabic has 6",
        ),
        ({"msgid": "Read <a href='x'>the guide</a>.", "msgstr": "اقرأ الدليل."}, "HTML tags"),
        ({"msgid": "No such text", "msgstr": "لا"}, "no such msgid"),
    ],
)
def test_a_translation_that_would_break_the_page_is_refused_with_its_reason(
    locale, tmp_path, item, reason
):
    before = (locale / "ar" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")

    written, refused = catalogues.import_translations("ar", [_answer(tmp_path, [item])])

    assert written == 0
    assert len(refused) == 1 and reason in refused[0], refused
    assert "answer.json entry 1" in refused[0]
    after = polib.pofile(str(locale / "ar" / "LC_MESSAGES" / "django.po"))
    assert [e.msgstr for e in after if not e.msgid_plural] == ["", "", ""], before


def test_the_general_plural_form_keeps_the_count_that_the_others_may_drop(locale, tmp_path):
    forms = ["لا أقواس", "قوس واحد", "قوسان", "%(n)s أقواس", "%(n)s قوسًا", "أقواس"]
    item = {"msgid": "%(n)s bracket", "msgstr_plural": forms}

    _, refused = catalogues.import_translations("ar", [_answer(tmp_path, [item])])

    assert len(refused) == 1 and "form 5: placeholders missing" in refused[0]


def test_a_placeholder_with_a_conversion_or_a_format_is_still_a_placeholder(locale, tmp_path):
    item = {"msgid": "{label} was adopted.", "msgstr": "{label!r} اعتُمد."}

    _, refused = catalogues.import_translations("ar", [_answer(tmp_path, [item])])

    assert len(refused) == 1 and "{label!r}" in refused[0]
