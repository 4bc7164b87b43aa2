"""The operator's landing page: health, people managed through the accounts services, a
link to the admin; no participant reaches it, and the operator is offered no page that
fails them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts.models import ApiToken, Appointment, User
from accord.accounts.services import token_create
from accord.events.models import Event
from accord.ops import heartbeat
from accord.ops.selectors import server_health
from accord.sweeper import run_sweep

NOT_PAGES = ("/accounts/logout", "/i18n/", "/static/", "/events/stream")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ops(cast, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the heartbeat and the disk read a data directory of their own
    return _client(cast["operator"])


def test_the_operator_lands_on_the_operators_page_not_on_a_404(ops):
    landing = ops.get("/")
    assert landing.status_code == 302
    assert landing["Location"] == reverse("ops:home")
    page = ops.get(reverse("ops:home"))
    assert page.status_code == 200
    assert "You are not a participant" not in page.text
    for item in ("database", "sweeper", "live", "disk"):
        assert f'data-health-item="{item}"' in page.text
    assert 'href="/admin/"' in page.text and "data-admin-link" in page.text


def test_every_page_the_operator_is_offered_opens(ops):
    page = ops.get(reverse("ops:home"))
    assert page.status_code == 200
    offered = {
        href
        for href in re.findall(r'href="(/[^"#?]*)', page.text)
        if not href.startswith(NOT_PAGES)
    }
    assert {reverse("ops:home"), "/admin/", reverse("accounts:tokens")} <= offered
    answers = {href: ops.get(href).status_code for href in sorted(offered)}
    assert {href: code for href, code in answers.items() if code >= 400} == {}
    # None of the participants' pages, which would all answer 404 for them.
    for participant_page in ("/roadmap/", "/divergences/", "/meetings/", "/notes/"):
        assert f'href="{participant_page}"' not in page.text


def test_a_participant_is_offered_no_operator_link_and_cannot_reach_the_page(cast):
    for username, user in sorted(cast.items()):
        if username == "operator":
            continue
        client = _client(user)
        home = client.get("/")
        assert home.status_code == 200, username
        assert reverse("ops:home") not in home.text, username
        refused = client.get(reverse("ops:home"))
        assert refused.status_code == 404, username
        assert "There is no such page." in refused.text


def test_a_participant_posting_to_the_operator_forms_changes_nothing(cast):
    client = _client(cast["us-head"])
    posts = [
        (reverse("ops:person-create"), {"username": "mole", "password": "long enough"}),
        (reverse("ops:appoint"), {"username": "us-member", "role": "expert"}),
        (reverse("ops:deactivate", args=["ir-head"]), {}),
        (reverse("ops:password-reset", args=["ir-head"]), {"password": "taken over"}),
        (reverse("ops:tokens-revoke", args=["ir-head"]), {}),
    ]
    for url, data in posts:
        answer = client.post(url, data)
        assert answer.status_code == 404, url
    assert not User.objects.filter(username="mole").exists()
    ir_head = User.objects.get(username="ir-head")
    assert ir_head.is_active and ir_head.check_password("accord-demo")
    assert not Appointment.objects.filter(user__username="us-member", role="expert").exists()


def test_the_operator_creates_appoints_resets_revokes_and_deactivates_through_the_page(ops, cast):
    created = ops.post(
        reverse("ops:person-create"),
        {
            "username": "ir-legal",
            "display_name": "Iran legal adviser",
            "delegation": "IR@islamabad-mou",
            "language": "en",
            "timezone": "Asia/Tehran",
            "password": "first password",
        },
    )
    assert created.status_code == 302
    person = User.objects.get(username="ir-legal")
    assert (person.delegation.code, person.language, person.writes_in) == ("IR", "en", "en")
    assert not person.is_staff

    appointed = ops.post(
        reverse("ops:appoint"),
        {"username": "ir-legal", "role": "expert", "place": "body:WG-SAN"},
    )
    assert appointed.status_code == 302
    assert Appointment.objects.filter(user=person, role="expert", body__code="WG-SAN").exists()

    reset = ops.post(reverse("ops:password-reset", args=["ir-legal"]), {"password": "second one!"})
    assert reset.status_code == 302
    person.refresh_from_db()
    assert person.check_password("second one!")

    token_create(actor=person, name="script")
    revoked = ops.post(reverse("ops:tokens-revoke", args=["ir-legal"]))
    assert revoked.status_code == 302
    assert not ApiToken.objects.filter(user=person, revoked_at__isnull=True).exists()

    closed = ops.post(reverse("ops:deactivate", args=["ir-legal"]))
    assert closed.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    kinds = list(
        Event.objects.filter(subject="user:ir-legal").order_by("seq").values_list("kind", flat=True)
    )
    assert kinds == [
        "UserRegistered",
        "UserPasswordReset",
        "ApiTokenCreated",
        "ApiTokensRevoked",
        "UserDeactivated",
    ]
    assert all(
        "password" not in str(e.payload) for e in Event.objects.filter(kind__startswith="User")
    )
    page = ops.get(reverse("ops:home"))
    assert page.status_code == 200
    assert 'data-person="ir-legal"' in page.text and "deactivated" in page.text


def test_a_refused_form_comes_back_to_the_page_with_the_sentence(ops):
    refused = ops.post(
        reverse("ops:person-create"),
        {
            "username": "x",
            "password": "short",
            "delegation": "US@islamabad-mou",
            "next": reverse("ops:home"),
        },
    )
    assert refused.status_code == 302
    assert refused["Location"] == reverse("ops:home")
    page = ops.get(reverse("ops:home"))
    assert "A password needs at least 8 characters." in page.text
    assert not User.objects.filter(username="x").exists()


def test_the_operator_cannot_lock_themselves_out(ops, cast):
    page = ops.get(reverse("ops:home"))
    row = page.text.split('data-person="operator"')[1].split("</tr>")[0]
    assert "Deactivate" not in row
    refused = ops.post(reverse("ops:deactivate", args=["operator"]), {"next": reverse("ops:home")})
    assert refused.status_code == 302
    assert User.objects.get(username="operator").is_active


def test_health_reads_the_database_the_sweepers_last_run_and_the_disk(cast, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    before = server_health()
    assert before.database.reachable and before.database.engine in ("sqlite", "postgresql")
    assert before.sweeper is None and before.sweeper_late
    assert before.disk is not None and before.disk.free_bytes > 0
    assert before.live_connections == 0
    run_sweep()
    after = server_health()
    assert after.sweeper is not None and not after.sweeper_late and after.sweeper.errors == 0
    page = _client(cast["operator"]).get(reverse("ops:home"))
    assert "Last run" in page.text and "Running" in page.text


def test_an_unreadable_heartbeat_is_no_run_rather_than_an_error(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / heartbeat.HEARTBEAT_FILE).write_text("{not json", encoding="utf-8")
    assert heartbeat.sweep_run_last() is None


def test_the_live_connections_count_the_streams_open_in_this_process(world, open_feed):
    """A real stream, served in this process: the count goes up while it is open."""
    from accord.events.hub import live_connections

    before = live_connections()
    with open_feed(world.us_user):
        assert live_connections() == before + 1
