# ruff: noqa: RUF001 - the file is about Arabic-Indic and Persian digits
"""Mixed-direction text and digits for people (accord.bidi, decision 0160)."""

import datetime as dt

import pytest

from accord import bidi, calendars


def test_a_label_is_isolated_left_to_right_and_closed():
    assert bidi.isolate_label("Article 4.2") == "\u2066Article 4.2\u2069"
    assert bidi.isolate_label("D-1") == f"{bidi.LRI}D-1{bidi.PDI}"


def test_text_of_unknown_direction_is_isolated_by_its_first_strong_character():
    assert bidi.isolate("60-day roadmap to a comprehensive agreement").startswith(bidi.FSI)
    assert bidi.isolate("نقشه راه") == f"{bidi.FSI}نقشه راه{bidi.PDI}"


def test_empty_text_and_text_already_isolated_are_left_alone():
    assert bidi.isolate("") == ""
    once = bidi.isolate(".docx", "ltr")
    assert bidi.isolate(once) == once


def test_the_first_strong_character_skips_digits_punctuation_and_isolated_runs():
    assert bidi.first_strong("1. Article") == "ltr"
    assert bidi.first_strong("(۲) مادهٔ") == "rtl"
    assert bidi.first_strong("1.") is None
    assert bidi.first_strong(f"{bidi.LRI}D-1{bidi.PDI} اختلاف") == "rtl"


@pytest.mark.parametrize(
    ("language", "direction"),
    [("fa", "rtl"), ("ar", "rtl"), ("ur-PK", "rtl"), ("en", "ltr"), ("am", "ltr"), ("", "ltr")],
)
def test_each_language_has_its_direction(language, direction):
    assert bidi.language_direction(language) == direction


def test_digits_for_people_change_only_digits_and_read_back_as_ascii():
    assert bidi.digits_for_people("2 Dec 2026 15:47", bidi.PERSIAN) == "۲ Dec ۲۰۲۶ ۱۵:۴۷"
    assert bidi.digits_for_people("(2, 0)", bidi.ARABIC_INDIC) == "(٢, ٠)"
    assert bidi.digits_for_people("D-12", bidi.LATIN) == "D-12"
    assert bidi.ascii_digits("۱۲ و ٣٤") == "12 و 34"


def test_stripping_the_isolates_gives_back_the_text():
    text = f"{bidi.isolate_label('1.')} {bidi.isolate('متن')}"
    assert bidi.strip_isolates(text) == "1. متن"


def test_the_solar_hijri_day_is_named_in_the_readers_script():
    day = dt.date(2026, 12, 2)
    assert calendars.solar_hijri(day) == (1405, 9, 11)
    assert calendars.solar_hijri_words(day, "en") == "11 Azar 1405"
    assert calendars.solar_hijri_words(day, "fa") == "11 آذر 1405"
    assert calendars.solar_hijri_words(dt.date(2026, 3, 21), "ur", with_year=False) == "1 فروردین"
    assert calendars.gregorian_of(1405, 9, 11) == day
