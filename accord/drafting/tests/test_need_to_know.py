"""Deliberate leak tests: a working group's text stays inside the working group, and a
non-paper's author stays unknown to the other party, by every route."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.drafting import services
from accord.drafting.tests.conftest import by_label
from accord.process.models import Body

SECRET_WORDING = "breakout time of no less than twelve months"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def paper(cast, islamabad):
    body = Body.objects.get(process=islamabad, code="WG-NUC")
    document = services.document_create(
        actor=cast["us-expert"],
        body_code=body.code,
        title="Non-paper on breakout",
        status="non_paper",
    )
    services.provision_add(
        actor=cast["pk-chair"],
        document_id=document.public_id,
        kind="paragraph",
        text=f"A {SECRET_WORDING} [shall]{{US}} be kept.",
    )
    return document


@pytest.mark.parametrize("username", ["ir-expert", "qa-rapporteur"])
def test_the_non_paper_author_is_not_shown_to_the_other_party(cast, paper, username):
    client = _client(cast[username])
    page = client.get(reverse("drafting:document", args=[paper.public_id]))
    api = client.get(f"/api/drafting/documents/{paper.public_id}").json()
    events = client.get("/api/events/").text
    export = b"".join(client.get("/api/events/export").streaming_content).decode()
    if username == "ir-expert":
        assert "data-author" not in page.text
        assert api["author"] is None
        assert "NonPaperAuthorRecorded" not in events + export
        created = [line for line in export.splitlines() if "DocumentCreated" in line]
        assert created and all("us-expert" not in line and '"US"' not in line for line in created)
    else:
        assert api["author"] == "US"  # the facilitators know


def test_the_author_delegation_sees_its_own_authorship(cast, paper):
    assert (
        _client(cast["us-expert"])
        .get(f"/api/drafting/documents/{paper.public_id}")
        .json()["author"]
        == "US"
    )


@pytest.mark.parametrize("username", ["us-head", "ir-head", "us-member", "ir-duty", "operator"])
def test_no_route_leads_outside_the_working_group_to_its_text(cast, paper, username):
    client = _client(cast[username])
    wid = paper.provisions.get().wid
    responses = [
        client.get(reverse("drafting:document", args=[paper.public_id])),
        client.get(reverse("drafting:provision", args=[wid])),
        client.get(reverse("drafting:export", args=[paper.public_id, "docx"])),
        client.get(reverse("drafting:export", args=[paper.public_id, "txt"])),
        client.get(reverse("drafting:diff", args=[paper.public_id])),
        client.get(reverse("drafting:document_live", args=[paper.public_id])),
        client.get(f"/api/drafting/documents/{paper.public_id}"),
        client.get(f"/api/drafting/provisions/{wid}"),
        client.get(f"/api/drafting/documents/{paper.public_id}/revisions"),
        client.get(f"/api/drafting/documents/{paper.public_id}/export.txt"),
    ]
    assert all(r.status_code in (404, 401) for r in responses), [r.status_code for r in responses]
    for page in (client.get(reverse("drafting:list")), client.get("/api/drafting/documents")):
        assert SECRET_WORDING not in page.text and "breakout" not in page.text
    assert SECRET_WORDING not in client.get("/api/events/").text
    assert client.get("/api/drafting/counts").json()["by_body"].get("WG-NUC") is None


def test_a_referral_shows_the_hlc_the_referred_wording_only(cast, annex):
    provision = by_label(annex, "Article 1.1")
    services.referral_create(actor=cast["pk-chair"], provision_id=provision.wid, note="Decide.")
    head = _client(cast["us-head"])
    assert "Enrichment shall not exceed" in head.get(reverse("drafting:referrals")).text
    other = by_label(annex, "Article 2.1").text
    assert other[:30] not in head.get(reverse("drafting:referrals")).text
    assert head.get(reverse("drafting:document", args=[annex.public_id])).status_code == 404


def test_search_finds_wording_for_members_only(cast, paper):
    members = _client(cast["ir-expert"]).get(reverse("web:search"), {"q": "twelve months"})
    assert SECRET_WORDING in members.text
    outsider = _client(cast["ir-head"]).get(reverse("web:search"), {"q": "twelve months"})
    assert SECRET_WORDING not in outsider.text and "breakout" not in outsider.text


def test_the_admin_shows_no_author_and_nothing_outside_the_viewers_scopes(cast, paper):
    iran = cast["ir-expert"]
    iran.is_staff = iran.is_superuser = True
    iran.save()
    client = _client(iran)
    listing = client.get(reverse("admin:drafting_document_changelist"))
    assert listing.status_code == 200 and "Non-paper on breakout" in listing.text
    detail = client.get(reverse("admin:drafting_document_change", args=[paper.public_id]))
    assert "us-expert" not in detail.text and "United States" not in detail.text
    operator = _client(cast["operator"])
    assert (
        "Non-paper on breakout"
        not in operator.get(reverse("admin:drafting_document_changelist")).text
    )
