"""API tokens expire, are limited by their scopes, say when they were last used, and are
shown once (decision 0092)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.accounts import services
from accord.accounts.models import TOKEN_MAX_DAYS, ApiToken, TokenScope, token_scope_for_path
from accord.notes.models import InternalNote

NOTE = {"text": "Check the baseline", "body": "HLC"}


def _api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client: Client, path: str, data: dict):
    return client.post(path, data, content_type="application/json")


def test_a_new_token_lives_ninety_days_unless_its_creator_chooses(cast):
    token, secret = services.token_create(actor=cast["us-head"], name="script")
    short, _ = services.token_create(actor=cast["us-head"], name="short", days=7)

    assert secret.startswith("acc_") and ApiToken.digest(secret) == token.key_sha256
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(
        minutes=1
    )
    assert short.expires_at - short.created_at < dt.timedelta(days=7, minutes=1)
    assert token.scopes == [TokenScope.ALL]


@pytest.mark.parametrize("days", [0, -3, TOKEN_MAX_DAYS + 1])
def test_a_token_cannot_live_forever_or_not_at_all(cast, days):
    with pytest.raises(services.ValidationFailed) as refused:
        services.token_create(actor=cast["us-head"], name="x", days=days)

    assert refused.value.error_case is services.TOKEN_DAYS_INVALID
    assert not ApiToken.objects.filter(name="x").exists()


def test_unknown_scopes_and_read_only_with_others_are_refused(cast):
    with pytest.raises(services.ValidationFailed) as unknown:
        services.token_create(actor=cast["us-head"], name="x", scopes=["admin"])
    with pytest.raises(services.ValidationFailed) as mixed:
        services.token_create(actor=cast["us-head"], name="x", scopes=["read", "notes"])

    assert unknown.value.error_case is services.TOKEN_SCOPE_UNKNOWN
    assert mixed.value.error_case is services.TOKEN_READ_ONLY_WITH_OTHERS


def test_an_expired_token_is_refused_in_words_and_reads_nothing(cast):
    token, secret = services.token_create(actor=cast["us-head"], name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))

    answer = _api(secret).get("/api/me")

    assert answer.status_code == 401
    assert answer.json()["code"] == "token.expired"
    assert token.prefix in answer.json()["detail"]


def test_a_revoked_token_is_not_signed_in(cast):
    token, secret = services.token_create(actor=cast["us-head"], name="gone")
    services.token_revoke(actor=cast["us-head"], prefix=token.prefix)

    answer = _api(secret).get("/api/me")

    assert answer.status_code == 401
    assert answer.json()["code"] == "auth.required"


def test_a_read_only_token_reads_but_changes_nothing(cast):
    _, secret = services.token_create(actor=cast["us-head"], name="ro", scopes=["read"])
    client = _api(secret)

    read = client.get("/api/notes/")
    write = _post(client, "/api/notes/", NOTE)

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["code"] == "token.scope_refused"
    assert not InternalNote.objects.exists()


def test_a_token_scoped_to_notes_writes_notes_and_nothing_else(cast):
    _, secret = services.token_create(actor=cast["us-head"], name="notes", scopes=["notes"])
    client = _api(secret)

    note = _post(client, "/api/notes/", NOTE)
    elsewhere = _post(
        client,
        "/api/channels/DCC/messages",
        {"client_id": "c-1", "text": "Hello", "precedence": "ROUTINE"},
    )

    assert note.status_code == 201, note.content
    assert elsewhere.status_code == 403
    assert elsewhere.json()["code"] == "token.scope_refused"


def test_the_last_use_is_noted_once_per_resolution_not_on_every_call(cast):
    token, secret = services.token_create(actor=cast["us-head"], name="busy")
    client = _api(secret)

    assert client.get("/api/me").status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    assert client.get("/api/me").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # within 5 minutes
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=6))
    assert client.get("/api/me").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/api/channels/DCC/messages", "channels"),
        ("/api/drafting/documents", "drafting"),
        ("/api/notes/", "notes"),
        ("/api/roadmap/milestones/NUC-1/extend", "all"),
        ("/api/me", "all"),
        ("/notes/", "all"),
    ],
)
def test_each_part_of_the_api_has_the_scope_a_change_there_needs(path, scope):
    assert token_scope_for_path(path) == scope


def test_the_page_creates_a_scoped_token_shows_it_once_and_lists_its_life(cast):
    client = Client()
    client.force_login(cast["us-head"])

    created = client.post(
        reverse("accounts:tokens"), {"name": "Bot", "scopes": ["channels"], "days": "30"}
    )
    again = client.get(reverse("accounts:tokens"))

    assert created.status_code == 200
    token = ApiToken.objects.get(name="Bot")
    assert token.scopes == ["channels"]
    assert "data-secret" in created.text and "data-secret" not in again.text
    row = again.text.split(f'data-token="{token.prefix}"')[1].split("</tr>")[0]
    assert "channels" in row and "never" in row


def test_the_page_keeps_what_was_typed_when_a_token_is_refused(cast):
    client = Client()
    client.force_login(cast["us-head"])

    refused = client.post(reverse("accounts:tokens"), {"name": "Forever", "days": "9999"})

    assert refused.status_code == 422
    assert 'value="Forever"' in refused.text
    assert 'id="days-error"' in refused.text
    assert not ApiToken.objects.filter(name="Forever").exists()


def test_the_command_creates_a_read_only_token_for_a_month(cast, capsys):
    call_command("token", "create", "us-head", "--scope", "read", "--days", "30")

    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(key_sha256=ApiToken.digest(secret))
    assert token.scopes == ["read"]
    with pytest.raises(CommandError) as refused:
        call_command("token", "create", "us-head", "--days", "0")
    assert refused.value.returncode == 2
