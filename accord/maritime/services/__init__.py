"""Writes of the maritime picture: the ingest's batches, encounters, vessel alerts.

The ingest is a system actor (no user): ``Picture`` keeps the latest state of every
vessel in memory and ``Picture.flush`` writes a batch in one transaction with the events
it produces. ``track_prune`` applies the retention period.
"""

from accord.maritime.services.picture import (
    FlushResult,
    Picture,
    affiliation_from_type,
    affiliations_register,
    maritime_mechanism,
    options_from_settings,
    track_prune,
)

__all__ = [
    "FlushResult",
    "Picture",
    "affiliation_from_type",
    "affiliations_register",
    "maritime_mechanism",
    "options_from_settings",
    "track_prune",
]
