"""A mechanism's geography in the charter: the shipped files are valid and marked
approximate; a missing or malformed file is a located charter problem."""

import json
import shutil
from pathlib import Path

import pytest
from shapely.geometry import Point

from accord.geo.measure import distance_metres, metres
from accord.process.charter import CharterInvalid, charter_parse, charter_read

CHARTERS = Path(__file__).resolve().parents[3] / "charters"
DEFAULT = CHARTERS / "islamabad-mou.yaml"


@pytest.fixture
def charter_copy(tmp_path):
    """The default charter and its geography in a folder of the test's own."""
    shutil.copy(DEFAULT, tmp_path / DEFAULT.name)
    shutil.copytree(CHARTERS / "geo", tmp_path / "geo")
    return tmp_path / DEFAULT.name


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def test_the_default_charter_draws_the_strait_its_lanes_and_territorial_seas():
    geography = charter_read(DEFAULT).geography_of("MCC")
    assert geography.area is not None and geography.area.name == "Strait of Hormuz"
    kinds = sorted(zone.kind for zone in geography.zones)
    assert kinds == [
        "separation_zone",
        "territorial_sea",
        "territorial_sea",
        "traffic_lane_inbound",
        "traffic_lane_outbound",
    ]
    for zone in geography.zones:
        assert zone.approximate and zone.provenance
        assert zone.geometry.is_valid
    for zone in geography.of_kind("traffic_lane_inbound", "traffic_lane_outbound"):
        assert "IMO" in zone.provenance and "not in this repository" in zone.provenance
        assert geography.area.geometry.covers(zone.geometry)
        assert isinstance(zone.properties["direction"], int)


def test_the_lanes_are_two_miles_apart_across_the_separation_zone():
    geography = charter_read(DEFAULT).geography_of("MCC")
    (inbound,) = geography.of_kind("traffic_lane_inbound")
    (outbound,) = geography.of_kind("traffic_lane_outbound")
    (separation,) = geography.of_kind("separation_zone")
    apart = distance_metres(inbound.geometry, outbound.geometry)
    assert apart == pytest.approx(metres(2), rel=0.05)
    assert distance_metres(inbound.geometry, separation.geometry) == 0
    centre = separation.geometry.representative_point()
    assert "separation_zone" in [z.kind for z in geography.zones_at(centre.x, centre.y)]


def test_the_lebanon_mechanism_has_an_approximate_area_and_the_direct_line_none():
    charter = charter_read(DEFAULT)
    area = charter.geography_of("LDM").area
    assert area is not None and area.approximate and "Blue Line" in area.provenance
    assert area.geometry.covers(Point(35.35, 33.25))  # south of Tyre
    assert charter.geography_of("DCC").area is None and not charter.geography_of("DCC").zones


def test_a_missing_zone_file_is_a_problem_at_the_line_that_names_it(charter_copy):
    edit(charter_copy, "geo/hormuz-tss.geojson", "geo/hormuz-lanes.geojson")
    with pytest.raises(CharterInvalid) as refused:
        charter_read(charter_copy)
    (problem,) = refused.value.problems
    assert problem.path == "mechanisms[1].zones[0]"
    assert problem.line == line_of(charter_copy, "geo/hormuz-lanes.geojson")
    assert problem.message == (
        "geo/hormuz-lanes.geojson: The file geo/hormuz-lanes.geojson does not exist."
    )


def test_a_zone_file_that_is_not_json_is_a_located_problem(charter_copy):
    (charter_copy.parent / "geo" / "hormuz-territorial-seas.geojson").write_text("{oops")
    with pytest.raises(CharterInvalid) as refused:
        charter_read(charter_copy)
    (problem,) = refused.value.problems
    assert problem.path == "mechanisms[1].zones[1]"
    assert "is not valid JSON" in problem.message


def test_a_zone_without_provenance_or_of_an_unknown_kind_names_the_feature(charter_copy):
    path = charter_copy.parent / "geo" / "hormuz-tss.geojson"
    data = json.loads(path.read_text())
    del data["features"][1]["properties"]["provenance"]
    data["features"][2]["properties"]["kind"] = "fast_lane"
    path.write_text(json.dumps(data))
    with pytest.raises(CharterInvalid) as refused:
        charter_read(charter_copy)
    messages = [p.message for p in refused.value.problems]
    assert messages == [
        "geo/hormuz-tss.geojson: Feature 1: the property 'provenance' is missing or empty "
        "(where the shape comes from).",
        "geo/hormuz-tss.geojson: Feature 2: the zone kind 'fast_lane' is not one of "
        "mechanism_area, traffic_lane_inbound, traffic_lane_outbound, separation_zone, "
        "precautionary_area, territorial_sea, anchorage, restricted_area, other.",
    ]


def test_an_area_file_of_two_polygons_or_a_self_crossing_one_is_refused(charter_copy):
    path = charter_copy.parent / "geo" / "lebanon-area.geojson"
    data = json.loads(path.read_text())
    data["features"].append(data["features"][0])
    path.write_text(json.dumps(data))
    with pytest.raises(CharterInvalid) as refused:
        charter_read(charter_copy)
    assert [p.path for p in refused.value.problems] == ["mechanisms[2].area_file"]
    assert "exactly one polygon" in refused.value.problems[0].message

    bow_tie = [[35.1, 33.1], [35.5, 33.5], [35.5, 33.1], [35.1, 33.5], [35.1, 33.1]]
    data["features"] = [data["features"][0]]
    data["features"][0]["geometry"]["coordinates"] = [bow_tie]
    path.write_text(json.dumps(data))
    with pytest.raises(CharterInvalid) as refused:
        charter_read(charter_copy)
    assert "Feature 0: the polygon crosses itself" in refused.value.problems[0].message


def test_a_geography_path_outside_the_charter_s_folder_is_refused(charter_copy):
    edit(charter_copy, "area_file: geo/lebanon-area.geojson", "area_file: ../secrets.geojson")
    with pytest.raises(CharterInvalid) as refused:
        charter_read(charter_copy)
    (problem,) = refused.value.problems
    assert problem.path == "mechanisms[2].area_file"
    assert "inside the charter's folder" in problem.message


def test_text_parsed_without_a_folder_has_no_geography_and_with_one_reads_it():
    text = DEFAULT.read_text()
    assert charter_parse(text, filename="x.yaml").geography_of("MCC").area is None
    read = charter_parse(text, filename="x.yaml", base_dir=CHARTERS).geography_of("MCC")
    assert read.area is not None and read.area.name == "Strait of Hormuz"
