"""The incident pages, exports and vessel panel, and what the other party learns of them."""

import pytest
from django.urls import reverse

from accord.incidents import services
from accord.incidents.models import Incident, VesselAffiliation, VesselAnnotation
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_the_list_shows_incidents_and_the_report_form_to_a_duty_officer(client, report, on_watch):
    incident = report("us-duty", category="collision")

    page = _client(client, on_watch["ir-duty"]).get(reverse("incidents:list"))

    assert page.status_code == 200
    body = page.content.decode()
    assert incident.code in body and "Collision" in body
    assert 'action="/incidents/new"' in body


def test_a_report_through_the_form_goes_out_and_opens_the_incident_page(client, on_watch, vessel):
    ship = vessel("SAHAND", mmsi=422999001)
    form = {
        "category": "laser_illumination",
        "occurred_at": "2026-11-30T21:10",
        "latitude": "26.52",
        "longitude": "56.31",
        "vessels": "422999001",
        "description": "Green laser aimed at the bridge for 40 seconds.",
    }

    answer = _client(client, on_watch["us-duty"]).post(reverse("incidents:report"), form)

    assert answer.status_code == 302
    incident = Incident.objects.get()
    assert answer["Location"] == reverse("incidents:detail", args=[incident.public_id])
    assert list(incident.vessels.all()) == [ship]
    page = client.get(answer["Location"])
    assert page.status_code == 200
    assert "Green laser" in page.content.decode()


def test_a_refused_report_comes_back_with_what_was_typed_and_the_sentence_beside_the_field(
    client, on_watch
):
    form = {
        "category": "collision",
        "occurred_at": "2026-11-30T21:10",
        "latitude": "26.52",
        "longitude": "56.31",
        "vessels": "123456789",
        "description": "Contact at the stern.",
    }

    page = _client(client, on_watch["us-duty"]).post(reverse("incidents:report"), form)

    assert page.status_code == 422
    body = page.content.decode()
    assert 'id="report-vessels-error"' in body
    assert "Contact at the stern." in body
    assert not Incident.objects.exists()


def test_the_other_side_acknowledges_from_the_incident_page(client, report, on_watch):
    incident = report("us-duty")
    url = reverse("incidents:detail", args=[incident.public_id])

    before = _client(client, on_watch["ir-duty"]).get(url)
    answer = client.post(reverse("incidents:act", args=[incident.public_id, "acknowledge"]))
    after = client.get(url)

    assert before.status_code == 200 and "data-acknowledge" in before.content.decode()
    assert answer.status_code == 302
    assert after.status_code == 200
    assert 'data-step="acknowledged"' in after.content.decode()
    assert "data-acknowledge" not in after.content.decode()


@pytest.mark.parametrize("kind", ["initial", "update", "final"])
def test_each_report_format_exports_as_text(client, report, on_watch, kind):
    incident = report("us-duty", category="collision")

    answer = _client(client, on_watch["ir-duty"]).get(
        reverse("incidents:export", args=[incident.public_id, kind, "txt"])
    )

    assert answer.status_code == 200
    text = answer.content.decode()
    assert incident.code in text and "Collision" in text and "26°34.20'N" in text


def test_the_final_report_exports_as_pdf(client, report, on_watch):
    incident = report("us-duty")

    answer = _client(client, on_watch["us-duty"]).get(
        reverse("incidents:export", args=[incident.public_id, "final", "pdf"])
    )

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_an_incident_page_is_missing_for_someone_off_the_channel(client, report, on_watch):
    incident = report("us-duty")

    page = _client(client, on_watch["us-expert"]).get(
        reverse("incidents:detail", args=[incident.public_id])
    )
    listing = client.get(reverse("incidents:list"))

    assert page.status_code == 404
    assert listing.status_code == 200
    assert_learns_nothing_of_others(listing.content, hidden=[incident])


def test_a_partys_affiliations_and_annotations_never_reach_the_other_party(
    client, report, on_watch, vessel
):
    # Given Iran classifies and annotates a vessel, internally
    ship = vessel("USS EXAMPLE")
    ir = on_watch["ir-duty"]
    affiliation = services.vessel_affiliation_set(
        actor=ir, vessel_id=ship.public_id, affiliation="other_navy"
    )
    note = services.vessel_annotation_write(
        actor=ir, vessel_id=ship.public_id, text="Shadowing pattern since Tuesday."
    )
    incident = report("us-duty", vessels=[ship])

    # When the US looks at the vessel's panel, the incident and the API
    us = _client(client, on_watch["us-duty"])
    panel = us.get(reverse("incidents:vessel", args=[ship.public_id]))
    page = us.get(reverse("incidents:detail", args=[incident.public_id]))
    notes = us.get(f"/api/incidents/vessels/{ship.public_id}/annotations")
    seen = us.get(f"/api/incidents/vessels/{ship.public_id}/affiliation")
    shared = us.post(reverse("incidents:share", args=[note.public_id]))

    # Then nothing of Iran's view shows: not the text, the count or the row's id
    assert panel.status_code == 200 and page.status_code == 200
    for body in (panel.content, page.content):
        text = body.decode()
        assert "Shadowing pattern" not in text
        assert 'data-affiliation="other_navy"' not in text
        assert_learns_nothing_of_others(body, hidden=[affiliation, note])
    assert 'data-affiliation="unknown"' in panel.content.decode()
    assert notes.status_code == 200 and notes.json() == []
    assert seen.status_code == 200 and seen.json()["affiliation"] == "unknown"
    assert shared.status_code == 404


