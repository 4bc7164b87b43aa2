"""The pure conflict index: metres, windows, incremental changes."""

import datetime as dt

from shapely.geometry import LineString, Point, box

from accord.deconfliction.conflicts import ConflictIndex, Notified, keys_of, window_overlap

T0 = dt.datetime(2026, 12, 3, 6, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def _index():
    return ConflictIndex.of(
        [
            Notified("hospital", "site", Point(35.2038, 33.2705), 300, "Hospital"),
            Notified(
                "convoy",
                "movement",
                LineString([(35.37, 33.56), (35.48, 33.38)]),
                200,
                "Convoy",
                T0,
                T0 + 6 * H,
            ),
        ]
    )


def test_an_area_inside_a_sites_buffer_conflicts_at_its_distance_in_metres():
    # Given a hospital with a 300 m buffer; when an area 0.002 degrees of longitude
    # (about 186 m at this latitude) east of it is checked
    area = Point(35.2058, 33.2705)
    found = _index().check(area, buffer_m=0, planned_from=T0, planned_until=T0 + H)
    # then it conflicts, at about 186 m
    assert [c.key for c in found] == ["hospital"]
    assert 180 < found[0].distance_m < 192


def test_an_area_beyond_the_buffer_does_not_conflict_unless_its_own_buffer_reaches():
    area = Point(35.2088, 33.2705)  # about 465 m east
    index = _index()
    assert index.check(area, buffer_m=0, planned_from=T0, planned_until=T0 + H) == []
    found = index.check(area, buffer_m=200, planned_from=T0, planned_until=T0 + H)
    assert [c.key for c in found] == ["hospital"]


def test_a_movement_conflicts_only_within_its_window_and_says_for_how_long():
    area = box(35.40, 33.50, 35.44, 33.52)
    index = _index()
    assert index.check(area, buffer_m=0, planned_from=T0 - 3 * H, planned_until=T0 - H) == []
    found = index.check(area, buffer_m=0, planned_from=T0 + 5 * H, planned_until=T0 + 9 * H)
    assert [c.key for c in found] == ["convoy"]
    assert found[0].overlap_seconds == 3600
    assert found[0].distance_m == 0


def test_a_withdrawn_notification_leaves_the_index_at_once_and_the_loop_agrees():
    index = _index()
    area = Point(35.2038, 33.2705)
    assert index.check_by_loop(area, buffer_m=0, planned_from=T0, planned_until=T0 + H) == [
        "hospital"
    ]
    index.remove("hospital")
    assert index.check(area, buffer_m=0, planned_from=T0, planned_until=T0 + H) == []


def test_open_windows_overlap_everything_and_touching_windows_do_not():
    assert window_overlap(T0, T0 + H, None, None) == (T0, T0 + H)
    assert window_overlap(T0, T0 + H, T0 + H, T0 + 2 * H) is None


def test_an_amendment_replaces_its_predecessor_without_a_rebuild():
    index = _index()
    area = Point(35.2038, 33.2705)
    assert [
        c.key for c in index.check(area, buffer_m=0, planned_from=T0, planned_until=T0 + H)
    ] == ["hospital"]
    # When the hospital moves 5 km east and a new site appears where it was
    index.add(Notified("hospital", "site", Point(35.26, 33.2705), 300, "Hospital"))
    index.add(Notified("clinic", "site", Point(35.2038, 33.2706), 100, "Clinic"))
    found = index.check(area, buffer_m=0, planned_from=T0, planned_until=T0 + H)
    # then the check sees the clinic, not the hospital's old place
    assert [c.key for c in found] == ["clinic"]
    assert index.check_by_loop(area, buffer_m=0, planned_from=T0, planned_until=T0 + H) == [
        "clinic"
    ]


def test_the_vectorised_check_finds_exactly_what_the_plain_loop_finds():
    # Given random sites (some without a buffer) and movements, some changed after the
    # tree was built, and areas with and without their own buffer
    import random

    rng = random.Random(16)
    t0 = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
    items = []
    for i in range(1500):
        point = Point(rng.uniform(35.3, 35.6), rng.uniform(33.3, 33.6))
        items.append(Notified(f"s{i}", "site", point, rng.choice([0, 50, 300, 800])))
    for i in range(200):
        x, y = rng.uniform(35.3, 35.6), rng.uniform(33.3, 33.6)
        line = LineString([(x, y), (x + rng.uniform(-0.03, 0.03), y + rng.uniform(-0.03, 0.03))])
        start = t0 + dt.timedelta(hours=rng.randint(0, 48))
        items.append(
            Notified(f"m{i}", "movement", line, 200, "", start, start + dt.timedelta(hours=6))
        )
    index = ConflictIndex.of(items)
    index.check(Point(35.4, 33.4), buffer_m=0, planned_from=t0, planned_until=t0)
    index.remove("s1")
    index.add(Notified("s2", "site", Point(35.45, 33.45), 900))
    # When each area is checked by the index and by the loop
    for n in range(60):
        x, y = rng.uniform(35.3, 35.6), rng.uniform(33.3, 33.6)
        area = box(x, y, x + 0.02, y + 0.02) if n % 2 else Point(x, y)
        start = t0 + dt.timedelta(hours=rng.randint(0, 48))
        window = {"planned_from": start, "planned_until": start + dt.timedelta(hours=3)}
        buffer_m = rng.choice([0, 250])
        # Then both find the same notifications
        found = index.check(area, buffer_m=buffer_m, **window)
        assert keys_of(found) == index.check_by_loop(area, buffer_m=buffer_m, **window)
        assert [c.distance_m for c in found] == sorted(c.distance_m for c in found)
