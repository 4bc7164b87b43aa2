"""A member of one channel cannot read another: page, API, feed, search, export, files,
nor count its traffic from the ids they are shown."""

import dataclasses
import json
import re
import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accord.channels import access, selectors, services
from accord.channels.models import Attachment, Message, Topic
from accord.errors import NotFound
from accord.events.selectors import event_list
from accord.testing.need_to_know import assert_learns_nothing_of_others
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
        f"/channels/attachments/{attachment.public_id}",
        "/api/channels/LDM/messages",
        "/api/channels/LDM/transcript",
        "/api/channels/LDM/roster",
        "/api/channels/LDM/health",
        "/api/channels/LDM/topics",
        f"/api/channels/messages/{ldm_secret.public_id}",
    ):
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert b"Zebra" not in response.content, url
    for url, body in (
        (f"/api/channels/messages/{ldm_secret.public_id}/acknowledge", {}),
        (f"/api/channels/messages/{ldm_secret.public_id}/receipts", {"state": "read"}),
        (
            "/api/channels/LDM/receipts",
            {"state": "read", "message_ids": [str(ldm_secret.public_id)]},
        ),
        (
            f"/api/channels/messages/{ldm_secret.public_id}/translations",
            {"language": "en", "text": "x"},
        ),
        ("/api/channels/LDM/messages", {"client_id": "z", "text": "x"}),
    ):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 404, (url, response.status_code)
        assert b"Zebra" not in response.content
    channels = client.get("/api/channels/")
    assert channels.status_code == 200
    assert "LDM" not in {c["code"] for c in channels.json()}
    assert_learns_nothing_of_others(channels.json(), hidden=[ldm_secret])
    index = client.get("/channels/")
    assert index.status_code == 200 and b"LDM" not in index.content
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


# --- no primary key leaves the server (decision 0046) ------------------------------
#
# Primary keys are counted across all channels: with them, a member of DCC who saw
# messages 41 and 47 would know that five messages went through channels they are not
# in (MCC here). Every id they are shown must be a random public id instead.

# The only integers a member may be shown: positions and sizes within their own channel.
PUBLIC_NUMBERS = {"seq", "size", "rung"}
ID_KEYS = {"id", "reply_to"}


def _is_public_id(value) -> bool:
    try:
        return uuid.UUID(str(value)).version == 4
    except ValueError:
        return False


def _leaks(data, path="$") -> list[str]:
    """Where ``data`` (decoded JSON) holds an id that is not a public id, or an integer
    other than a seq, a size or a rung."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{path}.{key}"
            is_id = key in ID_KEYS or (key.endswith("_id") and key != "client_id")
            if is_id and value is not None and not _is_public_id(value):
                found.append(f"{here}={value!r}")
                continue
            if key == "subject" and isinstance(value, str) and ":" in value:
                kind, _, ident = value.partition(":")
                if kind in ("message", "topic") and not _is_public_id(ident):
                    found.append(f"{here}={value!r}")
            found += _leaks(value, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _leaks(value, f"{path}[{index}]")
    elif (
        isinstance(data, int)
        and not isinstance(data, bool)
        and path.rsplit(".", 1)[-1] not in PUBLIC_NUMBERS
    ):
        found.append(f"{path}={data!r}")
    return found


def _traffic(cast, *, rounds: int = 3) -> list[Message]:
    """Interleaved MCC and DCC traffic (a topic, an attachment, a reply, a translation);
    returns the DCC messages."""
    topic = services.topic_create(actor=cast["us-duty"], channel="DCC", title="Schedule")
    dcc = []
    for n in range(rounds):
        for k in range(2):
            services.message_send(
                actor=cast["us-duty"],
                channel="MCC",
                text=f"MCC traffic {n}.{k}",
                precedence="ROUTINE",
                client_id=f"mcc-{n}-{k}",
            )
        message, _ = services.message_send(
            actor=cast["us-duty"],
            channel="DCC",
            text=f"DCC message {n}",
            precedence="IMMEDIATE",
            client_id=f"dcc-{n}",
            topic_id=topic.public_id,
            attachments=[services.AttachmentUpload(f"note-{n}.txt", b"details")],
        )
        dcc.append(message)
    services.message_acknowledge(
        actor=cast["ir-duty"], message_id=dcc[0].public_id, reply="Received."
    )
    services.translation_add(
        actor=cast["ir-duty"], message_id=dcc[1].public_id, language="fa", text="پیام"
    )
    return list(Message.objects.filter(mechanism__code="DCC").order_by("seq"))


def _mcc() -> list:
    """What us-head (DCC, not MCC) may not see of the traffic: MCC's messages."""
    return list(Message.objects.filter(mechanism__code="MCC"))


