"""The tokens page: create a token, revoke it by its prefix, never anyone else's."""

from django.test import Client
from django.urls import reverse

from accord.accounts.models import ApiToken
from accord.testing.need_to_know import assert_learns_nothing_of_others


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_token_is_created_shown_once_and_revoked_by_its_prefix(cast):
    client = _client(cast["us-head"])
    created = client.post(reverse("accounts:tokens"), {"name": "script"})
    assert created.status_code == 200
    assert "data-secret" in created.text
    token = ApiToken.objects.get(user=cast["us-head"], name="script")
    page = client.get(reverse("accounts:tokens"))
    assert page.status_code == 200
    assert "data-secret" not in page.text
    assert f'value="{token.prefix}"' in page.text
    assert_learns_nothing_of_others(page.text)

    revoked = client.post(reverse("accounts:tokens"), {"revoke": token.prefix})
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked_and_answers_like_a_missing_one(cast):
    _client(cast["us-head"]).post(reverse("accounts:tokens"), {"name": "script"})
    token = ApiToken.objects.get(user=cast["us-head"])
    response = _client(cast["ir-head"]).post(reverse("accounts:tokens"), {"revoke": token.prefix})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
