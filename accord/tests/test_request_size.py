"""A request body is capped before it is read: 413 at once, never a 200 MB upload in memory.

Over real HTTP (``accord.asgi`` under uvicorn, the ``asgi_server`` fixture), with the cap
lowered for the test so the bodies stay small.
"""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)

CAP = 64 * 1024


def _raw(url: str, head: bytes, body_chunks: list[bytes] = ()) -> tuple[int, bytes]:
    """Send ``head`` (and chunks) on a socket; return the answer's status and body."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head)
        for chunk in body_chunks:
            try:
                sock.sendall(chunk)
            except OSError:
                break  # the server answered and closed: the rest is never read
        answer = b""
        # A refusal closes the connection (``Connection: close``): read to its end.
        while data := sock.recv(65536):
            answer += data
    head_text, _, body = answer.partition(b"\r\n\r\n")
    return int(head_text.split(b" ")[1]), body


def test_a_declared_length_over_the_cap_is_refused_before_the_body_is_sent(asgi_server):
    with override_settings(ACCORD_MAX_REQUEST_BYTES=CAP):
        # 200 MB announced, not a byte sent: only a server that does not wait answers.
        status, body = _raw(
            asgi_server,
            b"POST /api/drafting/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 209715200\r\n\r\n",
        )

    assert status == 413
    answer = json.loads(body)
    assert answer["code"] == "request.too_large"
    assert f"{CAP:,}" in answer["detail"]


def test_a_chunked_body_that_grows_past_the_cap_is_refused_as_it_arrives(asgi_server):
    chunk = b"x" * 16_384
    # 80 KB with no length and no last chunk: only the count of what arrived can stop it.
    # (Not more: the server closes once it answers, and bytes it never read would make
    # the kernel reset the connection before the answer is read here.)
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 5

    with override_settings(ACCORD_MAX_REQUEST_BYTES=CAP):
        status, body = _raw(
            asgi_server,
            b"POST /channels/DCC/send HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n",
            chunks,
        )

    assert status == 413
    assert b"larger than the" in body


def test_a_body_under_the_cap_goes_through_to_the_application(asgi_server):
    with override_settings(ACCORD_MAX_REQUEST_BYTES=CAP):
        answer = httpx.post(
            f"{asgi_server}/api/drafting/import", content=b"{" + b" " * 1000 + b"}", timeout=10
        )

    assert answer.status_code == 401  # not signed in: the application answered, not the cap
    assert answer.json()["code"] == "auth.required"


def test_every_change_in_the_api_documents_the_413(client, cast):
    client.force_login(cast["pk-chair"])
    document = client.get("/api/openapi.json").json()

    writes = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"post", "put", "patch", "delete"}
    ]

    assert writes
    assert [f"{m} {p}" for p, m, op in writes if "413" not in op["responses"]] == []
