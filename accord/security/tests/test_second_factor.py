"""The second factor: required for every delegation's account (the demo's exemption
off), enrolled with a TOTP code, asked after the password, with recovery codes that
work once; API tokens are not asked."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.accounts.services import token_create
from accord.security.models import SecurityEvent

LOGIN = "/accounts/login/"


@pytest.fixture
def required(settings):
    settings.ACCORD_DEMO_WITHOUT_SECOND_FACTOR = False


def _sign_in(client: Client, username: str) -> None:
    answer = client.post(LOGIN, {"username": username, "password": "accord-demo"})
    assert answer.status_code == 302


def _code(device: TOTPDevice, *, later: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=later)
    return f"{code:06d}"


def _enrol(client: Client, username: str) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("security:enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    key = re.search(r"<code data-key>([A-Z2-7]+)</code>", page.text).group(1)
    assert key
    confirmed = client.post(reverse("security:enrol"), {"code": _code(device), "next": "/"})
    assert confirmed.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", confirmed.text)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_a_delegation_account_must_enrol_before_any_page(cast, required):
    client = Client()
    _sign_in(client, "us-head")
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("security:enrol"))
    assert client.get("/api/bodies").status_code == 401
    _enrol(client, "us-head")
    assert client.get("/").status_code == 200
    assert client.get("/api/bodies").status_code == 200
    assert SecurityEvent.objects.filter(kind="second_factor.enrolled", username="us-head").exists()


def test_after_enrolment_the_sign_in_asks_the_code_and_refuses_a_wrong_one(cast, required):
    client = Client()
    _sign_in(client, "pk-chair")
    device, _ = _enrol(client, "pk-chair")
    client.post("/accounts/logout/")

    _sign_in(client, "pk-chair")
    password_only_session = client.cookies["sessionid"].value
    gated = client.get("/")
    assert gated.status_code == 302
    assert gated["Location"].startswith(reverse("security:verify"))
    wrong = client.post(reverse("security:verify"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "not right" in wrong.text
    assert client.get("/").status_code == 302
    # django-otp makes the next try wait after a failure; in a test, lift the wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(reverse("security:verify"), {"code": _code(device, later=1), "next": "/"})
    assert right.status_code == 302
    assert client.get("/").status_code == 200
    assert client.cookies["sessionid"].value != password_only_session
    kinds = set(SecurityEvent.objects.filter(username="pk-chair").values_list("kind", flat=True))
    assert {"second_factor.failed", "second_factor.succeeded", "signin.succeeded"} <= kinds


def test_a_recovery_code_works_once(cast, required):
    client = Client()
    _sign_in(client, "ir-head")
    _, codes = _enrol(client, "ir-head")
    client.post("/accounts/logout/")

    _sign_in(client, "ir-head")
    used = client.post(reverse("security:recovery"), {"code": codes[0], "next": "/"})
    assert used.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")

    _sign_in(client, "ir-head")
    again = client.post(reverse("security:recovery"), {"code": codes[0]})
    assert again.status_code == 200
    assert "used before" in again.text
    assert client.get("/").status_code == 302
    assert SecurityEvent.objects.filter(kind="second_factor.recovery_used").count() == 1


def test_an_api_token_is_not_asked_for_a_second_factor(cast, required):
    _, secret = token_create(actor=cast["us-head"], name="script")
    answer = Client().get("/api/bodies", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200


def test_the_demo_exemption_asks_nothing_of_an_account_without_a_device(cast):
    client = Client()
    _sign_in(client, "us-head")
    assert client.get("/").status_code == 200


def test_under_the_demo_exemption_an_enrolled_account_is_still_asked(cast):
    client = Client()
    _sign_in(client, "us-expert")
    _enrol(client, "us-expert")
    client.post("/accounts/logout/")
    _sign_in(client, "us-expert")
    assert client.get("/")["Location"].startswith(reverse("security:verify"))


def test_the_qr_code_is_drawn_by_the_server(cast, required):
    client = Client()
    _sign_in(client, "us-head")
    qr = client.get(reverse("security:enrol_qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content


def test_the_live_feed_is_closed_to_a_session_that_owes_its_second_factor(cast, required):
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    client = Client()
    _sign_in(client, "us-head")
    stream = AsyncClient()
    stream.cookies = client.cookies
    answer = async_to_sync(stream.get)("/events/stream")
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("security:enrol"))
