"""The roadmap's desk item: milestones at risk in the bodies someone sits in."""

import datetime as dt

from accord.process.attention import milestones_at_risk


def test_a_milestone_at_risk_waits_on_the_desks_of_its_body_s_members(
    cast, islamabad, time_machine_today
):
    # Given day 25 of the roadmap: NUC-2 is due on day 30 and NUC-1 is not met
    time_machine_today(islamabad.roadmap_starts_on + dt.timedelta(days=24))
    # When a member of WG-NUC reads the desk
    items = {i.subject: i for i in milestones_at_risk(cast["us-expert"])}
    # Then NUC-2 waits there, with its due date and why it is at risk
    item = items["milestone:NUC-2"]
    assert item.deadline == islamabad.milestones.get(code="NUC-2").due_on
    assert "NUC-1" in item.about
    assert item.url.endswith("/bodies/WG-NUC/")


def test_milestones_of_bodies_one_does_not_sit_in_are_not_on_the_desk(
    cast, islamabad, time_machine_today
):
    time_machine_today(islamabad.roadmap_starts_on + dt.timedelta(days=24))
    # An observer sits in no body; a verifier sits only in the verification group
    assert milestones_at_risk(cast["us-observer"]) == []
    assert "milestone:NUC-2" not in {i.subject for i in milestones_at_risk(cast["pk-verifier"])}
