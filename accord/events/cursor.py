"""Opaque cursors for the event log.

Sequence numbers are global across every scope, so showing them to a user would let
that user count the events they may *not* see (a gap between 41 and 45 says three
hidden things happened). Feed ids and API cursors are therefore the sequence number
enciphered with one AES block under a key derived from the installation's cursor
secret (``ACCORD_CURSOR_SECRET``: generated per installation, or from the environment
in production): a deterministic permutation of 128-bit values that reveals nothing
about neighbours. Half of each block is a fixed magic value checked on decode
(encode-then-encipher), so a forged or altered cursor is caught with certainty 1 - 2^-64
and refused (400 in the API), never read as a position.
"""

import hashlib

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_MAGIC = b"ACCORDEV"  # the first half of every plaintext block, checked on decode


class BadCursor(ValueError):
    """The text is not a cursor this deployment issued."""


def _cipher() -> Cipher:
    key = hashlib.sha256(b"accord-event-cursor:" + settings.ACCORD_CURSOR_SECRET.encode()).digest()
    # ECB on exactly one block is a keyed pseudo-random permutation, which is the
    # point here: equal seqs give equal cursors, neighbouring seqs unrelated ones.
    return Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305


def encode(seq: int) -> str:
    block = _MAGIC + seq.to_bytes(8, "big")
    encryptor = _cipher().encryptor()
    return (encryptor.update(block) + encryptor.finalize()).hex()


def decode(cursor: str) -> int:
    """Return the sequence number inside ``cursor``; ``BadCursor`` if it is not one."""
    try:
        raw = bytes.fromhex(cursor.strip())
    except ValueError:
        raise BadCursor(f"{cursor!r} is not an event cursor") from None
    if len(raw) != 16:
        raise BadCursor(f"{cursor!r} is not an event cursor")
    decryptor = _cipher().decryptor()
    block = decryptor.update(raw) + decryptor.finalize()
    if block[:8] != _MAGIC:
        raise BadCursor(f"{cursor!r} is not an event cursor")
    return int.from_bytes(block[8:], "big")
