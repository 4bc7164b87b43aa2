"""The password policy: Django's validators, 12 characters for a delegation's account,
and no password from the breach lists; the demo keeps its password only by exemption."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.accounts.models import User
from accord.accounts.services import user_create
from accord.security.passwords import PASSWORD_REFUSED

STRONG = "plover quasar tundra orbit"


@pytest.fixture
def policy_on(settings):
    settings.ACCORD_DEMO_WITHOUT_PASSWORD_POLICY = False


@pytest.mark.parametrize(
    "password",
    ["password", "12345678", "us-analyst", "accord-demo", "Password123!", "qwertyuiop123"],
)
def test_a_weak_password_is_refused_for_a_delegation_account(islamabad, policy_on, password):
    with pytest.raises(PASSWORD_REFUSED.kind) as refused:
        user_create(actor=None, username="us-analyst", password=password, delegation="US")
    assert refused.value.code == "user.password_refused"
    assert not User.objects.filter(username="us-analyst").exists()


def test_the_refusal_says_every_reason(islamabad, policy_on):
    with pytest.raises(PASSWORD_REFUSED.kind) as refused:
        user_create(actor=None, username="us-analyst", password="password", delegation="US")
    message = refused.value.message
    assert "too common" in message
    assert "at least 12 characters" in message
    assert "breaches" in message


def test_a_long_unrelated_phrase_is_accepted(islamabad, policy_on):
    user = user_create(actor=None, username="us-analyst", password=STRONG, delegation="US")
    assert user.check_password(STRONG)


def test_the_demo_exemption_lets_the_demo_accounts_keep_the_demo_password(islamabad):
    # conftest turns the exemption on, as `accord demo` does.
    user = user_create(actor=None, username="us-analyst", password="accord-demo", delegation="US")
    assert user.check_password("accord-demo")


def test_the_user_command_refuses_a_weak_password_and_accepts_a_strong_one(
    islamabad, policy_on, monkeypatch
):
    monkeypatch.setattr("sys.stdin", io.StringIO("us-analyst2024\n"))
    with pytest.raises(CommandError) as refused:
        call_command("user", "create", "us-analyst", "--delegation", "US", "--password-stdin")
    assert "The password is refused" in str(refused.value)
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    out = io.StringIO()
    call_command(
        "user", "create", "us-analyst", "--delegation", "US", "--password-stdin", stdout=out
    )
    assert "Created us-analyst" in out.getvalue()


def test_the_production_settings_refuse_the_password_exemption():
    from accord import installation

    with pytest.raises(installation.ConfigurationError) as refused:
        installation.production_refusals(
            debug=False,
            allowed_hosts=["accord.example.org"],
            demo_exemptions=["ACCORD_DEMO_WITHOUT_PASSWORD_POLICY"],
        )
    assert "ACCORD_DEMO_WITHOUT_PASSWORD_POLICY" in str(refused.value)