def test_a_shared_annotation_reaches_the_other_party_and_the_channel(client, on_watch, vessel):
    ship = vessel("SAHAND")
    ir = on_watch["ir-duty"]
    note = services.vessel_annotation_write(
        actor=ir, vessel_id=ship.public_id, text="Our frigate, on exercise until Friday."
    )

    services.vessel_annotation_share(actor=ir, annotation_id=note.public_id, channel="MCC")
    panel = _client(client, on_watch["us-duty"]).get(
        reverse("incidents:vessel", args=[ship.public_id])
    )

    note.refresh_from_db()
    assert note.scope == "mechanism:MCC"
    assert "Our frigate" in note.shared_message.text
    assert panel.status_code == 200
    assert "Our frigate, on exercise until Friday." in panel.content.decode()


def test_each_party_sees_its_own_affiliation_of_one_vessel(on_watch, vessel):
    from accord.incidents.selectors import affiliation_of

    ship = vessel("USS EXAMPLE")
    services.vessel_affiliation_set(
        actor=on_watch["us-duty"], vessel_id=ship.public_id, affiliation="own_navy"
    )
    services.vessel_affiliation_set(
        actor=on_watch["ir-duty"], vessel_id=ship.public_id, affiliation="other_navy"
    )

    assert affiliation_of(actor=on_watch["us-duty"], vessel=ship) == "own_navy"
    assert affiliation_of(actor=on_watch["ir-duty"], vessel=ship) == "other_navy"
    assert affiliation_of(actor=on_watch["pk-duty"], vessel=ship) == "unknown"
    assert VesselAffiliation.objects.filter(vessel=ship).count() == 2
    assert not VesselAnnotation.objects.exists()


def test_a_report_from_an_encounter_starts_with_its_vessels_time_and_place(
    client, on_watch, vessel, islamabad
):
    import datetime as dt

    from django.utils import timezone

    from accord.maritime.models import Encounter

    a, b = vessel("US WARSHIP 101", mmsi=369970101), vessel("FAST CRAFT 1", mmsi=422970201)
    now = timezone.now()
    encounter = Encounter.objects.create(
        process=islamabad,
        mechanism=a.mechanism,
        scope="mechanism:MCC",
        vessel_a=a,
        vessel_b=b,
        rule="fast_craft_naval",
        status="ongoing",
        cpa_nm=0.2,
        cpa_at=now + dt.timedelta(minutes=4),
        cpa_lat=26.51,
        cpa_lon=56.57,
        closest_nm=0.3,
        detected_at=now,
        updated_at=now,
    )

    page = _client(client, on_watch["us-duty"]).get(
        reverse("incidents:list"), {"encounter": str(encounter.public_id)}
    )

    assert page.status_code == 200
    body = page.content.decode()
    assert f'name="encounter" value="{encounter.public_id}"' in body
    assert 'value="369970101 422970201"' in body
    assert 'value="26.51"' in body


def test_the_list_reads_the_same_few_queries_however_many_incidents(
    client, report, on_watch, django_assert_max_num_queries
):
    report("us-duty")
    _client(client, on_watch["ir-duty"])
    client.get(reverse("incidents:list"))  # warm the per-request caches
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("incidents:list"))
    report("ir-duty")
    report("us-duty")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("incidents:list"))

    assert page.status_code == 200


