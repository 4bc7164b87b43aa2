"""The need-to-know matrix: every demo role against every visibility scope.

The expected table is written out by hand (not derived from ``access``), so a change
to the policy that widens or narrows any cell fails here.
"""

import pytest
from django.db import transaction

from accord.accounts import access
from accord.events.selectors import event_list
from accord.events.services import event_append

WGS = ["body:WG-NUC", "body:WG-SAN", "body:WG-CMP", "body:WG-VER", "body:WG-IMP"]
ALL_SCOPES = [
    "shared",
    "facilitators",
    "party:US",
    "party:IR",
    "party:PK",
    "party:QA",
    "caucus:US",
    "caucus:IR",
    "body:HLC",
    *WGS,
    "mechanism:DCC",
    "mechanism:MCC",
    "mechanism:LDM",
]


def _party(code: str) -> set[str]:
    return {"shared", f"party:{code}", f"caucus:{code}"}


def _facilitator(code: str) -> set[str]:
    return {"shared", f"party:{code}", "facilitators", "caucus:US", "caucus:IR"}


EXPECTED: dict[str, set[str]] = {
    # A head of delegation sits in every body by the headship (decision 0079).
    "us-head": _party("US") | {"body:HLC", *WGS, "mechanism:DCC"},
    "us-member": _party("US"),
    "us-expert": _party("US") | set(WGS),
    "us-duty": _party("US") | {"mechanism:DCC", "mechanism:MCC", "mechanism:LDM"},
    "us-observer": _party("US") | {"mechanism:LDM"},
    "ir-head": _party("IR") | {"body:HLC", *WGS, "mechanism:DCC"},
    "ir-member": _party("IR"),
    "ir-expert": _party("IR") | set(WGS),
    "ir-duty": _party("IR") | {"mechanism:DCC", "mechanism:MCC", "mechanism:LDM"},
    "ir-observer": _party("IR") | {"mechanism:LDM"},
    "pk-chair": _facilitator("PK") | {"body:HLC", "body:WG-NUC", "body:WG-CMP", "body:WG-IMP"},
    "pk-rapporteur": _facilitator("PK") | {"body:HLC", *WGS},
    "pk-verifier": _facilitator("PK") | {"body:WG-VER"},
    "pk-duty": _facilitator("PK") | {"mechanism:LDM"},
    "pk-observer": _facilitator("PK") | {"mechanism:LDM"},
    "qa-chair": _facilitator("QA") | {"body:HLC", "body:WG-SAN", "body:WG-VER"},
    "qa-rapporteur": _facilitator("QA") | {"body:HLC", *WGS},
    "qa-verifier": _facilitator("QA") | {"body:WG-VER"},
    "qa-duty": _facilitator("QA") | {"mechanism:LDM"},
    "qa-observer": _facilitator("QA") | {"mechanism:LDM"},
    "operator": set(),
}


def test_the_demo_cast_is_exactly_the_matrix_rows(cast):
    """Every demo account has a row in the expected table, and every row an account."""
    assert set(cast) == set(EXPECTED)


def test_each_role_sees_exactly_its_scopes(cast, islamabad):
    """All 21 x 17 cells; the failure lists every wrong cell, not just the first."""
    wrong = [
        (username, scope, expected_scopes.__contains__(scope))
        for username, expected_scopes in EXPECTED.items()
        for scope in ALL_SCOPES
        if access.can_see(cast[username], process_id=islamabad.pk, scope=scope)
        is not (scope in expected_scopes)
    ]
    assert wrong == [], "cells (user, scope, expected) that disagree"


def test_restrict_returns_exactly_the_visible_rows_for_every_user(cast, islamabad):
    """One event per scope: each user's event list holds exactly their cells of the matrix."""
    with transaction.atomic():
        for scope in ALL_SCOPES:
            event_append(
                kind="MatrixProbe", subject=f"probe:{scope}", scope=scope, process=islamabad
            )
    for username, expected in EXPECTED.items():
        seen = set(
            event_list(actor=cast[username])
            .filter(kind="MatrixProbe")
            .values_list("scope", flat=True)
        )
        assert seen == expected, username


def test_party_internal_material_is_hidden_from_facilitators_and_the_other_party(cast, islamabad):
    for username in ("ir-head", "ir-expert", "pk-chair", "qa-rapporteur", "operator"):
        assert not access.can_see(cast[username], process_id=islamabad.pk, scope="party:US")


def test_inactive_and_anonymous_users_see_nothing(cast, islamabad):
    from django.contrib.auth.models import AnonymousUser

    user = cast["us-head"]
    user.is_active = False
    assert access.clearance(user).scopes == frozenset()
    assert access.clearance(AnonymousUser()).scopes == frozenset()
    assert not access.can_see(None, process_id=islamabad.pk, scope="shared")


def test_scopes_do_not_reach_across_processes(cast, islamabad):
    """A user of one process sees nothing of another, whatever the scope names."""
    from django.conf import settings

    from accord.process.services import charter_load

    other = charter_load(path=settings.BASE_DIR / "charters" / "multilateral-example.yaml")
    for username in ("us-head", "pk-chair"):
        assert not access.can_see(cast[username], process_id=other.process.pk, scope="shared")


@pytest.mark.parametrize("bad", ["", "party", "party:", "secret:US", "body", "everyone"])
def test_malformed_scopes_are_refused(bad):
    with pytest.raises(ValueError):
        access.parse_scope(bad)


def test_a_head_of_delegation_is_appointed_in_the_delegation_itself(cast):
    from accord.accounts.models import Appointment, Role

    head, member = cast["us-head"], cast["us-member"]
    us = head.delegation
    assert access.is_head_of(head) and access.is_head_of(head, us)
    assert access.is_head_of(head, "US") and not access.is_head_of(head, "IR")
    assert not access.is_head_of(cast["ir-head"], us)
    # The role held only in a body is a seat there, not the headship of the delegation.
    body = us.process.bodies.first()
    Appointment.objects.create(user=member, role=Role.HEAD_OF_DELEGATION, body=body)
    assert not access.is_head_of(member, us)
    assert access.holds_role(member, Role.HEAD_OF_DELEGATION, body=body)
    assert Role.HEAD_OF_DELEGATION in access.roles_held(member, body=body)
    assert list(access.heads_of(us)) == [head]
    assert not access.is_head_of(None) and not access.holds_role(None, Role.MEMBER)
