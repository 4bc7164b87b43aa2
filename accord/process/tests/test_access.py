"""Every ``may_`` rule of the process agrees with what its service accepts, for the whole cast.

Each actor of the demo cast (every role, the operator too) by each milestone: the predicate
is asked, then the service is run inside a transaction that is always rolled back, and
"accepted" means it raised no ``PermissionDenied``/``NotFound``. A state refusal
(already met, a bad date) is not a permission answer, so the sample uses milestones and
input the service would otherwise accept.
"""

import datetime as dt

import pytest

from accord.errors import NotFound
from accord.process import access, services
from accord.process.models import Milestone
from accord.testing.may import service_accepts

MILESTONES = ("NUC-1", "SAN-2", "HLC-1")


def test_may_mark_met_agrees_with_the_service_for_every_actor_and_milestone(cast):
    for username, actor in cast.items():
        for code in MILESTONES:
            milestone = Milestone.objects.get(code=code)
            allowed = access.may_mark_met(actor, milestone)
            accepted = service_accepts(
                lambda a=actor, c=code: services.milestone_mark_met(actor=a, code=c)
            )
            assert allowed == accepted, (username, code)


def test_may_extend_agrees_with_the_service_for_every_actor_and_milestone(cast):
    for username, actor in cast.items():
        for code in MILESTONES:
            milestone = Milestone.objects.get(code=code)
            new_due_on = milestone.due_on + dt.timedelta(days=7)
            allowed = access.may_extend(actor, milestone)
            accepted = service_accepts(
                lambda a=actor, c=code, d=new_due_on: services.milestone_extend(
                    actor=a, code=c, new_due_on=d, reason="Decided at the HLC"
                )
            )
            assert allowed == accepted, (username, code)


def test_may_load_charter_agrees_with_the_loader_for_every_actor(cast, settings):
    for username, actor in [*cast.items(), ("command line", None)]:
        allowed = access.may_load_charter(actor)
        accepted = service_accepts(
            lambda a=actor: services.charter_load(path=settings.ACCORD_DEFAULT_CHARTER, actor=a)
        )
        assert allowed == accepted, username


def test_the_rules_are_the_ones_the_roadmap_states(cast):
    """Written out by hand, so a rule that widens or narrows fails here."""
    nuc_1 = Milestone.objects.get(code="NUC-1")
    may_mark = {name for name, user in cast.items() if access.may_mark_met(user, nuc_1)}
    may_extend = {name for name, user in cast.items() if access.may_extend(user, nuc_1)}
    facilitators = {name for name, user in cast.items() if name.startswith(("pk-", "qa-"))}
    assert facilitators <= may_mark
    assert not {"us-head", "ir-head", "us-expert", "operator"} & may_mark
    assert {"pk-chair", "qa-chair", "pk-rapporteur"} <= may_extend
    assert not {"us-head", "ir-expert", "pk-verifier", "operator"} & may_extend
    assert access.may_load_charter(None)
    assert access.may_load_charter(cast["pk-chair"])
    assert not access.may_load_charter(cast["us-head"])


def test_a_thing_outside_the_process_answers_like_a_missing_one(cast):
    for name, code in (("body", "WG-NUC"), ("mechanism", "MCC"), ("milestone", "NUC-1")):
        fetch = getattr(access, f"{name}_access")
        case = getattr(access, f"{name.upper()}_NOT_FOUND")
        assert fetch(cast["us-head"], code).code == code
        for actor, asked in ((cast["operator"], code), (cast["us-head"], "NOPE")):
            with pytest.raises(NotFound) as missing:
                fetch(actor, asked)
            assert missing.value.error_case is case
            assert asked in missing.value.message