def _learns_nothing(body, **kwargs) -> None:
    """The shared leak check; a seq counts the reader's own channel only (allowed)."""
    assert_learns_nothing_of_others(body, hidden=_mcc(), allowed_integer_keys=("seq",), **kwargs)


def test_a_dcc_member_is_shown_no_primary_key_on_the_page(on_watch):
    dcc = _traffic(on_watch)
    response = _client(on_watch["us-head"]).get("/channels/DCC/")
    assert response.status_code == 200
    html = response.content.decode()
    _learns_nothing(html)
    shown = {
        "message": re.findall(r'id="msg-([^"]*)"', html)
        + re.findall(r'data-message-id="([^"]*)"', html)
        + re.findall(r'data-ack="([^"]*)"', html)
        + re.findall(r"/channels/DCC/messages/([^/]*)/", html),
        "attachment": re.findall(r'href="/channels/attachments/([^"]*)"', html),
        "topic": re.findall(
            r'<option value="([^"]*)">', re.search(r'name="topic">(.*?)</select>', html)[1]
        ),
    }
    assert set(shown["message"]) == {str(m.public_id) for m in dcc}
    assert shown["attachment"] and shown["topic"] == ["", str(Topic.objects.get().public_id)]
    for kind, ids in shown.items():
        assert all(_is_public_id(i) for i in ids if i), (kind, ids)
    assert not re.search(r'msg-\d+"|/attachments/\d+"|/messages/\d+/', html)


def test_a_dcc_member_is_shown_no_primary_key_by_the_api_or_the_transcript(on_watch, tmp_path):
    dcc = _traffic(on_watch)
    client = _client(on_watch["us-head"])
    answers = {
        "channels": client.get("/api/channels/").json(),
        "list": client.get("/api/channels/DCC/messages").json(),
        "one": client.get(f"/api/channels/messages/{dcc[-1].public_id}").json(),
        "topics": client.get("/api/channels/DCC/topics").json(),
        "transcript": client.get("/api/channels/DCC/transcript").json(),
        "transcript.json": json.loads(client.get("/channels/DCC/transcript.json").content),
    }
    for name, answer in answers.items():
        # A channel's count of unacknowledged messages counts its own messages only.
        if name != "channels":
            assert not _leaks(answer), (name, _leaks(answer))
        _learns_nothing(answer)
    index = client.get("/channels/")
    assert index.status_code == 200
    _learns_nothing(index.content)
    listed = answers["list"]
    assert [m["id"] for m in listed] == [str(m.public_id) for m in dcc]
    assert [m["seq"] for m in listed] == [1, 2, 3, 4]  # this channel's own count, no gaps
    assert listed[-1]["reply_to"] == str(dcc[0].public_id)
    assert all(_is_public_id(a["id"]) for m in listed for a in m["attachments"])
    # The transcript still verifies offline with its (unsigned) public ids in it.
    path = tmp_path / "transcript-DCC.json"
    path.write_text(json.dumps(answers["transcript"]), encoding="utf-8")
    call_command("channel", "verify", str(path))


