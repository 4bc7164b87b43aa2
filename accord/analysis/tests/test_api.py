"""The API: a party's preferences and consent, the facilitators' frontier and tabling."""

from __future__ import annotations

import json

from django.test import Client

from accord.analysis import services
from accord.analysis.tests.conftest import state


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_party_puts_its_preferences_and_consents(cast, annex):
    # Given the Iranian head and the text's issues
    client = _client(cast["ir-head"])
    base = f"/api/analysis/documents/{annex.public_id}"
    issues = client.get(f"{base}/issues").json()
    assert len(issues) == 3
    body = {
        "weights": {issues[0]["key"]: 80},
        "scores": {issues[0]["options"][1]["key"]: 100},
        "reservation": 30,
    }
    # when it puts its preferences and consents
    put = client.put(f"{base}/preferences", json.dumps(body), content_type="application/json")
    assert put.status_code == 200
    assert put.json()["weights"][issues[0]["key"]] == 80
    assert put.json()["shared"] is False
    consent = client.post(
        f"{base}/consent", json.dumps({"consent": True}), content_type="application/json"
    )
    # then the answer says they are shared, and the options it left are marked unscored
    assert consent.status_code == 200
    assert consent.json()["shared"] is True
    assert issues[0]["options"][0]["key"] in consent.json()["unscored"]


def test_an_unknown_issue_or_a_value_out_of_range_is_refused(cast, annex):
    client = _client(cast["ir-head"])
    url = f"/api/analysis/documents/{annex.public_id}/preferences"
    unknown = client.put(
        url, json.dumps({"weights": {"nope:0": 5}}), content_type="application/json"
    )
    assert unknown.status_code == 422
    assert unknown.json()["code"] == services.UNKNOWN_ISSUE.code
    high = client.put(url, json.dumps({"reservation": 101}), content_type="application/json")
    assert high.status_code == 422
    assert high.json()["code"] == services.OUT_OF_RANGE.code


def test_the_facilitators_read_the_frontier_and_table_the_nash_package(cast, annex):
    # Given both parties' preferences shared
    state(cast["us-head"], annex, favour_first=True, reservation=10)
    state(cast["ir-head"], annex, favour_first=False, reservation=10)
    client = _client(cast["pk-rapporteur"])
    base = f"/api/analysis/documents/{annex.public_id}"
    # when the rapporteur reads the frontier
    frontier = client.get(f"{base}/frontier")
    assert frontier.status_code == 200
    body = frontier.json()
    assert body["parties"] == ["US", "IR"]
    assert body["zopa"] is True
    nash = next(s for s in body["solutions"] if s["solution"] == "nash")["point"]
    assert set(nash["utilities"]) == {"US", "IR"}
    # and tables the Nash package
    keys = [[o["key"] for o in i["options"]] for i in body["issues"]]
    package = [k.index(option) for k, option in zip(keys, nash["package"], strict=True)]
    tabled = client.post(
        f"{base}/non-papers",
        json.dumps({"package": package, "solution": "nash"}),
        content_type="application/json",
    )
    # then the non-paper and its provenance are returned
    assert tabled.status_code == 201
    assert tabled.json()["provenance"]["solution"] == "nash"
    again = client.get(f"/api/analysis/non-papers/{tabled.json()['id']}")
    assert again.status_code == 200


def test_a_package_of_the_wrong_length_is_refused(cast, annex):
    state(cast["us-head"], annex, favour_first=True)
    state(cast["ir-head"], annex, favour_first=False)
    client = _client(cast["pk-rapporteur"])
    answer = client.post(
        f"/api/analysis/documents/{annex.public_id}/non-papers",
        json.dumps({"package": [0]}),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == services.PACKAGE_INVALID.code
