"""A mechanism's geography read from its process's charter, and its map for participants."""

import pytest
from django.urls import reverse

from accord.geo import selectors
from accord.process.models import Mechanism

pytestmark = pytest.mark.django_db


def test_zones_of_a_mechanism_come_from_the_charter_it_was_loaded_from(islamabad):
    mcc = Mechanism.objects.get(process=islamabad, code="MCC")
    assert {zone.kind for zone in selectors.zones_of(mcc)} >= {
        "traffic_lane_inbound",
        "separation_zone",
        "traffic_lane_outbound",
    }
    assert selectors.area_of(mcc).name == "Strait of Hormuz"
    dcc = Mechanism.objects.get(process=islamabad, code="DCC")
    assert selectors.zones_of(dcc) == () and selectors.area_of(dcc) is None


def test_a_mechanism_whose_charter_file_is_gone_has_no_geography(islamabad):
    islamabad.charter_path = "/nonexistent/charter.yaml"
    islamabad.save()
    mcc = Mechanism.objects.select_related("process").get(process=islamabad, code="MCC")
    assert selectors.geography_of(mcc).area is None


def test_a_participant_sees_the_map_page_and_its_layers(client, cast):
    client.force_login(cast["ir-duty"])
    page = client.get(reverse("geo:mechanism_map", args=["MCC"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "data-geo-map" in body and "Area and zones of Maritime Communication Channel" in body
    assert "<script>" not in body.replace("<script src=", "")  # no inline script
    data = client.get(reverse("geo:mechanism_layers", args=["MCC"])).json()
    area, zones = data["layers"]
    assert area["name"] == "area"
    assert area["features"][0]["properties"]["name"] == "Strait of Hormuz"
    assert zones["style"]["colour_by"] == "kind"
    names = [f["properties"]["name"] for f in zones["features"]]
    assert "Separation zone" in names
    details = dict(zones["features"][0]["properties"]["details"])
    assert details["Accuracy"] == "Approximate" and "IMO" in details["Source"]


def test_someone_outside_the_process_is_answered_as_for_no_such_mechanism(client, cast):
    client.force_login(cast["operator"])
    assert client.get(reverse("geo:mechanism_layers", args=["MCC"])).status_code == 404
    client.force_login(cast["us-head"])
    assert client.get(reverse("geo:mechanism_layers", args=["NOPE"])).status_code == 404
