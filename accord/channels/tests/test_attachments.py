"""Attachments: type sniffed, size-limited, never served inline."""

import pytest
from django.test import Client

from accord.channels import services
from accord.channels.models import Attachment, Message
from accord.errors import ValidationFailed
from accord.process.models import Mechanism

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _send(user, *uploads, client_id="a1"):
    return services.message_send(
        actor=user,
        channel="DCC",
        text="See attached",
        precedence="ROUTINE",
        client_id=client_id,
        attachments=[services.AttachmentUpload(name, content) for name, content in uploads],
    )


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("chart.pdf", PNG, "content is image/png"),
        ("photo.png", PDF, "content is application/pdf"),
        ("notes.txt", PNG, "content is image/png"),
        ("page.txt", b"<!DOCTYPE html><script>alert(1)</script>", "HTML"),
        ("page.html", b"<html></html>", "not one of the accepted types"),
        ("image.svg", b"<svg></svg>", "not one of the accepted types"),
        ("noext", b"abc", "extension"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_an_attachment_whose_extension_lies_or_is_unsafe_is_refused(on_watch, name, content, says):
    with pytest.raises(ValidationFailed, match=says):
        _send(on_watch["us-duty"], (name, content))
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0


def test_an_attachment_over_the_charter_limit_is_refused(on_watch):
    Mechanism.objects.filter(code="DCC").update(settings={"attachment_max_bytes": 100})
    with pytest.raises(ValidationFailed, match="larger than the 100 bytes"):
        _send(on_watch["us-duty"], ("big.pdf", PDF + b" " * 200))


def test_accepted_attachments_are_signed_and_downloaded_never_inline(on_watch):
    message, _ = _send(on_watch["us-duty"], ("chart.png", PNG), ("memo.txt", "Notiz ü".encode()))
    png, txt = Attachment.objects.filter(message=message).order_by("id")
    assert (png.content_type, txt.content_type) == ("image/png", "text/plain; charset=utf-8")
    client = Client()
    client.force_login(on_watch["ir-duty"])
    for attachment in (png, txt):
        response = client.get(f"/channels/attachments/{attachment.public_id}")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "html" not in response["Content-Type"]
        assert "sandbox" in response["Content-Security-Policy"]
    assert response.content == "Notiz ü".encode()


def test_the_api_accepts_base64_attachments_and_refuses_bad_ones(on_watch):
    import base64

    client = Client()
    client.force_login(on_watch["us-duty"])
    good = {
        "client_id": "api-a",
        "text": "x",
        "attachments": [{"filename": "c.png", "content_base64": base64.b64encode(PNG).decode()}],
    }
    sent = client.post("/api/channels/DCC/messages", good, content_type="application/json")
    assert sent.status_code == 201
    # The answer to a fresh send is built without re-reading the message: it must say
    # exactly what reading it back says.
    stored = client.get(f"/api/channels/messages/{sent.json()['id']}").json()
    assert sent.json() == stored
    assert [a["filename"] for a in stored["attachments"]] == ["c.png"]
    assert stored["escalations"] == []
    liar = {
        "client_id": "api-b",
        "text": "x",
        "attachments": [{"filename": "c.pdf", "content_base64": base64.b64encode(PNG).decode()}],
    }
    response = client.post("/api/channels/DCC/messages", liar, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == services.ATTACHMENT_EXTENSION_LIES.code
    broken = {
        "client_id": "api-c",
        "text": "x",
        "attachments": [{"filename": "c.pdf", "content_base64": "***"}],
    }
    refused = client.post("/api/channels/DCC/messages", broken, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["code"] == services.ATTACHMENT_BASE64_INVALID.code


def test_the_page_form_uploads_attachments_and_refuses_a_lying_one(on_watch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(on_watch["us-duty"])
    form = {"client_id": "f1", "text": "With a chart", "precedence": "ROUTINE"}
    liar = SimpleUploadedFile("chart.pdf", PNG, content_type="application/pdf")
    page = client.post("/channels/DCC/send", form | {"attachments": liar})
    assert page.status_code == 422
    assert b"has the extension .pdf but its content is image/png" in page.content
    assert b"With a chart</textarea>" in page.content  # the text is kept
    assert Message.objects.count() == 0
    good = SimpleUploadedFile("chart.png", PNG, content_type="image/png")
    client.post("/channels/DCC/send", form | {"attachments": good})
    assert Attachment.objects.get().filename == "chart.png"
    assert b"chart.png" in client.get("/channels/DCC/").content
