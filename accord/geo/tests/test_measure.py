"""Metres and nautical miles: measured on the ellipsoid or in a local frame, never degrees."""

import math

import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from accord.geo import measure as m


def test_a_nautical_mile_is_1852_metres():
    assert m.nautical_miles(1852) == 1
    assert m.metres(2.5) == 4630


def test_a_degree_of_latitude_is_about_111_km_and_of_longitude_shorter_at_26_north():
    north = m.point_distance_metres(56.0, 26.0, 56.0, 27.0)
    east = m.point_distance_metres(56.0, 26.0, 57.0, 26.0)
    assert north == pytest.approx(110_796, rel=1e-3)
    # cos(26°) of a degree at the equator: a buffer in degrees would be 10 % off.
    assert east == pytest.approx(111_320 * math.cos(math.radians(26)), rel=5e-3)


def test_the_distance_between_two_points_is_geodesic_and_symmetric():
    a, b = Point(56.25, 26.56), Point(56.45, 26.63)
    assert m.distance_metres(a, b) == pytest.approx(m.distance_metres(b, a))
    assert m.distance_nautical_miles(a, b) == pytest.approx(m.distance_metres(a, b) / 1852)


def test_a_point_s_distance_to_a_square_is_measured_in_metres_and_zero_when_inside():
    square = box(56.0, 26.0, 56.1, 26.1)
    beside = Point(56.2, 26.05)
    expected = m.point_distance_metres(56.1, 26.05, 56.2, 26.05)
    assert m.distance_metres(square, beside) == pytest.approx(expected, rel=2e-3)
    assert m.distance_metres(square, Point(56.05, 26.05)) == 0


def test_a_buffer_of_a_point_is_a_disc_of_that_radius_in_metres():
    disc = m.buffer(Point(56.3, 26.5), 1000)
    assert m.area_square_metres(disc) == pytest.approx(math.pi * 1000**2, rel=2e-3)
    edge = disc.exterior.coords[0]
    assert m.point_distance_metres(56.3, 26.5, *edge) == pytest.approx(1000, rel=1e-3)


def test_a_corridor_is_its_width_wide_along_the_route():
    route = LineString([(35.2, 33.2), (35.4, 33.3)])
    strip = m.corridor(route, 2000)
    length = m.point_distance_metres(35.2, 33.2, 35.4, 33.3)
    # A 2 km strip with round ends: length x width + a disc of radius 1 km.
    assert m.area_square_metres(strip) == pytest.approx(length * 2000 + math.pi * 1e6, rel=5e-3)
    assert strip.covers(Point(35.3, 33.25))


def test_a_buffer_of_nothing_is_the_geometry_itself():
    square = box(56.0, 26.0, 56.1, 26.1)
    assert m.buffer(square, 0) is square


def test_the_destination_is_the_distance_away_on_the_bearing():
    lon, lat = m.destination(56.3, 26.5, 90, 1852)
    assert lat == pytest.approx(26.5, abs=1e-4)
    assert m.point_distance_metres(56.3, 26.5, lon, lat) == pytest.approx(1852, rel=1e-6)


def test_point_in_area_counts_the_boundary_in_one_at_a_time_and_vectorised():
    area = box(56.0, 26.0, 56.1, 26.1)
    assert m.contains(area, 56.05, 26.05)
    assert m.contains(area, 56.0, 26.05)
    assert not m.contains(area, 56.2, 26.05)
    inside = m.contains_many(area, np.array([56.05, 56.0, 56.2]), np.array([26.05, 26.05, 26.05]))
    assert inside.tolist() == [True, True, False]


def test_a_local_frame_puts_its_centre_at_the_origin_and_metres_north_on_y():
    frame = m.LocalFrame(56.3, 26.5)
    x, y = frame.xy([56.3, 56.3], [26.5, 26.6])
    assert (x[0], y[0]) == pytest.approx((0, 0), abs=1e-6)
    assert y[1] == pytest.approx(m.point_distance_metres(56.3, 26.5, 56.3, 26.6), rel=1e-6)
    back = frame.to_degrees(frame.to_metres(Point(56.4, 26.45)))
    assert (back.x, back.y) == pytest.approx((56.4, 26.45))
