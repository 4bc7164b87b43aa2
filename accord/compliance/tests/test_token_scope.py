"""An API token scoped to compliance changes the implementation structures and nothing
else; a token scoped elsewhere reads them but changes nothing here."""

import pytest
from django.test import Client

from accord.accounts import services as accounts
from accord.accounts.models import token_scope_for_path

pytestmark = pytest.mark.django_db


def _api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_compliance_token_files_a_dispute_and_changes_nothing_elsewhere(cast, islamabad):
    # Given Iran's head with a token scoped to compliance, and one scoped to notes
    _, secret = accounts.token_create(actor=cast["ir-head"], name="bot", scopes=["compliance"])
    _, notes = accounts.token_create(actor=cast["ir-head"], name="notes", scopes=["notes"])
    client, other = _api(secret), _api(notes)
    dispute = {"title": "Funds", "respondent": "US"}
    # When each files a dispute and asks the joint body to convene
    filed = client.post("/api/compliance/disputes", dispute, content_type="application/json")
    asked = client.post(
        "/api/compliance/convening-requests", {"title": "Meet"}, content_type="application/json"
    )
    refused = other.post("/api/compliance/disputes", dispute, content_type="application/json")
    elsewhere = client.post(
        "/api/notes/", {"text": "x", "about": "body:WG-NUC"}, content_type="application/json"
    )
    # Then the compliance token may, the notes token may not, and no further
    assert (filed.status_code, asked.status_code) == (201, 201)
    assert refused.status_code == 403
    assert refused.json()["code"] == "token.scope_refused"
    assert elsewhere.status_code == 403
    assert elsewhere.json()["code"] == "token.scope_refused"
    # And the notes token still reads the disputes
    assert other.get("/api/compliance/disputes").status_code == 200
    assert token_scope_for_path("/api/compliance/disputes") == "compliance"
