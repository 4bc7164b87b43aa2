"""In a real browser against `accord demo`: a facilitator's account sets up an
authenticator (QR code and key), signs out, signs back in with a code; a wrong code is
refused; a recovery code works once. The operator's security page lists it all."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

# An account no other browser test signs in with: once enrolled it is asked for a code.
USERNAME = "qa-verifier"


def _code(key: str, *, later: int = 0) -> str:
    padded = key + "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(padded), drift=later):06d}"


def _password_sign_in(page, demo_server) -> None:
    page.goto(f"{demo_server}/accounts/login/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", "accord-demo")
    page.click("form.stack button[type=submit]")


def _sign_out(page) -> None:
    page.click(".who form[action$='/accounts/logout/'] button")


def test_enrol_sign_out_and_sign_in_with_a_code_and_a_recovery_code_once(page_for, demo_server):
    page = page_for(USERNAME)
    page.goto(f"{demo_server}/security/second-factor/enrol/")
    expect(page.locator("img[src$='qr.svg']")).to_be_visible()
    key = page.locator("[data-key]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]+", key)
    screenshot(page, "security-enrol")
    page.fill("input[name=code]", _code(key))
    page.click("form.stack button[type=submit]")
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "security-recovery-codes")
    page.click("text=Continue")
    _sign_out(page)

    _password_sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/security/second-factor/verify/"))
    page.fill("input[name=code]", "000000")
    page.click("form.stack button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text("not right")
    screenshot(page, "security-verify-wrong-code")
    # django-otp makes a try after a failure wait a second before it counts.
    page.wait_for_timeout(2_500)
    page.fill("input[name=code]", _code(key, later=1))
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{demo_server}/")
    _sign_out(page)

    _password_sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/security/second-factor/verify/"))
    page.click("text=Use a recovery code instead")
    page.fill("input[name=code]", codes[0])
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{demo_server}/")
    _sign_out(page)

    _password_sign_in(page, demo_server)
    page.wait_for_url(re.compile(r"/security/second-factor/verify/"))
    page.click("text=Use a recovery code instead")
    page.fill("input[name=code]", codes[0])
    page.click("form.stack button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text("used before")

    operator = page_for("qa-chair")
    operator.goto(f"{demo_server}/security/?kind=")
    events = operator.locator("[data-security-events]")
    expect(events).to_contain_text("second_factor.recovery_used")
    expect(events).to_contain_text("second_factor.failed")
    expect(events).to_contain_text(USERNAME)
    screenshot(operator, "security-events")
