"""The close-encounter screen: the pruned screen finds exactly the exhaustive one's alerts."""

import numpy as np
import pytest

from accord.maritime import screening as s
from accord.maritime.charter import MaritimeSettingsInvalid, maritime_settings_parse

RULES = maritime_settings_parse("MCC", None).rules()


def _fleet(n, seed):
    rng = np.random.default_rng(seed)
    lat = rng.uniform(25.8, 27.0, n)
    lon = rng.uniform(55.8, 57.2, n)
    fast = rng.random(n) < 0.05
    sog = np.where(fast, rng.uniform(25, 50, n), rng.uniform(2, 16, n))
    cog = rng.uniform(0, 360, n)
    affiliation = rng.choice(list(s.AFFILIATIONS), n, p=[0.05, 0.05, 0.05, 0.7, 0.1, 0.05])
    return s.Fleet.from_positions(lat, lon, sog, cog, affiliation)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_pruned_screen_finds_exactly_the_alerts_of_the_exhaustive_screen(seed):
    fleet = _fleet(600, seed)
    pruned = s.screen(fleet, RULES)
    assert pruned  # the fleet is dense enough to alert
    assert pruned == s.screen_exhaustive(fleet, RULES)


def test_two_warships_closing_to_under_a_mile_alert_under_the_naval_rule_first():
    # given two naval vessels 3 nm apart closing head-on at 9 kn each
    fleet = s.Fleet.from_positions(
        [26.5, 26.55], [56.3, 56.3], [9.0, 9.0], [0.0, 180.0], ["own_navy", "other_navy"]
    )
    [alert] = s.screen(fleet, RULES)
    assert RULES[alert.rule].code == "naval_naval"
    assert alert.cpa_nm == pytest.approx(0.0, abs=1e-6)
    assert alert.tcpa_s == pytest.approx(3.0 / 18 * 3600, rel=0.01)


def test_fast_craft_alert_only_while_approaching_a_naval_vessel():
    # given fast craft 1.2 nm north of a warship, running at it at 40 kn but to pass at 1 nm
    approaching = s.Fleet.from_positions(
        [26.5, 26.52], [56.3, 56.318], [0.0, 40.0], [0.0, 180.0], ["own_navy", "fast_craft"]
    )
    [alert] = s.screen(approaching, RULES)
    assert RULES[alert.rule].code == "fast_craft_naval"
    # ahead of the warship and running away: no alert beyond the close-approach rule
    leaving = s.Fleet.from_positions(
        [26.5, 26.52], [56.3, 56.3], [0.0, 40.0], [0.0, 0.0], ["own_navy", "fast_craft"]
    )
    leaving.vy[1] = 40.0
    leaving.y[1] = leaving.y[0] + 1.5
    assert s.screen(leaving, RULES) == []


def test_a_rule_naming_an_unknown_affiliation_is_refused_where_it_stands():
    with pytest.raises(MaritimeSettingsInvalid) as refused:
        maritime_settings_parse(
            "MCC", {"encounters": [{"code": "x", "cpa_nm": 1, "between": ["navy", "any"]}]}
        )
    assert refused.value.problems[0][0] == ("encounters", 0, "between")
    assert "settings.maritime.encounters[0].between" in str(refused.value)
