"""Verifying the stored event log against its hash chain."""

from collections.abc import Iterator
from typing import Any

from accord.events import chain
from accord.events.models import Event


def _stored_records() -> Iterator[dict[str, Any]]:
    # Ordered by seq as stored; iterator() keeps memory flat on a long log.
    for event in Event.objects.order_by("seq").iterator(chunk_size=2000):
        yield {**event.hashed_fields(), "hash": event.hash}


def audit_verify() -> tuple[int, chain.ChainBreak | None]:
    """Walk the whole log; return (events verified, first break or None)."""
    return chain.verify(_stored_records())
