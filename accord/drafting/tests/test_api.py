"""The drafting API: the same services and selectors, JSON in and out, clear 4xx."""

import base64
import re

from django.test import Client

from accord.drafting import brackets, exports, selectors, services
from accord.drafting.models import Document, Provision
from accord.drafting.tests.conftest import by_label


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_documents_list_and_detail_with_provisions_and_counts(cast, annex):
    client = _client(cast["us-expert"])
    listed = client.get("/api/drafting/documents").json()
    assert [d["title"] for d in listed] == ["Annex I — Nuclear"]
    detail = client.get(f"/api/drafting/documents/{annex.public_id}").json()
    assert detail["brackets"] == sum(
        p["bracketed_spans"] + p["option_sets"] for p in detail["provisions"]
    )
    assert detail["provisions"][1]["eid"] == "art_1__para_1"


def test_a_facilitator_builds_a_text_through_the_api(cast, islamabad):
    client = _client(cast["qa-chair"])
    doc = client.post(
        "/api/drafting/documents",
        {"body": "WG-SAN", "title": "Relief"},
        content_type="application/json",
    )
    assert doc.status_code == 201
    doc_id = doc.json()["id"]
    art = client.post(
        f"/api/drafting/documents/{doc_id}/provisions",
        {"kind": "article", "heading": "Tranches"},
        content_type="application/json",
    ).json()
    para = client.post(
        f"/api/drafting/documents/{doc_id}/provisions",
        {
            "kind": "paragraph",
            "parent": art["wid"],
            "text": "Relief in [three]{US}[one]{IR} tranche(s).",
        },
        content_type="application/json",
    )
    assert para.status_code == 201 and para.json()["label"] == "Article 1.1"
    wid = para.json()["wid"]
    resolved = client.post(
        f"/api/drafting/provisions/{wid}/resolve",
        {"group": 0, "keep": 1},
        content_type="application/json",
    ).json()
    assert resolved["text"] == "Relief in one tranche(s)."
    rev = client.post(
        f"/api/drafting/documents/{doc_id}/revisions",
        {"note": "first"},
        content_type="application/json",
    )
    assert rev.status_code == 201 and rev.json()["number"] == 1
    diff = client.get(f"/api/drafting/documents/{doc_id}/diff", {"a": 1}).json()
    assert diff["entries"] == []


def test_bad_input_is_a_clear_4xx_and_writes_nothing(cast, annex):
    client = _client(cast["pk-chair"])
    wid = by_label(annex, "Article 1.1").wid
    before = Provision.objects.get(wid=wid).text
    bad = client.patch(
        f"/api/drafting/provisions/{wid}", {"text": "x [y"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == services.BRACKETS_INVALID.code
    assert (
        client.post(
            f"/api/drafting/provisions/{wid}/resolve",
            {"group": 99},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/api/drafting/provisions/{wid}/resolve",
            {"group": -1},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert client.post(
        "/api/drafting/documents", "{nope", content_type="application/json"
    ).status_code in (400, 422)
    assert client.get("/api/drafting/provisions/nope").status_code == 404
    assert (
        client.get(
            f"/api/drafting/documents/{annex.public_id}/diff", {"a": 1, "b": "x"}
        ).status_code
        == 404
    )
    assert Provision.objects.get(wid=wid).text == before
    party = _client(cast["us-expert"])
    assert (
        party.patch(
            f"/api/drafting/provisions/{wid}", {"text": "Ours."}, content_type="application/json"
        ).status_code
        == 403
    )


def test_positions_proposals_and_adoption_refusal_through_the_api(cast, annex):
    iran = _client(cast["ir-expert"])
    wid = by_label(annex, "Article 3.1").wid
    stated = iran.put(
        f"/api/drafting/provisions/{wid}/position",
        {"stance": "accept"},
        content_type="application/json",
    )
    assert stated.json()["positions"] == {"IR": "accept"}
    assert (
        iran.put(
            f"/api/drafting/provisions/{wid}/position",
            {"stance": "maybe"},
            content_type="application/json",
        ).status_code
        == 422
    )
    proposal = iran.post(
        f"/api/drafting/documents/{annex.public_id}/proposals",
        {"kind": "delete", "provision": wid, "justification": "Not needed."},
        content_type="application/json",
    )
    assert proposal.status_code == 201
    chair = _client(cast["pk-chair"])
    decided = chair.post(
        f"/api/drafting/proposals/{proposal.json()['id']}/decision",
        {"decision": "decline", "reason": "Needed."},
        content_type="application/json",
    )
    assert decided.json()["state"] == "declined"
    refused = chair.post(f"/api/drafting/documents/{annex.public_id}/adopt")
    assert refused.status_code == 409 and "cannot be adopted" in refused.json()["detail"]


def test_import_by_api_reports_errors_and_imports_docx(cast, annex):
    client = _client(cast["pk-chair"])
    bad = client.post(
        "/api/drafting/import",
        {"body": "WG-NUC", "content": "(a) A sub-paragraph with nothing above it.\n"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"]
    data = exports.docx_export(selectors.document_snapshot(annex))
    good = client.post(
        "/api/drafting/import",
        {"body": "WG-NUC", "format": "docx", "content": base64.b64encode(data).decode()},
        content_type="application/json",
    )
    assert good.status_code == 201
    copy = Document.objects.get(public_id=good.json()["document"])

    # The same wording, brackets, options and sponsors (the .docx writes out the option
    # labels the page shows, decision 0077)
    def meaning(document):
        return [
            (
                re.sub(r"Option \d+:\s*", "", brackets.plain(p["text"])),
                [
                    [o.sponsors for o in g.options]
                    for g in brackets.groups(brackets.parse(p["text"]))
                ],
                p["brackets"],
            )
            for p in selectors.document_snapshot(document)["provisions"]
        ]

    assert meaning(copy) == meaning(annex)
    assert (
        client.post(
            "/api/drafting/import",
            {"body": "WG-NUC", "format": "docx", "content": "!!"},
            content_type="application/json",
        ).status_code
        == 422
    )


def test_counts_endpoint_gives_the_selectors_figures(cast, texts):
    counts = _client(cast["pk-rapporteur"]).get("/api/drafting/counts").json()
    assert set(counts["by_body"]) == {"HLC", "WG-NUC"}
    assert len(counts["history"]) == 4