def test_a_dcc_member_is_shown_no_primary_key_in_feed_events(on_watch):
    _traffic(on_watch)
    events = [e for e in event_list(actor=on_watch["us-head"]) if e.kind.startswith("Channel")]
    assert {e.kind for e in events} >= {
        "ChannelTopicOpened",
        "ChannelMessageSent",
        "ChannelMessageAcknowledged",
        "ChannelMessageTranslated",
    }
    for event in events:
        frame = {"subject": event.subject, "payload": event.payload}
        assert not _leaks(frame), (event.kind, _leaks(frame))
        _learns_nothing(frame)


def test_a_dcc_member_searching_learns_nothing_of_mcc(on_watch):
    _traffic(on_watch)
    hits = search(actor=on_watch["us-head"], query="traffic")
    assert not hits  # "MCC traffic" is all in MCC
    hits = search(actor=on_watch["us-head"], query="DCC message")
    assert len(hits) == 3
    _learns_nothing([dataclasses.asdict(h) for h in hits])
    page = _client(on_watch["us-head"]).get("/search/", {"q": "message"})
    assert page.status_code == 200
    _learns_nothing(page.content)


@pytest.mark.usefixtures("fast_feed")
def test_a_dcc_member_is_shown_no_primary_key_in_live_feed_frames(live_cast, open_feed):
    with open_feed(live_cast["us-head"]) as feed:
        dcc = _traffic(live_cast)
        frames = feed.events_until(f"message:{dcc[-1].public_id}")
    channel_frames = [f.data for f in frames if f.data["scope"].startswith("mechanism:")]
    assert {f["scope"] for f in channel_frames} == {"mechanism:DCC"}
    assert len([f for f in channel_frames if f["kind"] == "ChannelMessageSent"]) == len(dcc)
    for data in channel_frames:
        assert not _leaks({"subject": data["subject"], "payload": data["payload"]}), data
    hidden = list(Message.objects.filter(mechanism__code="MCC"))
    assert hidden
    for frame in frames:
        assert_learns_nothing_of_others(frame.data, hidden=hidden, allowed_integer_keys=("seq",))


def test_primary_keys_and_malformed_ids_answer_like_missing_ones(on_watch):
    dcc = _traffic(on_watch)
    attachment = Attachment.objects.filter(message__mechanism__code="DCC").first()
    client = _client(on_watch["us-head"])
    for ident in (dcc[-1].pk, "not-an-id", uuid.uuid4()):
        response = client.get(f"/api/channels/messages/{ident}")
        assert response.status_code == 404
        assert response.json()["code"] == access.MESSAGE_NOT_FOUND.code
        assert response.json()["detail"] == str(access.MESSAGE_NOT_FOUND.sentence)
    assert client.get(f"/api/channels/messages/{dcc[-1].public_id}").status_code == 200
    assert client.get(f"/channels/attachments/{attachment.pk}").status_code == 404
    assert client.get(f"/channels/attachments/{attachment.public_id}").status_code == 200


def test_the_admin_addresses_channel_rows_by_public_id_only(on_watch):
    dcc = _traffic(on_watch)
    head = on_watch["us-head"]
    head.is_staff = head.is_superuser = True
    head.save()
    client = _client(head)
    for model in ("message", "dutywatch"):
        changelist = client.get(reverse(f"admin:channels_{model}_changelist")).text
        linked = re.findall(rf"/admin/channels/{model}/([^/\"]+)/change/", changelist)
        assert linked and all(_is_public_id(i) for i in linked), (model, linked)
    page = client.get(reverse("admin:channels_message_change", args=[dcc[-1].public_id]))
    assert page.status_code == 200
    assert not re.search(r"/admin/channels/message/\d+/", page.text)
    assert f"/admin/channels/message/{dcc[-1].public_id}/history/" in page.text
    by_pk = client.get(reverse("admin:channels_message_change", args=[dcc[-1].pk]))
    assert by_pk.status_code == 302  # "does not exist", like any unknown id
