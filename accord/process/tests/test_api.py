"""The JSON API over real HTTP semantics (Django's test client): auth, structure, errors."""

import pytest
from django.test import Client

from accord.accounts.services import token_create
from accord.process import access, services


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_api_refuses_anonymous_callers_with_json():
    response = Client().get("/api/bodies")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


def test_the_api_lists_the_hlc_and_five_working_groups(cast):
    bodies = _client(cast["pk-chair"]).get("/api/bodies").json()
    codes = {b["code"]: b for b in bodies}
    assert set(codes) == {"HLC", "WG-NUC", "WG-SAN", "WG-CMP", "WG-VER", "WG-IMP"}
    assert codes["HLC"]["reports_to"] is None
    assert codes["HLC"]["chairs"] == ["PK", "QA"]
    assert all(codes[c]["reports_to"] == "HLC" for c in codes if c != "HLC")


def test_a_body_lists_its_members(cast):
    body = _client(cast["us-head"]).get("/api/bodies/HLC").json()
    members = {(m["username"], m["role"]) for m in body["members"]}
    assert ("us-head", "head_of_delegation") in members
    assert ("ir-head", "head_of_delegation") in members
    assert ("pk-chair", "co_chair") in members


def test_an_unknown_body_is_a_json_404(cast):
    response = _client(cast["us-head"]).get("/api/bodies/NOPE")
    assert response.status_code == 404
    assert response.json() == {
        "code": access.BODY_NOT_FOUND.code,
        "detail": "There is no body 'NOPE' in this process.",
    }


def test_the_roadmap_says_day_n_of_60(cast):
    roadmap = _client(cast["ir-head"]).get("/api/roadmap", {"today": "2026-11-25"}).json()
    assert (roadmap["day"], roadmap["length_days"], roadmap["label"]) == (10, 60, "day 10 of 60")
    assert len(roadmap["milestones"]) == 14
    hlc2 = next(m for m in roadmap["milestones"] if m["code"] == "HLC-2")
    assert hlc2["due_on"] == "2027-01-14"
    assert hlc2["depends_on"] == ["HLC-1"]


def test_a_bad_query_parameter_is_a_422_not_a_500(cast):
    response = _client(cast["ir-head"]).get("/api/roadmap", {"today": "2026-02-30"})
    assert response.status_code == 422
    assert response.json()["code"] == "request.invalid"


def test_process_and_mechanisms(cast):
    client = _client(cast["us-duty"])
    process = client.get("/api/process").json()
    assert process["code"] == "islamabad-mou"
    assert {d["code"] for d in process["delegations"]} == {"US", "IR", "PK", "QA"}
    mechanisms = {m["code"]: m for m in client.get("/api/mechanisms").json()}
    assert mechanisms["MCC"]["area"] == "Strait of Hormuz"
    assert mechanisms["DCC"]["kind"] == "direct"


def test_me_reports_roles_and_scopes(cast):
    me = _client(cast["us-expert"]).get("/api/me").json()
    assert me["delegation"] == "US"
    assert "party:US" in me["scopes"]
    assert "party:IR" not in me["scopes"]
    assert {a["body"] for a in me["appointments"]} >= {"WG-NUC", "WG-VER"}


def test_a_bearer_token_authenticates_and_a_revoked_one_does_not(cast):
    from accord.accounts.services import token_revoke

    token, secret = token_create(actor=cast["ir-expert"], name="script")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/me", **auth).json()["username"] == "ir-expert"
    assert client.get("/api/me", HTTP_X_ACCORD_TOKEN=secret).json()["username"] == "ir-expert"
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer acc_wrong").status_code == 401
    token_revoke(actor=cast["ir-expert"], prefix=token.prefix)
    assert client.get("/api/me", **auth).status_code == 401


def test_a_token_can_write_through_the_api_without_csrf(cast):
    _, secret = token_create(actor=cast["us-expert"], name="script")
    response = Client(enforce_csrf_checks=True).post(
        "/api/notes/",
        {"text": "From a script", "body": "WG-SAN"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["subject"] == "body:WG-SAN"


def test_the_openapi_document_and_the_interactive_docs_are_served(cast):
    client = _client(cast["us-head"])
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Accord API"
    for path in ("/api/bodies", "/api/roadmap", "/api/notes/", "/api/events/", "/api/me"):
        assert path in schema["paths"], path
    assert client.get("/api/docs").status_code == 200


def test_a_milestone_is_recorded_as_met_through_the_api(cast):
    client = _client(cast["qa-chair"])
    response = client.post("/api/milestones/SAN-1/met")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "met"
    again = client.post("/api/milestones/SAN-1/met")
    assert again.status_code == 409
    assert again.json() == {
        "code": services.MILESTONE_ALREADY_MET.code,
        "detail": "Milestone 'SAN-1' is already met.",
    }
    assert client.post("/api/milestones/NOPE/met").status_code == 404
