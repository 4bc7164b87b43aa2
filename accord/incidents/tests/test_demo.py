"""The demo's Strait: traffic through the real ingest, the parties' views, an incident."""

import itertools

import pytest
from django.utils import timezone

from accord.incidents.models import Incident, VesselAffiliation, VesselAnnotation
from accord.maritime import demo, feeds
from accord.maritime import demo_scene as scene
from accord.maritime.models import Encounter, TrackPoint, Vessel, VesselPosition
from accord.maritime.services import Picture

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_busy_strait_with_an_incident_in_progress_once_and_feeds_it_live(
    on_watch, islamabad
):
    # When the demo content is ensured twice
    demo.demo_content_ensure(process=islamabad)
    counts = (Vessel.objects.count(), Incident.objects.count(), VesselAnnotation.objects.count())
    demo.demo_content_ensure(process=islamabad)

    # Then the second run adds nothing
    assert (
        Vessel.objects.count(),
        Incident.objects.count(),
        VesselAnnotation.objects.count(),
    ) == counts

    # And the Strait is busy: ships in both lanes, at anchor, naval vessels, fast craft
    positions = VesselPosition.objects.select_related("vessel")
    under_way = [p for p in positions if p.sog and p.sog > 5 and (p.vessel.ship_type or 0) >= 70]
    eastbound = [p for p in under_way if 45 <= p.cog <= 180]
    westbound = [p for p in under_way if 225 <= p.cog <= 340]
    assert len(eastbound) >= 8 and len(westbound) >= 8
    assert sum(1 for p in positions if p.sog == 0) >= 10
    mmsis = set(Vessel.objects.values_list("mmsi", flat=True))
    assert {scene.US_WARSHIP.mmsi, scene.IR_FRIGATE.mmsi, scene.FAST_CRAFT[0].mmsi} <= mmsis
    assert TrackPoint.objects.filter(vessel__mmsi=scene.US_WARSHIP.mmsi).count() >= 3

    # And the fast craft's close approach was screened and became an incident in progress
    harassment = Incident.objects.get(category="fast_craft_harassment")
    assert harassment.step == "information_exchanged"
    assert harassment.de_escalation_proposed_by.code == "US"
    assert harassment.encounter is not None
    assert Encounter.objects.filter(pk=harassment.encounter.pk).exists()
    assert Incident.objects.get(category="gnss_interference").step == "reported"

    # And each party holds its own view of the naval vessels
    warship = Vessel.objects.get(mmsi=scene.US_WARSHIP.mmsi)
    by_party = dict(
        VesselAffiliation.objects.filter(vessel=warship).values_list(
            "delegation__code", "affiliation"
        )
    )
    assert by_party == {"US": "own_navy", "IR": "other_navy"}

    # And the live feed moves the ships on through the replay (two minutes, not waited for)
    before = VesselPosition.objects.get(vessel=warship)
    start = timezone.now().timestamp() + 60
    two_minutes = itertools.islice(
        demo._live_lines(start, start), len(scene.nmea_at(start, encounter_at=start)) * 12
    )
    feeds.replay(Picture(warship.mechanism), two_minutes, sleep=lambda seconds: None)
    after = VesselPosition.objects.get(vessel=warship)
    assert after.at > before.at
    assert (after.lat, after.lon) != (before.lat, before.lon)


def test_the_scene_runs_at_a_realistic_number_of_transits_a_day():
    # Ships entering either lane over one day (a transit takes several hours: the ships
    # already under way when the day starts entered the day before).
    def transiting(t):
        return {
            state.static.mmsi
            for state in scene.scene_at(t, encounter_at=0)
            if state.static.ship_type >= 70 and state.nav_status == 0
        }

    start = 1_800_000_000
    entries = set()
    for hour in range(0, 24 * 3600, 1800):
        entries |= transiting(start + hour)
    entries -= transiting(start)

    assert 115 <= len(entries) <= 160
