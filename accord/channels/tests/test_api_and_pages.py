"""The API and the pages, through HTTP."""

import uuid

import pytest
from django.test import Client

from accord.channels import access, services
from accord.channels.models import Message
from accord.events.models import Event


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
    assert changed.status_code == 409
    assert changed.json()["code"] == services.CLIENT_ID_REUSED.code == "message.client_id_reused"
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
    listed = ir.get("/api/channels/DCC/messages")
    assert listed.status_code == 200
    assert listed.json()[-1]["id"] == str(message.public_id)
    message.refresh_from_db()
    assert message.state == "sent"  # a read records nothing
    delivered = ir.post(
        "/api/channels/DCC/receipts",
        {"state": "delivered", "message_ids": [str(message.public_id)]},
        content_type="application/json",
    )
    assert delivered.status_code == 200
    assert delivered.json() == {"state": "delivered", "recorded": [str(message.public_id)]}
    read = ir.post(
        f"/api/channels/messages/{message.public_id}/receipts",
        {"state": "read"},
        content_type="application/json",
    )
    assert read.status_code == 200 and read.json()["state"] == "read"
    us = _client(on_watch["us-duty"])
    refused = us.post(
        f"/api/channels/messages/{message.public_id}/acknowledge",
        {},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == services.NOT_DUTY_OFFICER.code
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
    assert (
        again.json()["code"]
        == services.ALREADY_ACKNOWLEDGED.code
        == "acknowledgement.already_given"
    )


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
    # A refused form comes back as it was typed, with the sentence beside it.
    bad = us.post(
        "/channels/DCC/send",
        {"client_id": "form-2", "text": "   ", "precedence": "FLASH", "next": "/channels/DCC/"},
    )
    assert bad.status_code == 422
    assert b"A message needs some text." in bad.content
    assert b'id="send-error"' in bad.content
    assert b'<option value="FLASH" selected>' in bad.content
    assert b'name="client_id" value="form-2"' in bad.content
    # A send to a channel one is not in is the error page, 404.
    hidden = us.post(
        "/channels/NOPE/send",
        {"client_id": "form-3", "text": "x", "next": "/channels/DCC/"},
    )
    assert hidden.status_code == 404
    assert str(access.CHANNEL_NOT_FOUND.sentence).encode() in hidden.content


def test_reading_the_page_or_the_api_changes_nothing(on_watch, send):
    message = send("us-duty", "Seen by a page")
    events = Event.objects.count()
    ir = _client(on_watch["ir-duty"])
    for url in (
        "/channels/DCC/",
        "/api/channels/DCC/messages",
        f"/api/channels/messages/{message.public_id}",
        "/channels/DCC/health",
        "/api/channels/DCC/transcript",
    ):
        assert ir.get(url).status_code == 200, url
    message.refresh_from_db()
    assert (message.delivered_at, message.read_at, message.state) == (None, None, "sent")
    assert Event.objects.count() == events


def test_a_batch_of_receipts_through_the_api_writes_one_event(on_watch, send):
    messages = [send("us-duty", f"Batch {n}") for n in range(5)]
    events = Event.objects.count()
    response = _client(on_watch["ir-duty"]).post(
        "/api/channels/DCC/receipts",
        {"state": "read", "message_ids": [str(m.public_id) for m in messages]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["recorded"] == [str(m.public_id) for m in messages]
    assert Event.objects.count() == events + 1
    assert Event.objects.filter(kind="ChannelReceiptsRecorded").count() == 1
    assert set(Message.objects.values_list("read_at", flat=True)) != {None}


def test_a_batch_with_the_other_sides_message_answers_like_a_missing_one(on_watch, send):
    theirs = send("us-duty", "To Iran")
    own = send("ir-duty", "To the US")
    ir = _client(on_watch["ir-duty"])
    answers = [
        ir.post(
            "/api/channels/DCC/receipts",
            {"state": "read", "message_ids": [str(theirs.public_id), ident]},
            content_type="application/json",
        )
        for ident in (str(own.public_id), str(uuid.uuid4()))
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["code"] == access.MESSAGE_NOT_FOUND.code
    assert not Event.objects.filter(kind="ChannelReceiptsRecorded").exists()


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


def test_the_feed_and_the_api_say_a_message_alike(on_watch, send):
    """One serialisation: every key of the live feed's payload is in the API's answer,
    with the same value (the API adds receipts, signature and translations)."""
    import datetime as dt

    from accord.channels import services as channel_services

    message = send("us-duty", "Said alike", "IMMEDIATE")
    channel_services.link_tests_send_due(now=dt.datetime.now(dt.UTC))
    link_test = Message.objects.get(
        kind="link_test", mechanism__code="DCC", from_delegation__code="US"
    )
    us = _client(on_watch["us-duty"])
    for sent, kind in ((message, "ChannelMessageSent"), (link_test, "LinkTestSent")):
        event = Event.objects.get(kind=kind, subject=f"message:{sent.public_id}")
        answer = us.get(f"/api/channels/messages/{sent.public_id}")
        assert answer.status_code == 200
        api = answer.json()
        for key, value in event.payload.items():
            assert key in api, key
            if key in ("sent_at", "acknowledge_by"):
                assert dt.datetime.fromisoformat(api[key]) == dt.datetime.fromisoformat(value)
            else:
                assert api[key] == value, key
    assert (event.payload["sender"], event.payload["sender_name"]) == (None, None)
    assert event.payload["from_side"] == "US" and event.payload["to_side"] == "IR"
    page = us.get("/channels/DCC/")
    assert page.status_code == 200 and b"Link test" in page.content
