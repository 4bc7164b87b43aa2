"""Each ``may_`` predicate agrees with its service, for every demo role and several things.

For every account of the cast and every (predicate, service) pair, the service is run
inside a transaction that is then rolled back: it *accepts* unless it refuses with
``PermissionDenied`` or ``NotFound`` (a ``Conflict`` about the thing's state, a
``ValidationFailed`` about the text, is not a "who may act" answer). The predicate must
say yes exactly where the service accepts, so a page that shows a button only where the
predicate says yes never offers what the service refuses, and never hides what it allows.
"""

from collections.abc import Callable

import pytest

from accord.divergences import access, selectors, services
from accord.divergences.models import Divergence
from accord.divergences.tests.conftest import OPENED
from accord.errors import NotFound
from accord.process.models import Body
from accord.testing.may import service_accepts, service_refusal


@pytest.fixture
def things(cast, divergence):
    """An open divergence at its working group, one referred to the HLC, one resolved."""
    chair = cast["pk-chair"]
    referred = services.divergence_open(
        actor=chair, body_code="WG-SAN", title="Oil relief", now=OPENED
    )
    services.divergence_refer(actor=chair, divergence_id=referred.public_id, note="Stuck")
    resolved = services.divergence_open(actor=chair, body_code="WG-VER", title="Access")
    services.divergence_resolve(actor=chair, divergence_id=resolved.public_id, resolution="ok")
    # Each party holds an internal position on the first, so sharing has something to share.
    for username in ("us-expert", "ir-expert"):
        services.position_set(
            actor=cast[username], divergence_id=divergence.public_id, text="ours", shared=False
        )
    return [Divergence.objects.get(pk=row.pk) for row in (divergence, referred, resolved)]


CASES = {
    "state a position": (
        access.may_state_position,
        lambda actor, d: services.position_set(
            actor=actor, divergence_id=d.public_id, text="A position", shared=False
        ),
    ),
    "share a position": (
        access.may_share_position,
        lambda actor, d: services.position_share(actor=actor, divergence_id=d.public_id),
    ),
    "propose a bridge": (
        access.may_propose_bridge,
        lambda actor, d: services.bridging_propose(
            actor=actor, divergence_id=d.public_id, text="Phase it"
        ),
    ),
    "refer": (
        access.may_refer,
        lambda actor, d: services.divergence_refer(actor=actor, divergence_id=d.public_id),
    ),
    "resolve": (
        access.may_resolve,
        lambda actor, d: services.divergence_resolve(
            actor=actor, divergence_id=d.public_id, resolution="Agreed"
        ),
    ),
    "park": (
        access.may_park,
        lambda actor, d: services.divergence_park(actor=actor, divergence_id=d.public_id),
    ),
    "reopen": (
        access.may_reopen,
        lambda actor, d: services.divergence_reopen(actor=actor, divergence_id=d.public_id),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_predicate_agrees_with_its_service_for_every_role(cast, things, case):
    predicate, service = CASES[case]
    answers = set()
    for username, actor in sorted(cast.items()):
        for thing in things:
            said = predicate(actor, thing)
            did = service_accepts(lambda actor=actor, thing=thing: service(actor, thing))
            assert said is did, f"{case}: may_ says {said}, the service {did}, for {username}"
            answers.add(said)
    # Neither always yes nor always no: the sample tells the rule's two sides apart.
    assert answers == {True, False}, case


def test_who_may_open_a_divergence_agrees_with_divergence_open(cast, islamabad):
    bodies = list(Body.objects.filter(process=islamabad, code__in=["WG-NUC", "WG-SAN", "HLC"]))
    answers = set()
    for username, actor in sorted(cast.items()):
        for body in bodies:
            said = access.may_open(actor, body)
            did = service_accepts(
                lambda actor=actor, body=body: services.divergence_open(
                    actor=actor, body_code=body.code, title="A point"
                )
            )
            assert said is did, f"may_open says {said}, the service {did}, for {username}"
            answers.add(said)
    assert answers == {True, False}


def test_a_party_may_state_a_position_but_a_facilitator_or_operator_may_not(cast, divergence):
    """A few cells written out by hand, so the agreement above is not agreement on nonsense."""
    assert access.may_state_position(cast["us-expert"], divergence)
    assert access.may_state_position(cast["ir-observer"], divergence)
    assert not access.may_state_position(cast["pk-chair"], divergence)
    assert not access.may_state_position(cast["operator"], divergence)
    assert access.may_refer(cast["pk-chair"], divergence)
    assert not access.may_refer(cast["us-head"], divergence)
    assert access.may_propose_bridge(cast["qa-rapporteur"], divergence)
    assert not access.may_propose_bridge(cast["ir-head"], divergence)


def test_the_access_functions_answer_missing_and_invisible_alike(cast, divergence):
    us_internal = services.position_set(
        actor=cast["us-expert"], divergence_id=divergence.public_id, text="x", shared=False
    )
    assert access.position_access(cast["us-head"], us_internal.public_id) == us_internal
    for actor, public_id in [
        (cast["ir-head"], us_internal.public_id),
        (cast["us-head"], "not-an-id"),
        (cast["us-head"], us_internal.pk),
    ]:
        with pytest.raises(NotFound) as raised:
            access.position_access(actor, public_id)
        assert raised.value.error_case is access.POSITION_NOT_FOUND
    with pytest.raises(NotFound) as raised:
        access.divergence_access(cast["operator"], divergence.public_id)
    assert raised.value.error_case is access.DIVERGENCE_NOT_FOUND
    assert access.divergence_access(cast["ir-head"], str(divergence.public_id)) == divergence


ACTIONS = {
    "state_position": CASES["state a position"][1],
    "share_position": CASES["share a position"][1],
    "propose_bridge": CASES["propose a bridge"][1],
    "refer": CASES["refer"][1],
    "resolve": CASES["resolve"][1],
    "park": CASES["park"][1],
    "reopen": CASES["reopen"][1],
}


def _succeeds(run: Callable[[], object]) -> bool:
    return service_refusal(run) is None


def test_the_offered_actions_are_exactly_those_the_services_carry_out(cast, things):
    """What the page shows a form for (and the API's ``may``) is who *and* when: the
    service, given good input, goes through exactly there."""
    offered = set()
    for username, actor in sorted(cast.items()):
        for thing in things:
            actions = selectors.divergence_actions(actor=actor, divergence=thing)
            assert set(actions) == set(ACTIONS)
            for name, service in ACTIONS.items():
                did = _succeeds(
                    lambda actor=actor, thing=thing, service=service: service(actor, thing)
                )
                assert actions[name] is did, f"{name}: offered {actions[name]}, {username}"
                offered.add((name, did))
    assert offered == {(name, answer) for name in ACTIONS for answer in (True, False)}