def test_the_live_map_colours_a_vessel_by_each_partys_own_affiliation_only(on_watch, vessel):
    """The incidents app is the map's source of affiliations (registered in ``ready()``):
    each party's frame carries its own classification, never the other party's."""
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from accord.maritime.models import VesselPosition

    ship = vessel("SAHAND", mmsi=422_199_001)
    now = timezone.now()
    VesselPosition.objects.create(
        vessel=ship, mechanism=ship.mechanism, at=now, lat=26.55, lon=56.30, sog=12.0,
        cog=270.0, heading=270, under_way=True, updated_at=now,
    )  # fmt: skip
    services.vessel_affiliation_set(
        actor=on_watch["ir-duty"], vessel_id=ship.public_id, affiliation="own_navy"
    )
    services.vessel_affiliation_set(
        actor=on_watch["us-duty"], vessel_id=ship.public_id, affiliation="other_navy"
    )

    def seen_by(username):
        cache.clear()  # frames are shared for a second: build this party's own
        client = Client()
        client.force_login(on_watch[username])
        answer = client.get("/maritime/map/MCC/positions.json")
        assert answer.status_code == 200
        vessels = next(layer for layer in answer.json()["layers"] if layer["name"] == "vessels")
        (feature,) = [
            f
            for f in vessels["features"]
            if dict(f["properties"]["details"])["MMSI"] == str(ship.mmsi)
        ]
        return feature["properties"]

    ir_sees, us_sees = seen_by("ir-duty"), seen_by("us-duty")
    assert (ir_sees["affiliation"], us_sees["affiliation"]) == ("own_navy", "other_navy")
    # The legend names every affiliation; the vessel's own properties carry one party's.
    assert "other_navy" not in str(ir_sees) and "own_navy" not in str(us_sees)


def test_the_live_map_draws_each_incident_with_its_category_and_step_and_no_partys_notes(
    on_watch, vessel, report
):
    """The incidents layer of the map (``map_sources_register(incidents=...)``): every
    incident of the channel at its position, with its category and step in the panel
    and the table; a party's own annotation and affiliation of a vessel in it never in
    the other party's frame."""
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone

    from accord.maritime.models import VesselPosition

    # given a vessel with each party's own notes, and an incident it is in
    ship = vessel("SAHAND", mmsi=422_199_002)
    now = timezone.now()
    VesselPosition.objects.create(
        vessel=ship, mechanism=ship.mechanism, at=now, lat=26.55, lon=56.30, sog=12.0,
        cog=270.0, heading=270, under_way=True, updated_at=now,
    )  # fmt: skip
    note = services.vessel_annotation_write(
        actor=on_watch["ir-duty"], vessel_id=ship.public_id, text="Escort of our convoy ZULU"
    )
    services.vessel_affiliation_set(
        actor=on_watch["ir-duty"], vessel_id=ship.public_id, affiliation="own_navy"
    )
    incident = report("us-duty", vessels=[ship], latitude=26.60, longitude=56.20)
    services.incident_acknowledge(actor=on_watch["ir-duty"], incident_id=incident.public_id)

    def frame_of(username):
        cache.clear()  # frames are shared for a second: build this party's own
        client = Client()
        client.force_login(on_watch[username])
        answer = client.get("/maritime/map/MCC/positions.json")
        assert answer.status_code == 200
        return answer.json()

    us_frame, ir_frame = frame_of("us-duty"), frame_of("ir-duty")
    for frame in (us_frame, ir_frame):
        # then both parties see the incident where it happened, with what it is and
        # where it stands in the protocol, and a link to it
        incidents = next(layer for layer in frame["layers"] if layer["name"] == "incidents")
        (feature,) = incidents["features"]
        assert feature["geometry"]["coordinates"] == [56.2, 26.6]
        properties = feature["properties"]
        assert properties["key"] == str(incident.public_id)
        assert properties["status"] == "acknowledged" and properties["category"] == "close_approach"
        details = dict(properties["details"])
        assert details["Status"] == "Acknowledged by the other party"
        assert details["Category"] == "Close approach"
        assert "Close approach" in properties["summary"] and "Acknowledged" in properties["summary"]
        assert properties["url"] == reverse("incidents:detail", args=[incident.public_id])
        assert incidents["style"]["colour_by"] == "status"
    # and the other party learns nothing of Iran's own note or classification
    assert_learns_nothing_of_others(us_frame, hidden=[note])
    assert "convoy ZULU" not in str(us_frame)
    us_vessel = next(
        f
        for layer in us_frame["layers"]
        if layer["name"] == "vessels"
        for f in layer["features"]
        if f["properties"]["key"] == str(ship.public_id)
    )
    assert us_vessel["properties"]["affiliation"] != "own_navy"


def test_the_live_map_shows_no_incident_of_a_channel_the_viewer_is_not_on(on_watch, report):
    """Someone outside the channel gets no frame at all (not the incidents either)."""
    from django.core.cache import cache
    from django.test import Client

    from accord.accounts.models import User

    report("us-duty")
    cache.clear()
    outsider = User.objects.create_user("outsider-maritime", password="x" * 20)
    client = Client()
    client.force_login(outsider)
    answer = client.get("/maritime/map/MCC/positions.json")
    assert answer.status_code == 404
    assert "Close approach" not in answer.content.decode()
