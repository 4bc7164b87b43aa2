"""A person's settings: language, time zone, digits and calendar (issue 20, point 3)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accord import calendars
from accord.accounts import services
from accord.accounts.models import User
from accord.bidi import digits_for_people
from accord.events.models import Event
from accord.testing.need_to_know import assert_learns_nothing_of_others


@pytest.fixture(autouse=True)
def _language_reset():
    """A page asked for in another language leaves it active in this thread (Django's
    LocaleMiddleware activates without deactivating): back to English for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _save(client: Client, **changes) -> object:
    values = {
        "language": "",
        "timezone": "Asia/Tehran",
        "digits": "latin",
        "calendar": "gregorian",
    } | changes
    return client.post(reverse("accounts:preferences"), values)


def test_the_settings_page_saves_language_zone_digits_and_calendar_for_oneself(cast):
    # Given an Iranian delegate on their settings page
    client = _client(cast["ir-head"])
    page = client.get(reverse("accounts:preferences"))
    assert page.status_code == 200
    assert "data-preferences-form" in page.text
    assert_learns_nothing_of_others(page.text)

    # When they choose Persian, Tehran, Persian digits and the Solar Hijri calendar
    saved = _save(client, language="fa", digits="persian", calendar="solar_hijri")

    # Then it is stored, the language cookie follows, and one event of their own says so
    assert saved.status_code == 302
    assert saved.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fa"
    user = User.objects.get(username="ir-head")
    assert (user.language, user.timezone, user.digits, user.calendar) == (
        "fa",
        "Asia/Tehran",
        "persian",
        "solar_hijri",
    )
    event = Event.objects.filter(kind="UserPreferencesChanged").get()
    assert event.scope == "party:IR"


def test_pages_follow_the_saved_language_when_the_browser_chose_none(cast):
    # Given a delegate who saved Urdu and then signs in from another browser (no cookie)
    services.user_preferences_set(
        actor=cast["pk-chair"],
        language="ur",
        timezone_name="Asia/Karachi",
        digits="latin",
        calendar="gregorian",
    )
    client = _client(User.objects.get(username="pk-chair"))

    # When they open their settings page, Then it is in Urdu, right to left
    page = client.get(reverse("accounts:preferences"))
    assert page.status_code == 200
    assert 'lang="ur" dir="rtl"' in page.text

    # And a choice in the top bar (the cookie) still wins in that browser
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:preferences"))
    assert 'lang="en" dir="ltr"' in page.text


def test_dates_are_shown_in_the_chosen_digits_and_with_the_solar_hijri_day(cast):
    # Given a delegate who reads Persian digits and the Solar Hijri calendar
    services.user_preferences_set(
        actor=cast["ir-head"],
        language="",
        timezone_name="Asia/Tehran",
        digits="persian",
        calendar="solar_hijri",
    )
    client = _client(User.objects.get(username="ir-head"))

    # When they read the time now on their settings page
    page = client.get(reverse("accounts:preferences"))

    # Then the day is in Persian digits, with the Solar Hijri day beside it (stored: UTC)
    assert page.status_code == 200
    now = timezone.localtime(timezone.now(), dt.timezone(dt.timedelta(hours=3, minutes=30)))
    hijri = digits_for_people(calendars.solar_hijri_words(now.date(), "en"), "persian")
    assert hijri in page.text  # the day, "Azar" and the year 1405, in Persian digits
    assert digits_for_people(f"{now.day} {now:%b}", "persian") in page.text
    assert digits_for_people("GMT+3:30", "persian") in page.text


@pytest.mark.parametrize(
    ("field", "value", "case"),
    [
        ("language", "xx", services.INTERFACE_LANGUAGE_UNKNOWN),
        ("timezone", "Mars/Olympus", services.TIMEZONE_INVALID),
        ("digits", "roman", services.DIGITS_UNKNOWN),
        ("calendar", "lunar", services.CALENDAR_UNKNOWN),
    ],
)
def test_a_wrong_choice_is_refused_beside_its_field_and_nothing_changes(cast, field, value, case):
    client = _client(cast["us-head"])
    response = _save(client, **{field: value})
    assert response.status_code == 422
    assert f'aria-describedby="{field}-error"' in response.text
    assert str(case.sentence).split("{")[0][:20] in response.text.replace("&#x27;", "'")
    user = User.objects.get(username="us-head")
    assert (user.language, user.digits, user.calendar) == ("", "latin", "gregorian")


def test_the_service_refuses_an_unknown_choice_with_its_case(cast):
    with pytest.raises(services.ValidationFailed) as raised:
        services.user_preferences_set(
            actor=cast["us-head"],
            language="",
            timezone_name="UTC",
            digits="roman",
            calendar="gregorian",
        )
    assert raised.value.error_case is services.DIGITS_UNKNOWN


def test_saving_the_same_settings_twice_appends_no_second_event(cast):
    for _ in range(2):
        services.user_preferences_set(
            actor=cast["us-head"],
            language="en",
            timezone_name="America/New_York",
            digits="latin",
            calendar="gregorian",
        )
    assert Event.objects.filter(kind="UserPreferencesChanged").count() == 1
