"""The hash chain of the event log, as pure computation (Django only marks the reasons
for translation).

Each event's hash covers its own fields and the previous event's hash, so editing,
deleting, inserting or reordering a stored event breaks the chain at that point.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

GENESIS_HASH = "0" * 64

# Fields that the hash covers, in the canonical form they are hashed in.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "process_id",
    "actor_id",
    "kind",
    "subject",
    "scope",
    "payload",
    "prev_hash",
)


def canonical_bytes(fields: Mapping[str, Any]) -> bytes:
    """Serialise ``fields`` (``HASHED_FIELDS``; ``occurred_at`` as ISO 8601) deterministically."""
    record = {name: fields[name] for name in HASHED_FIELDS}
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def event_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first place where the stored chain disagrees with itself."""

    seq: int
    # A sentence with {named} placeholders (marked for translation) and their values.
    template: str
    params: Mapping[str, Any]

    @property
    def reason(self) -> str:
        """The reason in English; ``gettext(template).format(**params)`` translates it."""
        return self.template.format(**self.params)


JUMP = gettext_noop("sequence jumps from {before} to {seq}: events deleted")
OUT_OF_ORDER = gettext_noop("sequence number {seq} appears out of order")
LINK_BROKEN = gettext_noop(
    "previous-hash link does not match the event before it (inserted, deleted or reordered)"
)
EDITED = gettext_noop("content does not match its hash (edited)")


def verify(records: Iterable[Mapping[str, Any]]) -> tuple[int, ChainBreak | None]:
    """Walk ``records`` in stored order; return (events checked, first break or None).

    Each record holds ``HASHED_FIELDS`` plus the stored ``hash``. Sequence numbers must
    run 1, 2, 3... without gaps, each ``prev_hash`` must equal the previous event's
    stored hash, and each stored hash must equal the hash recomputed from the fields.
    """
    expected_seq = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for record in records:
        seq = int(record["seq"])
        if seq != expected_seq:
            if seq > expected_seq:
                jump = {"before": expected_seq - 1, "seq": seq}
                return checked, ChainBreak(expected_seq, JUMP, jump)
            return checked, ChainBreak(seq, OUT_OF_ORDER, {"seq": seq})
        if record["prev_hash"] != previous_hash:
            return checked, ChainBreak(seq, LINK_BROKEN, {})
        if event_hash(record) != record["hash"]:
            return checked, ChainBreak(seq, EDITED, {})
        previous_hash = record["hash"]
        expected_seq += 1
        checked += 1
    return checked, None
