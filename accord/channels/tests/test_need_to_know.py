"""A member of one channel cannot read another: page, API, feed, search, export, files."""

import pytest
from django.test import Client

from accord.channels import selectors, services
from accord.channels.models import Attachment
from accord.errors import NotFound
from accord.events.selectors import event_list
from accord.web.search import search

SECRET = "Zebra-7 transit plan for the outbound lane"


@pytest.fixture
def ldm_secret(on_watch):
    message, _ = services.message_send(
        actor=on_watch["ir-duty"],
        channel="LDM",
        text=SECRET,
        precedence="PRIORITY",
        client_id="secret",
        to="US",
        attachments=[services.AttachmentUpload("plan.txt", b"Zebra-7 details")],
    )
    return message


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("outsider", ["us-head", "ir-head", "us-member", "pk-chair", "operator"])
def test_a_non_member_cannot_reach_a_channel_by_any_route(on_watch, ldm_secret, outsider):
    user = on_watch[outsider]
    client = _client(user)
    attachment = Attachment.objects.get(message=ldm_secret)
    for url in (
        "/channels/LDM/",
        "/channels/LDM/health",
        "/channels/LDM/transcript.json",
        "/channels/LDM/transcript.pdf",
        f"/channels/attachments/{attachment.pk}",
        "/api/channels/LDM/messages",
        "/api/channels/LDM/transcript",
        "/api/channels/LDM/roster",
        "/api/channels/LDM/health",
        "/api/channels/LDM/topics",
        f"/api/channels/messages/{ldm_secret.pk}",
    ):
        response = client.get(url)
        assert response.status_code in (404, 401), (url, response.status_code)
        assert b"Zebra" not in response.content, url
    for url, body in (
        (f"/api/channels/messages/{ldm_secret.pk}/acknowledge", {}),
        (f"/api/channels/messages/{ldm_secret.pk}/receipts", {"state": "read"}),
        (f"/api/channels/messages/{ldm_secret.pk}/translations", {"language": "en", "text": "x"}),
        ("/api/channels/LDM/messages", {"client_id": "z", "text": "x"}),
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code in (404, 401, 403), (url, response.status_code)
        assert b"Zebra" not in response.content
    channels = client.get("/api/channels/")
    assert b"LDM" not in channels.content if channels.status_code == 200 else True
    # Feed and search.
    assert not [e for e in event_list(actor=user) if "Zebra" in str(e.payload)]
    assert not search(actor=user, query="Zebra")
    with pytest.raises(NotFound):
        selectors.message_list(actor=user, channel="LDM")


def test_members_do_reach_it(on_watch, ldm_secret):
    client = _client(on_watch["us-duty"])
    assert SECRET.encode() in client.get("/channels/LDM/").content
    assert SECRET.encode() in client.get("/api/channels/LDM/messages").content
    assert search(actor=on_watch["pk-duty"], query="Zebra")


def test_another_channels_members_do_not_see_its_events_in_the_feed(on_watch, send):
    send("us-duty", "DCC only: Kilo-3", channel="DCC")
    # ir-duty is in DCC; the LDM-only observer is not.
    assert [e for e in event_list(actor=on_watch["ir-duty"]) if "Kilo-3" in str(e.payload)]
    assert not [e for e in event_list(actor=on_watch["us-observer"]) if "Kilo-3" in str(e.payload)]
