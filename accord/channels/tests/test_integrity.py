"""Signatures, the per-channel chain, transcripts and `accord channel verify`."""

import copy
import json

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accord.channels import integrity, keys, selectors
from accord.channels.models import SigningKey


@pytest.fixture
def transcript(send, on_watch):
    send("us-duty", "First message")
    send("ir-duty", "پاسخ دوم", language="fa")
    send("us-duty", "Third, FLASH", "FLASH")
    send("ir-duty", "Fourth")
    return selectors.transcript_build(actor=on_watch["us-duty"], channel="DCC")


def test_an_untouched_transcript_verifies(transcript):
    verdict = integrity.transcript_verify(transcript)
    assert verdict.ok and verdict.checked == 4


def test_an_edited_message_is_named(transcript):
    forged = copy.deepcopy(transcript)
    forged["messages"][1]["text"] = "Something else entirely"
    verdict = integrity.transcript_verify(forged)
    assert not verdict.ok
    assert (verdict.position, verdict.seq) == (2, 2)
    assert "edited" in verdict.reason


def test_an_edited_and_rehashed_message_fails_on_its_signature(transcript):
    forged = copy.deepcopy(transcript)
    message = forged["messages"][2]
    message["text"] = "Stand down"
    message["hash"] = integrity.message_hash(message)
    verdict = integrity.transcript_verify(forged)
    # The rehash breaks the next link or the signature: either way message 3 is named.
    assert not verdict.ok and verdict.position == 3
    assert "signature" in verdict.reason


def test_a_deleted_message_is_caught_at_the_next_one(transcript):
    forged = copy.deepcopy(transcript)
    del forged["messages"][1]
    verdict = integrity.transcript_verify(forged)
    assert not verdict.ok and verdict.seq == 3


def test_a_deleted_last_message_is_caught_by_the_chain_head(transcript):
    forged = copy.deepcopy(transcript)
    forged["messages"].pop()
    verdict = integrity.transcript_verify(forged)
    assert not verdict.ok and "chain head" in verdict.reason


def test_reordered_messages_are_caught(transcript):
    forged = copy.deepcopy(transcript)
    forged["messages"][1], forged["messages"][2] = forged["messages"][2], forged["messages"][1]
    verdict = integrity.transcript_verify(forged)
    assert not verdict.ok and verdict.position == 2


def test_a_message_resigned_with_a_key_of_ones_own_fails_against_pinned_keys(transcript):
    forged = copy.deepcopy(transcript)
    impostor = Ed25519PrivateKey.generate()
    forged["keys"]["US"] = integrity.public_key_text(impostor.public_key())
    for message in forged["messages"]:
        if message["from_side"] == "US":
            message["signature"] = integrity.sign(impostor, message["hash"])
    assert integrity.transcript_verify(forged).ok  # self-consistent forgery...
    pinned = {"US": transcript["keys"]["US"]}
    verdict = integrity.transcript_verify(forged, pinned_keys=pinned)
    assert not verdict.ok and verdict.position == 1  # ...caught by the pinned key


def test_the_command_verifies_a_file_offline_and_names_the_first_bad_message(
    transcript, tmp_path, capsys
):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(transcript))
    call_command("channel", "verify", str(good))
    assert "OK: 4 messages" in capsys.readouterr().out

    forged = copy.deepcopy(transcript)
    forged["messages"][2]["precedence"] = "ROUTINE"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(forged))
    with pytest.raises(CommandError) as raised:
        call_command("channel", "verify", str(bad))
    assert raised.value.returncode == 1
    assert "message #3 (seq 3)" in str(raised.value)


def test_the_command_refuses_a_file_that_is_not_a_transcript(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("channel", "verify", str(path))


def test_private_keys_are_encrypted_at_rest_with_the_configured_secret(transcript):
    key = SigningKey.objects.get(delegation__code="US")
    assert "PRIVATE" not in key.private_key_encrypted
    opened = keys.private_key_open(key.private_key_encrypted, delegation_code="US")
    assert integrity.public_key_text(opened.public_key()) == key.public_key
    with (
        override_settings(ACCORD_CHANNEL_KEY_SECRET="another secret"),
        pytest.raises(InvalidTag),
    ):
        keys.private_key_open(key.private_key_encrypted, delegation_code="US")
    with pytest.raises(InvalidTag):  # bound to its delegation
        keys.private_key_open(key.private_key_encrypted, delegation_code="IR")
