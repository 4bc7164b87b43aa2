"""Signatures and the per-channel hash chain (pure: ``cryptography`` and hashlib, no Django).

Every message's *signed fields* (``SIGNED_FIELDS``: channel, sequence number, sending
and receiving side, sender, time, precedence, language, topic, text, attachment digests,
client id, and the previous message's hash) are serialised as canonical JSON; the
message hash is the SHA-256 of those bytes, and the sending delegation's Ed25519 key
signs the hash. A transcript is verified offline by recomputing each hash, checking each
``prev_hash`` against the message before it (so an edited, deleted, inserted or
reordered message is caught) and each signature against the key of its sending side.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

GENESIS_HASH = "0" * 64
TRANSCRIPT_FORMAT = "accord-channel-transcript/1"
SIGNED_FIELDS = (
    "channel",
    "seq",
    "kind",
    "from_side",
    "to_side",
    "sender",
    "sent_at",
    "precedence",
    "language",
    "topic",
    "text",
    "attachments",
    "client_id",
    "prev_hash",
)


def canonical_bytes(fields: Mapping[str, Any]) -> bytes:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        {name: fields[name] for name in SIGNED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def message_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()


def sign(private_key: Ed25519PrivateKey, digest_hex: str) -> str:
    """Sign the message hash; return the signature as base64."""
    return base64.b64encode(private_key.sign(bytes.fromhex(digest_hex))).decode()


def public_key_text(public_key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_key_load(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def signature_valid(public_key_b64: str, digest_hex: str, signature_b64: str) -> bool:
    try:
        key = public_key_load(public_key_b64)
        key.verify(base64.b64decode(signature_b64, validate=True), bytes.fromhex(digest_hex))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    # The first message that fails: its position in the file (1-based) and its seq.
    position: int | None = None
    seq: Any = None
    reason: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"OK: {self.checked} messages, signatures and chain intact."
        return f"FAILED at message #{self.position} (seq {self.seq}): {self.reason}"


def transcript_verify(
    transcript: Mapping[str, Any], *, pinned_keys: Mapping[str, str] | None = None
) -> Verdict:
    """Verify a transcript dict (``transcript_export`` JSON); name the first bad message.

    ``pinned_keys`` (side code -> base64 public key), when given, override the keys
    carried in the file, so a forger cannot just re-sign with keys of their own.
    """
    if transcript.get("format") != TRANSCRIPT_FORMAT:
        return Verdict(False, 0, None, None, "not an Accord channel transcript")
    keys: dict[str, str] = dict(transcript.get("keys") or {})
    keys.update(pinned_keys or {})
    messages: Sequence[Mapping[str, Any]] = transcript.get("messages") or []
    previous = transcript.get("chain_start") or GENESIS_HASH
    expected_seq = None
    for position, message in enumerate(messages, start=1):
        seq = message.get("seq")

        def fail(reason: str, position: int = position, seq: Any = seq) -> Verdict:
            return Verdict(False, position - 1, position, seq, reason)

        try:
            digest = message_hash(message)
        except (KeyError, TypeError, ValueError) as error:
            return fail(f"malformed message ({error})")
        if expected_seq is not None and seq != expected_seq:
            return fail(f"out of sequence: expected seq {expected_seq}")
        if message["prev_hash"] != previous:
            return fail("its previous-hash does not match the message before it")
        if message.get("hash") != digest:
            return fail("its content does not match its hash (edited)")
        key = keys.get(message["from_side"])
        if key is None:
            return fail(f"no public key for side {message['from_side']!r}")
        if not signature_valid(key, digest, str(message.get("signature", ""))):
            return fail(f"the signature of side {message['from_side']!r} is not valid")
        previous = digest
        expected_seq = seq + 1 if isinstance(seq, int) else None
    head = transcript.get("chain_head")
    if head is not None and head != previous:
        return Verdict(
            False,
            len(messages),
            len(messages) + 1,
            None,
            "the chain head does not match the last message (messages removed at the end)",
        )
    return Verdict(True, len(messages))
