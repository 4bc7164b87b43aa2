"""Verifying the stored event log against its hash chain and signed checkpoints."""

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from accord.events import chain, checkpoint
from accord.events.models import Event

TRUNCATED = gettext_noop(
    "the log ends at sequence number {head}, but the checkpoint of {taken_at} names "
    "event {seq}: the newest events were removed"
)
REWRITTEN = gettext_noop(
    "event {seq} does not have the hash the checkpoint of {taken_at} signed: the log "
    "was rewritten up to it"
)


def _stored_records() -> Iterator[dict[str, Any]]:
    # Ordered by seq as stored; iterator() keeps memory flat on a long log.
    for event in Event.objects.order_by("seq").iterator(chunk_size=2000):
        yield {**event.hashed_fields(), "hash": event.hash}


def audit_verify(
    checkpoints: Iterable[checkpoint.Checkpoint] = (),
) -> tuple[int, chain.ChainBreak | None]:
    """Walk the whole log; return (events verified, first break or None).

    With ``checkpoints``, the log must also still reach each one's event with the hash
    it signed: what the chain alone cannot see, the newest events cut off.
    """
    wanted = {point.seq: point for point in checkpoints}
    seen: dict[int, str] = {}

    def records() -> Iterator[dict[str, Any]]:
        for record in _stored_records():
            if record["seq"] in wanted:
                seen[record["seq"]] = record["hash"]
            yield record

    checked, problem = chain.verify(records())
    if problem is not None:
        return checked, problem
    for seq, point in sorted(wanted.items()):
        if seq == 0:
            continue  # taken of an empty log: nothing to lose
        if seq not in seen:
            params = {"head": checked, "seq": seq, "taken_at": point.taken_at}
            return checked, chain.ChainBreak(checked + 1, TRUNCATED, params)
        if seen[seq] != point.hash:
            params = {"seq": seq, "taken_at": point.taken_at}
            return checked, chain.ChainBreak(seq, REWRITTEN, params)
    return checked, None


def audit_public_key() -> str:
    return checkpoint.public_key_text(
        checkpoint.signing_key(settings.ACCORD_AUDIT_KEY_SECRET).public_key()
    )


def audit_checkpoint() -> checkpoint.Checkpoint:
    """A signed checkpoint of the log's head as it is now (the genesis if empty)."""
    head = Event.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, head_hash = head if head else (0, chain.GENESIS_HASH)
    return checkpoint.checkpoint_sign(
        secret=settings.ACCORD_AUDIT_KEY_SECRET,
        seq=seq,
        head_hash=head_hash,
        taken_at=timezone.now().isoformat(timespec="seconds"),
    )


def audit_checkpoint_read(text: str) -> checkpoint.Checkpoint:
    """Parse a checkpoint file, checked against this deployment's key."""
    return checkpoint.checkpoint_read(text, expected_public_key=audit_public_key())
