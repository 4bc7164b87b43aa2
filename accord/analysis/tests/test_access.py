"""Each ``may_`` predicate of the analysis agrees with its service, for every demo role.

The service runs inside a transaction that is rolled back (``accord.testing.may``): it
accepts unless it refuses with ``PermissionDenied`` or ``NotFound``. The predicate must
say yes exactly where the service accepts, so a page offers an action only where the
service would go ahead.
"""

import pytest

from accord.analysis import access, selectors, services
from accord.analysis.tests.conftest import state
from accord.testing.may import service_accepts


@pytest.fixture
def things(cast, texts):
    """Both demo texts, the framework with both parties' preferences shared."""
    state(cast["us-head"], texts["framework"], favour_first=True)
    state(cast["ir-head"], texts["framework"], favour_first=False)
    return [texts["framework"], texts["annex"]]


CASES = {
    "state preferences": (
        access.may_state_preferences,
        lambda actor, d: services.preference_save(
            actor=actor, document_id=str(d.public_id), weights={}, scores={}, reservation=10
        ),
    ),
    "share preferences": (
        access.may_share_preferences,
        lambda actor, d: services.preference_share(
            actor=actor, document_id=str(d.public_id), consent=True
        ),
    ),
    "table a package": (
        access.may_table_package,
        lambda actor, d: services.package_table(
            actor=actor,
            document_id=str(d.public_id),
            package=[0] * len(selectors.document_issues(actor=actor, document=d)),
        ),
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
    assert answers == {True, False}, case


def test_who_may_read_the_frontier_agrees_with_the_analysis_access(cast, things):
    # For every role and text, may_analyse says yes exactly where the frontier is found
    answers = set()
    for username, actor in sorted(cast.items()):
        for document in things:
            said = access.may_analyse(actor, document)
            did = service_accepts(
                lambda actor=actor, d=document: access.analysis_access(actor, str(d.public_id))
            )
            assert said is did, f"may_analyse says {said}, the access {did}, for {username}"
            answers.add(said)
    assert answers == {True, False}


def test_parties_state_preferences_and_facilitators_read_the_frontier(cast, things):
    """A few cells by hand, so the agreement above is not agreement on nonsense."""
    framework = things[0]
    assert access.may_state_preferences(cast["us-head"], framework)
    assert not access.may_state_preferences(cast["pk-rapporteur"], framework)
    assert access.may_analyse(cast["pk-rapporteur"], framework)
    assert not access.may_analyse(cast["us-head"], framework)
    assert not access.may_analyse(cast["ir-head"], framework)
    assert not access.may_analyse(cast["operator"], framework)
    assert access.may_open_analysis(cast["ir-head"])
    assert not access.may_open_analysis(cast["operator"])
