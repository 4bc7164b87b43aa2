"""The API and the pages, through HTTP."""

import pytest
from django.test import Client

from accord.channels.models import Message


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_send_through_the_api_is_idempotent(on_watch):
    client = _client(on_watch["us-duty"])
    body = {"client_id": "retry-me", "text": "Hello Tehran", "precedence": "FLASH"}
    first = client.post("/api/channels/DCC/messages", body, content_type="application/json")
    second = client.post("/api/channels/DCC/messages", body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["to_side"] == "IR" and first.json()["state"] == "sent"
    changed = client.post(
        "/api/channels/DCC/messages", body | {"text": "Other"}, content_type="application/json"
    )
    assert changed.status_code == 409 and changed.json()["code"] == "conflict"
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": "a", "text": "x", "precedence": "NOW"},
        {"client_id": "", "text": "x"},
        {"text": "x"},
        {"client_id": "a", "text": ""},
        {"client_id": "a", "text": "x", "topic_id": "abc"},
        {"client_id": "a", "text": "x", "to": "ZZ"},
    ],
)
def test_bad_sends_are_4xx_and_write_nothing(on_watch, body):
    response = _client(on_watch["us-duty"]).post(
        "/api/channels/DCC/messages", body, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert Message.objects.count() == 0


def test_receipts_and_acknowledgement_through_the_api(on_watch, send):
    message = send("us-duty", "API ack", "IMMEDIATE")
    ir = _client(on_watch["ir-duty"])
    listed = ir.get("/api/channels/DCC/messages").json()
    assert listed[-1]["id"] == str(message.public_id)
    message.refresh_from_db()
    assert message.state == "delivered"  # fetched by a client of the receiving side
    assert (
        ir.post(
            f"/api/channels/messages/{message.public_id}/receipts",
            {"state": "read"},
            content_type="application/json",
        ).json()["state"]
        == "read"
    )
    us = _client(on_watch["us-duty"])
    refused = us.post(
        f"/api/channels/messages/{message.public_id}/acknowledge",
        {},
        content_type="application/json",
    )
    assert refused.status_code == 403
    done = ir.post(
        f"/api/channels/messages/{message.public_id}/acknowledge",
        {"reply": "Understood."},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "acknowledged"
    assert (
        us.get(f"/api/channels/messages/{message.public_id}").json()["acknowledged_by"] == "ir-duty"
    )
    again = ir.post(
        f"/api/channels/messages/{message.public_id}/acknowledge",
        {},
        content_type="application/json",
    )
    assert again.status_code == 409


def test_roster_handover_topics_and_health_through_the_api(on_watch):
    us = _client(on_watch["us-duty"])
    roster = {r["side"]: r for r in us.get("/api/channels/DCC/roster").json()}
    assert roster["US"]["officer"] == "us-duty" and roster["US"]["backup"] == "us-head"
    handed = us.post(
        "/api/channels/DCC/handover",
        {"officer": "us-head", "note": "Over to you."},
        content_type="application/json",
    )
    assert handed.status_code == 201 and handed.json()["officer"] == "us-head"
    refused = us.post(
        "/api/channels/DCC/handover", {"officer": "us-duty"}, content_type="application/json"
    )
    assert refused.status_code == 403  # us-duty is off watch now
    assert (
        us.post(
            "/api/channels/DCC/topics", {"title": "Round 2"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert (
        us.post(
            "/api/channels/DCC/topics", {"title": "Round 2"}, content_type="application/json"
        ).status_code
        == 409
    )
    assert [t["title"] for t in us.get("/api/channels/DCC/topics").json()] == ["Round 2"]
    health = us.get("/api/channels/DCC/health").json()
    assert health["missed_tests"] == 0
    assert {c["code"] for c in us.get("/api/channels/").json()} == {"DCC", "MCC", "LDM"}


def test_the_channel_page_lists_messages_and_sends_through_its_form(on_watch, send):
    send("ir-duty", "Page message one")
    us = _client(on_watch["us-duty"])
    page = us.get("/channels/DCC/")
    assert page.status_code == 200
    assert b"Page message one" in page.content and b"channel.js" in page.content
    response = us.post(
        "/channels/DCC/send",
        {
            "client_id": "form-1",
            "text": "From the form",
            "precedence": "PRIORITY",
            "language": "en",
        },
    )
    assert response.status_code == 302
    us.post(
        "/channels/DCC/send",
        {
            "client_id": "form-1",
            "text": "From the form",
            "precedence": "PRIORITY",
            "language": "en",
        },
    )
    assert Message.objects.filter(text="From the form").count() == 1
    bad = us.post(
        "/channels/DCC/send",
        {"client_id": "form-2", "text": "", "precedence": "PRIORITY"},
        follow=True,
    )
    assert b"A message needs some text." in bad.content


def test_the_page_marks_messages_to_the_viewers_side_delivered(on_watch, send):
    message = send("us-duty", "Seen by a page")
    _client(on_watch["ir-duty"]).get("/channels/DCC/")
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_index_health_and_transcripts_render(on_watch, send):
    send("us-duty", "Transcript line ")
    us = _client(on_watch["us-duty"])
    assert b"Direct Communication Channel" in us.get("/channels/").content
    assert b"Last successful link test" in us.get("/channels/DCC/health").content
    exported = us.get("/channels/DCC/transcript.json")
    assert exported["Content-Disposition"].startswith("attachment;")
    assert exported.json()["messages"][0]["text"] == "Transcript line"
    pdf = us.get("/channels/DCC/transcript.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_handover_and_acknowledge_forms_on_the_page(on_watch, send):
    message = send("us-duty", "Form ack", "FLASH")
    ir = _client(on_watch["ir-duty"])
    assert f'data-ack="{message.public_id}"'.encode() in ir.get("/channels/DCC/").content
    ir.post(f"/channels/DCC/messages/{message.public_id}/acknowledge", {"reply": ""})
    message.refresh_from_db()
    assert message.state == "acknowledged"
    ir.post(
        "/channels/DCC/handover", {"officer": "ir-head", "backup": "ir-duty", "note": "Night watch"}
    )
    assert b"Night watch" in ir.get("/channels/DCC/").content


def test_the_channel_page_and_message_list_take_a_fixed_number_of_queries(on_watch, send):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    us = _client(on_watch["us-duty"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert us.get(url).status_code == 200
        return len(queries)

    for n in range(3):
        send("us-duty", f"few {n}")
    few = (count("/channels/DCC/"), count("/api/channels/DCC/messages"))
    for n in range(12):
        send("us-duty", f"many {n}")
    many = (count("/channels/DCC/"), count("/api/channels/DCC/messages"))
    assert many == few
