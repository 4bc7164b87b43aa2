"""The deployment-held signing keys of the delegations, encrypted at rest.

The key-encryption key is derived (HKDF-SHA256) from the setting
``ACCORD_CHANNEL_KEY_SECRET``, read at call time (generated per installation or, in
production, from the environment: accord/installation.py; ``SECRET_KEY`` only if a
test empties it). Private keys are stored as base64(nonce || AES-256-GCM ciphertext), the
delegation code bound in as associated data so a key row cannot be swapped for another.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

SETTING = "ACCORD_CHANNEL_KEY_SECRET"
_INFO = b"accord channel signing keys v1"


def _kek() -> bytes:
    secret = getattr(settings, SETTING, "") or settings.SECRET_KEY
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())


def private_key_seal(private_key: Ed25519PrivateKey, *, delegation_code: str) -> str:
    raw = private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    nonce = os.urandom(12)
    sealed = AESGCM(_kek()).encrypt(nonce, raw, delegation_code.encode())
    return base64.b64encode(nonce + sealed).decode()


def private_key_open(sealed: str, *, delegation_code: str) -> Ed25519PrivateKey:
    """Decrypt a stored key; ``cryptography.exceptions.InvalidTag`` if the secret changed."""
    blob = base64.b64decode(sealed)
    raw = AESGCM(_kek()).decrypt(blob[:12], blob[12:], delegation_code.encode())
    return Ed25519PrivateKey.from_private_bytes(raw)
