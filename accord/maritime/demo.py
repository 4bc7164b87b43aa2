"""Demo content for the Strait: synthetic traffic, the parties' view of it, an incident.

Seeds, once: two hours of the synthetic Strait (``demo_scene``: both lanes at about 130
transits a day, ships at anchor, both parties' naval vessels, fast craft) fed through the
real ingest (``Picture``), so vessels, latest positions, thinned tracks and the screened
close encounter are what the ingest writes; each party's affiliations and internal
annotations of the naval vessels and fast craft; and the fast craft's close approach to
the US warship reported as an incident, acknowledged by Iran, information exchanged and
de-escalation proposed: an incident in progress. A second report (GNSS interference,
from Iran) waits for the US duty officer's acknowledgement.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone

from accord.accounts.models import User
from accord.incidents import services as incidents
from accord.incidents.models import Incident, VesselAffiliation, VesselAnnotation
from accord.maritime import demo_scene as scene
from accord.maritime import feeds
from accord.maritime.models import Encounter, Vessel, VesselPosition
from accord.maritime.services import Picture, maritime_mechanism
from accord.process.models import Mechanism, Process

HISTORY = dt.timedelta(hours=2)
STEP = 60  # seconds between the positions fed for the history
FLUSH_EVERY = 15 * 60
# When the fast craft pass closest to the US warship, before the demo starts.
ENCOUNTER_AGO = dt.timedelta(minutes=3)

AFFILIATIONS = {
    # party duty officer -> {mmsi: affiliation}
    "us-duty": {
        scene.US_WARSHIP.mmsi: "own_navy",
        scene.US_PATROL.mmsi: "own_navy",
        scene.IR_FRIGATE.mmsi: "other_navy",
        scene.IR_CORVETTE.mmsi: "other_navy",
        **{craft.mmsi: "fast_craft" for craft in scene.FAST_CRAFT},
    },
    "ir-duty": {
        scene.US_WARSHIP.mmsi: "other_navy",
        scene.US_PATROL.mmsi: "other_navy",
        scene.IR_FRIGATE.mmsi: "own_navy",
        scene.IR_CORVETTE.mmsi: "own_navy",
        **{craft.mmsi: "own_navy" for craft in scene.FAST_CRAFT},
    },
}
ANNOTATIONS = (
    # (author, mmsi, text, share on the channel)
    (
        "us-duty",
        scene.FAST_CRAFT[0].mmsi,
        "Lead boat of a group of four out of Larak; a mounted weapon seen uncovered.",
        False,
    ),
    (
        "ir-duty",
        scene.US_WARSHIP.mmsi,
        "Transit notified on the MCC for 0900 local; keep the patrol boats clear of the lane.",
        False,
    ),
    (
        "ir-duty",
        scene.IR_FRIGATE.mmsi,
        "On exercise north of the inbound lane until 0800 local; no interference intended.",
        True,
    ),
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _traffic_seed(mechanism: Mechanism, now: dt.datetime) -> None:
    """Feed two hours of the synthetic Strait through the ingest, flushing as it goes."""
    encounter_at = (now - ENCOUNTER_AGO).timestamp()
    picture = Picture(mechanism)
    start = (now - HISTORY).timestamp()
    t = start
    last_flush = start
    first = True
    while t <= now.timestamp():
        picture.feed_lines(scene.nmea_at(t, encounter_at=encounter_at, with_static=first))
        first = False
        if t - last_flush >= FLUSH_EVERY:
            picture.flush()
            last_flush = t
        t += STEP
    picture.feed_lines(scene.nmea_at(now.timestamp(), encounter_at=encounter_at, with_static=True))
    picture.flush()


def _vessels(mechanism: Mechanism) -> dict[int, Vessel]:
    return {v.mmsi: v for v in Vessel.objects.filter(mechanism=mechanism)}


def _views_ensure(mechanism: Mechanism, vessels: dict[int, Vessel]) -> None:
    for username, table in AFFILIATIONS.items():
        user = _user(username)
        if user is None:
            continue
        for mmsi, affiliation in table.items():
            vessel = vessels.get(mmsi)
            if (
                vessel is None
                or VesselAffiliation.objects.filter(
                    vessel=vessel, delegation=user.delegation
                ).exists()
            ):
                continue
            incidents.vessel_affiliation_set(
                actor=user, vessel_id=vessel.public_id, affiliation=affiliation
            )
    for username, mmsi, text, share in ANNOTATIONS:
        user, vessel = _user(username), vessels.get(mmsi)
        if user is None or vessel is None:
            continue
        if VesselAnnotation.objects.filter(vessel=vessel, text=text).exists():
            continue
        note = incidents.vessel_annotation_write(actor=user, vessel_id=vessel.public_id, text=text)
        if share:
            incidents.vessel_annotation_share(
                actor=user, annotation_id=note.public_id, channel=mechanism.code
            )


def _incidents_ensure(mechanism: Mechanism, vessels: dict[int, Vessel], now: dt.datetime) -> None:
    us, ir = _user("us-duty"), _user("ir-duty")
    if us is None or ir is None or Incident.objects.filter(mechanism=mechanism).exists():
        return
    warship = vessels.get(scene.US_WARSHIP.mmsi)
    craft = [vessels[c.mmsi] for c in scene.FAST_CRAFT if c.mmsi in vessels]
    if warship is None:
        return
    encounter = (
        Encounter.objects.filter(mechanism=mechanism)
        .filter(Q(vessel_a=warship) | Q(vessel_b=warship))
        .order_by("cpa_nm")
        .first()
    )
    position = VesselPosition.objects.filter(vessel=warship).first()
    lat = encounter.cpa_lat if encounter else (position.lat if position else 26.52)
    lon = encounter.cpa_lon if encounter else (position.lon if position else 56.55)
    harassment = incidents.incident_report(
        actor=us,
        channel=mechanism.code,
        draft=incidents.ReportDraft(
            category="fast_craft_harassment",
            occurred_at=now - dt.timedelta(minutes=8),
            latitude=lat,
            longitude=lon,
            description=(
                "Four fast craft approached US WARSHIP 101 in the outbound lane at about 30 "
                "knots from the north, closing to about 300 yards across the bow. Bridge-to-"
                "bridge calls on channel 16 went unanswered; the warship sounded five short "
                "blasts and altered course to starboard."
            ),
            vessel_ids=tuple(str(v.public_id) for v in [warship, *craft]),
            encounter_id=str(encounter.public_id) if encounter else None,
        ),
        client_id="demo-incident-harassment",
    )
    incidents.incident_acknowledge(
        actor=ir,
        incident_id=harassment.public_id,
        reply="Received. Checking with the naval units concerned.",
    )
    incidents.incident_advance(
        actor=ir,
        incident_id=harassment.public_id,
        note="The craft were on a scheduled exercise notified earlier; track data attached "
        "to the channel.",
    )
    incidents.incident_advance(
        actor=us,
        incident_id=harassment.public_id,
        note="Proposed: fast craft keep 1,000 yards from warships in the lanes.",
    )
    incidents.incident_report(
        actor=ir,
        channel=mechanism.code,
        draft=incidents.ReportDraft(
            category="gnss_interference",
            occurred_at=now - dt.timedelta(minutes=4),
            latitude=26.80,
            longitude=56.10,
            description=(
                "Several merchant ships near Larak report GPS positions jumping ashore; "
                "source unknown. Requesting information on any jamming in the area."
            ),
        ),
        client_id="demo-incident-gnss",
    )


def demo_content_ensure(*, process: Process) -> None:
    """Idempotent: traffic seeded once, then each affiliation, annotation and incident."""
    mechanism = process.mechanisms.filter(kind="maritime").first()
    if mechanism is None:
        return
    now = timezone.now()
    if not Vessel.objects.filter(mechanism=mechanism).exists():
        _traffic_seed(mechanism, now)
    vessels = _vessels(mechanism)
    _views_ensure(mechanism, vessels)
    _incidents_ensure(mechanism, vessels, now)


# --- the live feed -----------------------------------------------------------------------

LIVE_EVERY = 10  # seconds between two positions of a vessel (class A under way: 2-10 s)
STATIC_EVERY = 360  # static and voyage data every 6 minutes, as AIS sends it


def _live_lines(start: float, encounter_at: float) -> Iterator[bytes]:
    """The synthetic Strait from ``start`` on, for ever: what a receiver hears."""
    t = start
    while True:
        with_static = int(t - start) % STATIC_EVERY < LIVE_EVERY
        for line in scene.nmea_at(t, encounter_at=encounter_at, with_static=with_static):
            yield line.encode()
        t += LIVE_EVERY


def demo_feed_start(*, process: Process) -> threading.Event | None:
    """Feed the synthetic Strait live inside this (serving) process, paced in real time
    through ``feeds.replay`` into the ingest; returns the event that stops it (None:
    no maritime channel, or nothing seeded)."""
    mechanism = process.mechanisms.filter(kind="maritime").first()
    warship = (
        Vessel.objects.filter(mechanism=mechanism, mmsi=scene.US_WARSHIP.mmsi).first()
        if mechanism is not None
        else None
    )
    if mechanism is None or warship is None:
        return None
    # The scene as it was seeded: the warship was first heard HISTORY before the seed.
    encounter_at = (warship.first_seen + HISTORY - ENCOUNTER_AGO).timestamp()
    start = timezone.now().timestamp()

    def work(stop: threading.Event) -> None:
        picture = Picture(maritime_mechanism(mechanism.code))
        feeds.replay(picture, _live_lines(start, encounter_at), flush_every=2.0, stop=stop)

    return feeds.run_in_background(work, name="ais-demo")
