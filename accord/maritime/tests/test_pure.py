"""The Django-free pieces: the MID table, kinematics."""

import numpy as np
import pytest

from accord.maritime import kinematics, mid


@pytest.mark.parametrize(
    ("mmsi", "flag"),
    [
        (422123456, "IR"),  # a ship station of Iran
        (366123456, "US"),
        (470000001, "AE"),
        (2470001, "IT"),  # 002470001: a coast station of Italy
        (111232500, "GB"),  # a SAR aircraft of the United Kingdom
        (992351000, "GB"),  # an aid to navigation
        (970123456, ""),  # an AIS-SART carries no country
        (0, ""),
    ],
)
def test_flag_is_the_country_of_the_mmsi_mid(mmsi, flag):
    # given an MMSI of each form, when its flag is read, then it is the MID's country
    assert mid.flag_of(mmsi) == flag


def test_head_on_ships_meet_at_the_midpoint_in_the_time_it_takes():
    # given two ships 2 nm apart heading at each other at 10 kn each
    d, t = kinematics.cpa_tcpa(np.array([0.0]), np.array([2.0]), np.array([0.0]), np.array([-20.0]))
    # then they meet (CPA 0) in 6 minutes
    assert d[0] == pytest.approx(0.0)
    assert t[0] * 60 == pytest.approx(6.0)


def test_ships_moving_apart_have_their_cpa_now():
    d, t = kinematics.cpa_tcpa(np.array([1.0]), np.array([0.0]), np.array([5.0]), np.array([0.0]))
    assert t[0] == 0.0
    assert d[0] == pytest.approx(1.0)


def test_a_degree_of_latitude_is_sixty_miles():
    assert kinematics.distance_nm(26.0, 56.0, 27.0, 56.0) == pytest.approx(60.04, abs=0.05)
