"""The pages and the API, on the demo content."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.compliance.models import Commitment, Dispute, Sequence, Tranche
from accord.events.models import Event

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_implementation_report_rolls_up_by_party_body_and_article(cast, seeded):
    response = _client(cast["us-member"]).get(reverse("compliance:overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Implementation report" in page
    assert 'data-party="IR"' in page and 'data-party="US"' in page
    assert "Article 3 (Dispute resolution)" in page
    assert "First tranche of sanctions relief" in page
    assert "United States is waiting on Iran for C-3" in page
    assert "Frozen funds not released on schedule" in page


def test_the_report_as_json_and_as_a_one_page_pdf(cast, seeded):
    client = _client(cast["pk-chair"])
    data = client.get("/api/compliance/report")
    assert data.status_code == 200
    body = data.json()
    ir = next(s for s in body["by_party"] if s["key"] == "IR")
    # C-4 (weight 2) verified of IR's 1 + 2 + 2 + 2
    assert (ir["done"], ir["weight"]) == (2, 7)
    assert [d["stage"] for d in body["disputes"]] == ["ministers"]
    assert [s["stage"] for s in body["disputes"][0]["open_stages"]] == [
        "ministers",
        "advisory-board",
    ]
    pdf = client.get(reverse("compliance:report_pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_sequence_page_draws_the_graph_and_the_gantt_on_the_server(cast, seeded):
    sequence = Sequence.objects.get()
    response = _client(cast["ir-head"]).get(
        reverse("compliance:sequence", args=[sequence.public_id])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg xmlns") >= 2
    assert "data-node='IMPLEMENTATION-DAY'" in page
    assert "data-bar='C-7'" in page
    assert "C-3 → IMPLEMENTATION-DAY → C-5 → C-7" in page  # the critical path
    assert '<li data-party="IR"><strong>IR</strong>: <a' in page  # C-3 still open for Iran
    assert "<script" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_the_dispute_page_shows_each_stage_with_its_deadline(cast, seeded):
    dispute = Dispute.objects.get()
    response = _client(cast["us-head"]).get(reverse("compliance:dispute", args=[dispute.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-stage-row="joint-commission"' in page
    assert 'data-stage-row="ministers"' in page
    assert "Ministers of Foreign Affairs" in page
    assert "Extend this stage" not in page  # a party does not extend; the facilitators do


def test_a_facilitator_extends_a_stage_through_the_page_and_the_original_date_stays(
    cast, islamabad
):
    client = _client(cast["ir-head"])
    response = client.post(
        reverse("compliance:dispute_new"),
        {"title": "Funds late", "respondent": "US", "description": ""},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    chair = _client(cast["pk-chair"])
    response = chair.post(
        reverse("compliance:dispute_act", args=[dispute.public_id, "extend"]),
        {"days": "5", "text": "Agreed by consensus to allow the records to arrive."},
    )
    assert response.status_code == 302
    page = chair.get(reverse("compliance:dispute", args=[dispute.public_id])).content.decode()
    assert "originally" in page
    assert "Agreed by consensus to allow the records to arrive." in page


def test_the_api_lists_and_creates_commitments_and_refuses_a_party(cast, islamabad):
    chair = _client(cast["pk-chair"])
    created = chair.post(
        "/api/compliance/commitments",
        {"party": "IR", "title": "Declare all facilities", "due_on": "2027-01-10"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["code"] == "C-1"
    refused = _client(cast["us-head"]).post(
        "/api/compliance/commitments",
        {"party": "IR", "title": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "commitment.facilitators_only"
    listed = _client(cast["ir-member"]).get("/api/compliance/commitments")
    assert listed.status_code == 200
    assert [c["title"] for c in listed.json()] == ["Declare all facilities"]


def test_the_api_refuses_a_cycle_naming_it(cast, islamabad):
    chair = _client(cast["pk-chair"])
    seq = chair.post(
        "/api/compliance/sequences", {"title": "Phase"}, content_type="application/json"
    ).json()
    ids = [
        chair.post(
            "/api/compliance/commitments",
            {"party": p, "title": t},
            content_type="application/json",
        ).json()["id"]
        for p, t in (("IR", "a"), ("US", "b"))
    ]
    put = chair.put(
        f"/api/compliance/commitments/{ids[0]}/step",
        {"sequence": seq["id"], "depends_on": []},
        content_type="application/json",
    )
    assert put.status_code == 200
    chair.put(
        f"/api/compliance/commitments/{ids[1]}/step",
        {"sequence": seq["id"], "depends_on": ["C-1"]},
        content_type="application/json",
    )
    loop = chair.put(
        f"/api/compliance/commitments/{ids[0]}/step",
        {"sequence": seq["id"], "depends_on": ["C-2"]},
        content_type="application/json",
    )
    assert loop.status_code == 422
    assert loop.json()["code"] == "sequence.cycle"
    assert "C-1 → C-2 → C-1" in loop.json()["detail"]


def test_the_provision_shows_the_commitments_recorded_from_it(cast, seeded):
    commitment = Commitment.objects.exclude(provision_wid="").first()
    response = _client(cast["us-head"]).get(
        reverse("drafting:provision", args=[commitment.provision_wid])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Commitments from this provision" in page
    assert reverse("compliance:commitment", args=[commitment.public_id]) in page


def test_publishing_through_the_page_makes_the_finding_everyones(cast, seeded):
    commitment = Commitment.objects.get(number=3)
    report = commitment.reports.get()
    verifier = _client(cast["pk-verifier"])
    page = verifier.get(reverse("compliance:commitment", args=[commitment.public_id]))
    assert "Publish to every participant" in page.content.decode()
    response = verifier.post(
        reverse("compliance:commitment_act", args=[commitment.public_id, "publish"]),
        {"report": str(report.public_id)},
    )
    assert response.status_code == 302
    assert Event.objects.filter(kind="VerificationReportPublished").count() == 2
    us_page = _client(cast["us-member"]).get(
        reverse("compliance:commitment", args=[commitment.public_id])
    )
    assert "Access to the feed-and-withdrawal records not yet granted." in us_page.content.decode()
    assert Tranche.objects.get().status == Tranche.Status.WAITING
