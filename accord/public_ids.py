"""Public ids: the random UUIDs by which scoped records are known outside the server.

Sequential keys would let a reader count what they may not see from the gaps (decisions
0020, 0046); every URL, API field and event payload names such a record by its UUID.
"""

import uuid
from typing import Any


def parse_public_id(value: Any) -> uuid.UUID | None:
    """``value`` as a public id, or None when it cannot be one: then nothing matches it,
    so a malformed id answers exactly like a missing one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
