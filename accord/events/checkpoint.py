"""Signed checkpoints of the event log's head, as pure computation.

The hash chain (``chain.py``) catches an edited, inserted or deleted event *inside* the
log, but not the newest events cut off the end: a shorter chain is still a valid one.
A checkpoint closes that gap. It names the head at a moment (its sequence number and
hash) and is signed with the deployment's Ed25519 key; whoever keeps a copy (an
auditor, each delegation's security officer) can later ask ``accord audit verify
--checkpoint FILE`` whether the log still reaches that event with that hash.

The signing key is derived (HKDF-SHA256) from ``ACCORD_AUDIT_KEY_SECRET``, so it is
never stored in the database the checkpoint protects; the public key travels in the
checkpoint and should also be kept apart (``accord audit key``), since a checkpoint is
only as trustworthy as the key its holder expects.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "accord-audit-checkpoint/1"
_INFO = b"accord audit checkpoint signing key v1"
# The fields the signature covers, in a canonical JSON form.
SIGNED_FIELDS = ("format", "seq", "hash", "taken_at", "public_key")


class CheckpointInvalid(ValueError):
    """The file is not a checkpoint this deployment signed; the text says why."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    taken_at: str
    public_key: str
    signature: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seq": self.seq,
            "hash": self.hash,
            "taken_at": self.taken_at,
            "public_key": self.public_key,
            "signature": self.signature,
        }


def signing_key(secret: str) -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _signed_bytes(fields: Mapping[str, Any]) -> bytes:
    record = {name: fields[name] for name in SIGNED_FIELDS}
    return json.dumps(record, sort_keys=True, separators=(",", ":")).encode()


def checkpoint_sign(*, secret: str, seq: int, head_hash: str, taken_at: str) -> Checkpoint:
    key = signing_key(secret)
    fields = {
        "format": FORMAT,
        "seq": seq,
        "hash": head_hash,
        "taken_at": taken_at,
        "public_key": public_key_text(key.public_key()),
    }
    signature = base64.b64encode(key.sign(_signed_bytes(fields))).decode()
    return Checkpoint(
        seq=seq,
        hash=head_hash,
        taken_at=taken_at,
        public_key=str(fields["public_key"]),
        signature=signature,
    )


def checkpoint_read(text: str, *, expected_public_key: str) -> Checkpoint:
    """Parse and check a checkpoint file; ``CheckpointInvalid`` saying what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise CheckpointInvalid(f"not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CheckpointInvalid(f"not an Accord checkpoint (format is not {FORMAT!r})")
    missing = [name for name in (*SIGNED_FIELDS, "signature") if name not in data]
    if missing:
        raise CheckpointInvalid(f"missing {', '.join(missing)}")
    if not isinstance(data["seq"], int) or data["seq"] < 0:
        raise CheckpointInvalid("its sequence number is not a whole number")
    if data["public_key"] != expected_public_key:
        raise CheckpointInvalid(
            "it was signed with another key than this deployment's "
            f"(its key {data['public_key']}, this deployment's {expected_public_key})"
        )
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(expected_public_key))
        public.verify(base64.b64decode(data["signature"]), _signed_bytes(data))
    except (InvalidSignature, ValueError):
        raise CheckpointInvalid("its signature does not match its content (altered)") from None
    return Checkpoint(
        seq=int(data["seq"]),
        hash=str(data["hash"]),
        taken_at=str(data["taken_at"]),
        public_key=str(data["public_key"]),
        signature=str(data["signature"]),
    )
