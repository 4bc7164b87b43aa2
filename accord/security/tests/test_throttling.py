"""Throttling: sign-in lockout per account and per address, unlocked by time or by the
operator; failed API tokens counted per address; API rate limits with 429."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accord.api import api
from accord.security.models import SecurityEvent
from accord.security.services import lockout_release

LOGIN = "/accounts/login/"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return 5


def _sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _fail(client: Client, username: str, times: int) -> None:
    """``times`` wrong passwords; the one that reaches the limit is answered 429."""
    for _ in range(times):
        assert _sign_in(client, username, "wrong-password").status_code in (200, 429)


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(cast, limit):
    client = Client()
    _fail(client, "us-head", limit - 1)
    locked = _sign_in(client, "us-head", "wrong-password")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "Too many attempts" in locked.text
    right = _sign_in(client, "us-head", "accord-demo")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind="signin.locked_out", username="us-head").exists()


def test_an_address_is_locked_after_failures_on_several_accounts(cast, limit):
    client = Client()
    for index in range(limit):
        _sign_in(client, f"nobody-{index}", "wrong-password")
    answer = _sign_in(client, "ir-head", "accord-demo")
    assert answer.status_code == 429
    # From another address the account is not locked: the lock was the address's.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _sign_in(other, "ir-head", "accord-demo").status_code == 302


def test_a_lockout_ends_after_the_cool_off(cast, limit):
    client = Client()
    _fail(client, "us-head", limit)
    assert _sign_in(client, "us-head", "accord-demo").status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert _sign_in(client, "us-head", "accord-demo").status_code == 302


def test_the_operator_unlocks_an_account_from_the_security_page(cast, limit):
    client = Client()
    _fail(client, "us-head", limit)
    operator = Client()
    operator.force_login(cast["operator"])
    page = operator.get(reverse("security:index"))
    assert page.status_code == 200
    assert "data-unlock" in page.text
    unlocked = operator.post(
        reverse("security:unlock"), {"username": "us-head", "address": "127.0.0.1"}
    )
    assert unlocked.status_code == 302
    assert _sign_in(client, "us-head", "accord-demo").status_code == 302
    assert SecurityEvent.objects.filter(kind="signin.unlocked", username="us-head").exists()


def test_only_an_operator_may_unlock(cast, limit):
    _fail(Client(), "us-head", limit)
    chair = Client()
    chair.force_login(cast["pk-chair"])
    page = chair.get(reverse("security:index"))
    assert page.status_code == 200
    assert "data-unlock" not in page.text
    refused = chair.post(reverse("security:unlock"), {"username": "us-head"})
    assert refused.status_code == 403
    with pytest.raises(Exception, match="Only a server operator"):
        lockout_release(actor=cast["pk-chair"], username="us-head")


def test_axes_reset_unlocks_from_the_command_line(cast, limit):
    client = Client()
    _fail(client, "us-head", limit)
    call_command("axes_reset", verbosity=0)
    assert _sign_in(client, "us-head", "accord-demo").status_code == 302


def test_failed_api_tokens_lock_the_address_out(cast, limit):
    client = Client()
    for index in range(limit - 1):
        answer = client.get("/api/bodies", HTTP_AUTHORIZATION=f"Bearer wrong-token-{index}")
        assert answer.status_code == 401
    for token in ("wrong-token-x", "wrong-token-y"):
        locked = client.get("/api/bodies", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert locked.status_code == 429
        assert locked.json()["code"] == "auth.locked_out"
        assert int(locked["Retry-After"]) > 0
    # The last one was refused before its lookup: it is not counted again.
    assert SecurityEvent.objects.filter(kind="token.failed").count() == limit
    # Even a good token is refused from that address until the cool-off or an unlock.
    from accord.accounts.services import token_create

    _, secret = token_create(actor=cast["us-head"], name="script")
    good = client.get("/api/bodies", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert good.status_code == 429
    lockout_release(actor=cast["operator"], address="127.0.0.1")
    assert client.get("/api/bodies", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert SecurityEvent.objects.filter(kind="signin.locked_out").exists()


@pytest.fixture
def low_rate(settings):
    """The API allows three requests a minute per user, for this test only."""
    from django.core.cache import cache

    cache.clear()
    settings.ACCORD_API_RATE = "3/m"
    yield 3
    cache.clear()


def test_the_api_answers_429_with_retry_after_past_the_rate(cast, low_rate):
    client = Client()
    client.force_login(cast["us-head"])
    for _ in range(low_rate):
        assert client.get("/api/bodies").status_code == 200
    throttled = client.get("/api/bodies")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "request.throttled"
    assert set(throttled.json()) == {"code", "detail"}
    assert 0 < int(throttled["Retry-After"]) <= 60
    # Another user is counted apart.
    other = Client()
    other.force_login(cast["ir-head"])
    assert other.get("/api/bodies").status_code == 200


def test_the_api_limits_an_address_across_its_users(cast, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ACCORD_API_ADDRESS_RATE = "4/m"
    answers = []
    for username in ("us-head", "ir-head", "pk-chair", "qa-chair", "us-expert"):
        client = Client(REMOTE_ADDR="10.9.9.9")
        client.force_login(cast[username])
        answers.append(client.get("/api/bodies").status_code)
    cache.clear()
    assert answers == [200, 200, 200, 200, 429]


def test_the_openapi_document_lists_429_for_every_authenticated_operation(db):
    schema = api.get_openapi_schema()
    operations = [op for item in schema["paths"].values() for op in item.values()]
    secured = [op for op in operations if op.get("security")]
    assert secured
    assert all(429 in op["responses"] for op in secured)
    assert (
        "request.throttled"
        in schema["components"]["schemas"]["ErrorOut"]["properties"]["code"]["examples"]
    )
