"""Fixtures shared by every app's tests: the default process and its demo cast."""

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User

# The live-feed fixtures (a real ASGI server, an SSE reader) serve more than one app.
pytest_plugins = ["accord.events.tests.feed_fixtures", "accord.testing.browser_fixtures"]


# Property tests assert properties, never speed: with two test processes on two cores
# (make test), drawing an input or running one example may take longer than Hypothesis's
# defaults allow, and that is no failure of the code.
hypothesis_settings.register_profile(
    "accord", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("accord")


def pytest_collection_modifyitems(config, items):
    """A test of the demo server (``demo_server``: its own process, its own SQLite) is the
    same test whichever database this run's own tests use: mark it ``own_server``."""
    for item in items:
        if "demo_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.own_server)


@pytest.fixture
def islamabad(db):
    """The default charter, loaded through the real loader."""
    from accord.process.services import charter_load

    return charter_load(path=settings.ACCORD_DEFAULT_CHARTER).process


@pytest.fixture
def cast(islamabad) -> dict[str, User]:
    """Every demo account of the default process, by username (``us-head``, ``pk-chair``...)."""
    demo_accounts_ensure(process=islamabad)
    return {u.username: u for u in User.objects.select_related("delegation")}


@pytest.fixture(autouse=True)
def _demo_exemptions(settings):
    """The demo's exemptions, as `accord demo` sets them: its accounts keep the demo
    password and need no second factor (accord/security tests turn them off to show
    the policy)."""
    settings.ACCORD_DEMO_WITHOUT_PASSWORD_POLICY = True
    settings.ACCORD_DEMO_WITHOUT_SECOND_FACTOR = True
    # Every test client is 127.0.0.1: API rate limits far above what the suite sends.
    settings.ACCORD_API_RATE = "1000000/m"
    settings.ACCORD_API_ADDRESS_RATE = "1000000/m"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is the production hasher (see test_settings); tests hash with MD5 for speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def time_machine_today(monkeypatch):
    """Pin ``django.utils.timezone.localdate()``/``now()`` to a date, for "day N of L"."""
    import datetime as dt

    from django.utils import timezone

    def pin(day: dt.date) -> None:
        moment = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return pin
