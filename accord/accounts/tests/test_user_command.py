"""`accord user`: the operator's way to create, appoint and deactivate people."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.accounts import access
from accord.accounts.models import User
from accord.events.models import Event


def test_an_operator_creates_and_appoints_a_delegate(islamabad, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    call_command("user", "create", "us-legal", "--delegation", "US", "--password-stdin")
    call_command("user", "appoint", "us-legal", "expert", "--body", "WG-SAN")
    user = User.objects.get(username="us-legal")
    assert user.check_password("long enough password")
    assert user.timezone == "America/New_York"
    assert access.can_see(user, process_id=islamabad.pk, scope="body:WG-SAN")
    assert not access.can_see(user, process_id=islamabad.pk, scope="body:WG-NUC")
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"UserRegistered", "AppointmentGranted"} <= kinds


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["create", "x", "--delegation", "ZZ", "--password-stdin"], "No single delegation 'ZZ'"),
        (["appoint", "nobody", "expert"], "There is no user 'nobody'"),
        (["appoint", "us-head", "expert", "--body", "WG-XXX"], "There is no body 'WG-XXX'"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(cast, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("user", *arguments)


def test_a_short_password_is_refused_and_nothing_is_written(islamabad, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="at least 8"):
        call_command("user", "create", "us-x", "--delegation", "US", "--password-stdin")
    assert not User.objects.filter(username="us-x").exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Tr0ub4dor&3x", None),  # 12 characters, not in zxcvbn's lists
        ("correcthorse", "breaches"),  # 12 characters, but a known passphrase
        ("Zq8#vL2m", "at least 12"),  # past the old 8-character check, short for a delegation
    ],
)
def test_the_command_applies_the_whole_password_policy(
    islamabad, monkeypatch, settings, password, reason
):
    """The command line is held to the same policy as the pages: no weaker check of its own."""
    settings.ACCORD_DEMO_WITHOUT_PASSWORD_POLICY = False
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    if reason is None:
        call_command("user", "create", "us-x", "--delegation", "US", "--password-stdin")
        assert User.objects.get(username="us-x").check_password(password)
        return
    with pytest.raises(CommandError, match=reason):
        call_command("user", "create", "us-x", "--delegation", "US", "--password-stdin")
    assert not User.objects.filter(username="us-x").exists()


def test_deactivation_closes_access_and_revokes_tokens(cast, islamabad):
    from accord.accounts.selectors import user_for_token
    from accord.accounts.services import token_create

    _, secret = token_create(actor=cast["ir-duty"], name="script")
    call_command("user", "deactivate", "ir-duty")
    user = User.objects.get(username="ir-duty")
    assert not user.is_active
    assert access.clearance(user).scopes == frozenset()
    assert user_for_token(secret) is None
    assert Event.objects.filter(kind="UserDeactivated").count() == 1
