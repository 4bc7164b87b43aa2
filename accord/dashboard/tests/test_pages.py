"""The process pages: the home page (architecture at a glance) and the body pages."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

WORKING_GROUPS = {
    "WG-NUC": "Nuclear matters",
    "WG-SAN": "Sanctions relief",
    "WG-CMP": "Compliance arrangements",
    "WG-VER": "Verification procedures",
    "WG-IMP": "Implementation mechanisms",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_pages_ask_anonymous_visitors_to_sign_in():
    response = Client().get(reverse("process:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_home_page_shows_the_whole_architecture(cast, time_machine_today):
    time_machine_today(dt.date(2026, 11, 25))
    page = _client(cast["pk-chair"]).get(reverse("process:home")).text
    assert "Islamabad Memorandum of Understanding" in page
    for name in ("United States", "Iran", "Pakistan", "Qatar", "High-Level Committee"):
        assert name in page
    for code, name in WORKING_GROUPS.items():
        assert f'data-body="{code}"' in page
        assert name in page
    for mechanism in (
        "Direct Communication Channel",
        "Maritime Communication Channel",
        "Lebanon De-confliction Mechanism",
        "Strait of Hormuz",
    ):
        assert mechanism in page
    assert "Day 10 of 60" in page
    assert page.count("data-milestone=") == 14


def test_a_body_page_shows_mandate_members_milestones_and_timeline(cast):
    page = _client(cast["us-expert"]).get(reverse("process:body", args=["WG-NUC"])).text
    assert "Working Group on Nuclear Matters" in page
    assert "enrichment levels" in page  # the mandate
    assert "US expert" in page or "United States expert" in page  # a member
    assert "NUC-2" in page
    assert "data-timeline" in page
    assert "internal notes" in page


def test_an_unknown_body_is_a_clear_404(cast):
    response = _client(cast["us-head"]).get(reverse("process:body", args=["WG-XYZ"]))
    assert response.status_code == 404
    assert "There is no body &#x27;WG-XYZ&#x27;" in response.text


def test_a_user_outside_every_process_gets_a_clear_page(cast):
    from accord.accounts.services import user_create

    stranger = user_create(actor=None, username="nobody", password="x" * 12, delegation=None)
    response = _client(stranger).get(reverse("process:home"))
    assert response.status_code == 404
    assert "not a participant" in response.text
    # An operator is in no process either: their home is the operator's page (issue 13).
    landing = _client(cast["operator"]).get(reverse("process:home"))
    assert landing.status_code == 302
    assert landing["Location"] == reverse("ops:home")


def test_a_mechanism_page_shows_its_purpose_and_members(cast):
    page = _client(cast["ir-duty"]).get(reverse("process:mechanism", args=["MCC"])).text
    assert "Strait of Hormuz" in page
    assert "Iran duty officer" in page


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("ar", "rtl"), ("en", "ltr")])
def test_pages_take_their_direction_from_the_language(cast, language, direction):
    page = _client(cast["ir-head"]).get(reverse("process:home"), HTTP_ACCEPT_LANGUAGE=language)
    assert f'dir="{direction}"' in page.text
    assert f'lang="{language}"' in page.text


def test_production_hashes_passwords_with_argon2():
    from accord import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_signing_in_with_a_password_works(cast):
    user = cast["qa-chair"]
    user.set_password("correct horse battery")
    user.save()
    client = Client()
    response = client.post(
        reverse("login"), {"username": "qa-chair", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("process:home")).status_code == 200


def test_a_facilitator_records_a_milestone_as_met_from_the_roadmap(cast):
    client = _client(cast["pk-chair"])
    assert "Record as met" in client.get(reverse("process:home")).text
    response = client.post(reverse("process:milestone-met", args=["NUC-1"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-milestone="NUC-1"' in response.text
    assert "status-met" in response.text


def test_a_party_delegate_is_not_offered_and_cannot_record_a_milestone(cast):
    client = _client(cast["us-head"])
    assert "Record as met" not in client.get(reverse("process:home")).text
    response = client.post(reverse("process:milestone-met", args=["NUC-1"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert client.post("/api/milestones/NUC-1/met").status_code in (403,)
