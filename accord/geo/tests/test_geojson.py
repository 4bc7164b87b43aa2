"""Reading GeoJSON: every problem is located by its feature's 0-based index, never raised."""

import json

import pytest
from shapely.geometry import box

from accord.geo import geojson as g

STRAIT = g.Bounds(box(55.5, 25.8, 57.5, 27.3), "the Strait of Hormuz")


def point(lon, lat, **properties):
    geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def polygon(ring, **properties):
    geometry = {"type": "Polygon", "coordinates": [ring]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def codes(reading):
    return [(problem.feature, problem.code) for problem in reading.problems]


def test_a_valid_collection_gives_its_features_with_their_indexes_and_properties():
    reading = g.features_read(
        json.dumps(collection(point(56.3, 26.5, name="A"), point(56.4, 26.6))), bounds=STRAIT
    )
    assert reading.valid and reading.count == 2
    assert [f.index for f in reading] == [0, 1]
    assert reading.features[0].properties == {"name": "A"}
    assert reading.features[0].geometry.x == 56.3


def test_a_single_feature_and_a_bare_geometry_are_documents_of_one_feature():
    assert g.features_read(point(56.3, 26.5)).count == 1
    bare = g.geometry_read({"type": "Point", "coordinates": [56.3, 26.5]})
    assert (bare.x, bare.y) == (56.3, 26.5)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", "geo.not_json"),
        (b"\xff\xfe", "geo.not_json"),
        ("[" * 100_000, "geo.not_json"),
        ('{"type": "Topology"}', "geo.not_geojson"),
        ('{"type": "FeatureCollection", "features": 3}', "geo.not_geojson"),
        ("42", "geo.not_geojson"),
    ],
)
def test_a_document_that_is_not_geojson_is_one_problem_of_the_document(text, code):
    reading = g.features_read(text)
    assert codes(reading) == [(None, code)]
    assert reading.problems[0].reason  # a sentence, not a traceback


def test_latitude_written_first_is_named_swapped_when_it_is_off_the_earth_otherwise():
    reading = g.features_read(collection(point(56.3, 26.5), point(26.5, 120.0)))
    assert codes(reading) == [(1, "geo.swapped")]
    assert "longitude first" in reading.problems[0].reason


def test_latitude_written_first_is_named_swapped_when_only_the_swap_is_inside_the_area():
    reading = g.features_read(collection(point(26.5, 56.3)), bounds=STRAIT)
    assert codes(reading) == [(0, "geo.swapped")]


def test_a_position_off_the_earth_either_way_is_out_of_range():
    reading = g.features_read(collection(point(200.0, 100.0)))
    assert codes(reading) == [(0, "geo.out_of_range")]


def test_a_bow_tie_polygon_is_self_intersecting_and_says_where():
    bow_tie = [[56, 26], [57, 27], [57, 26], [56, 27], [56, 26]]
    reading = g.features_read(collection(point(56.3, 26.5), polygon(bow_tie)))
    assert codes(reading) == [(1, "geo.self_intersecting")]
    assert "56.5, 26.5" in reading.problems[0].reason


def test_a_route_that_crosses_itself_is_refused_unless_the_caller_allows_it():
    figure_eight = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[56, 26], [57, 27], [57, 26], [56, 27]]},
    }
    assert codes(g.features_read(collection(figure_eight))) == [(0, "geo.self_intersecting")]
    assert g.features_read(collection(figure_eight), lines_may_cross=True).valid


def test_a_polygon_with_a_hole_outside_its_shell_is_invalid_with_shapely_s_reason():
    shell = [[56, 26], [56.2, 26], [56.2, 26.2], [56, 26.2], [56, 26]]
    hole = [[57, 27], [57.1, 27], [57.1, 27.1], [57, 27]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [shell, hole]}}
    reading = g.features_read(collection(feature))
    assert codes(reading) == [(0, "geo.invalid_geometry")]
    assert "Hole" in reading.problems[0].reason


def test_a_ring_too_short_or_a_position_that_is_not_numbers_is_malformed():
    short = polygon([[56, 26], [57, 27]])
    words = point("east", "north")
    boolean = point(True, 26.5)
    reading = g.features_read(collection(short, words, boolean))
    assert codes(reading) == [
        (0, "geo.bad_coordinates"),
        (1, "geo.bad_coordinates"),
        (2, "geo.bad_coordinates"),
    ]


def test_a_feature_without_geometry_or_coordinates_is_missing_coordinates():
    reading = g.features_read(
        collection(
            {"type": "Feature", "geometry": None, "properties": {}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": []}},
            {"type": "Feature"},
        )
    )
    assert codes(reading) == [(i, "geo.missing_coordinates") for i in range(3)]


def test_a_type_the_caller_does_not_accept_is_the_wrong_type():
    reading = g.features_read(collection(point(56.3, 26.5)), types=g.AREAL)
    assert codes(reading) == [(0, "geo.wrong_type")]
    assert "MultiPolygon, Polygon" in reading.problems[0].reason


def test_something_that_is_not_a_feature_is_located_and_the_rest_still_read():
    reading = g.features_read(collection("x", {"type": "Point"}, point(56.3, 26.5)))
    assert codes(reading) == [(0, "geo.not_a_feature"), (1, "geo.not_a_feature")]
    assert [f.index for f in reading] == [2]


def test_a_feature_partly_outside_the_area_is_outside_it():
    crossing = polygon([[57, 27], [58, 27], [58, 28], [57, 28], [57, 27]])
    reading = g.features_read(collection(point(10, 10), crossing), bounds=STRAIT)
    assert codes(reading) == [(0, "geo.outside_area"), (1, "geo.outside_area")]
    assert "the Strait of Hormuz" in reading.problems[0].reason


def test_the_strict_form_raises_one_refusal_listing_every_problem():
    with pytest.raises(g.GeoJSONInvalid) as refused:
        g.features_parse(collection(point(200, 100), "x"))
    assert refused.value.code == "geo.geojson_invalid"
    assert [p.feature for p in refused.value.problems] == [0, 1]
    assert "found: 2" in refused.value.message


def test_a_problem_serialises_as_the_import_report_s_feature_and_reason():
    problem = g.features_read(collection("x")).problems[0]
    assert problem.as_dict() == {
        "feature": 0,
        "code": "geo.not_a_feature",
        "reason": "Feature 0: expected a GeoJSON Feature, got 'x'.",
    }


def test_features_write_back_as_the_same_geojson():
    source = collection(point(56.3, 26.5, name="A"))
    source["features"][0]["id"] = "a-1"
    written = g.feature_collection(g.features_parse(source))
    assert written["features"][0]["id"] == "a-1"
    assert written["features"][0]["geometry"]["coordinates"] == (56.3, 26.5)
    assert written["features"][0]["properties"] == {"name": "A"}
