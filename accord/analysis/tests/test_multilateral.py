"""Four parties (the multilateral example charter): the frontier, the solutions and the
pairwise charts over n > 2 parties, against brute force on the same problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.analysis import pareto, selectors, services
from accord.drafting import services as drafting_services
from accord.process.services import charter_load

CHARTER = Path(settings.BASE_DIR) / "charters" / "multilateral-example.yaml"
PARTIES = ["EG", "ET", "SD", "SS"]


@pytest.fixture
def basin(db):
    process = charter_load(path=str(CHARTER)).process
    demo_accounts_ensure(process=process)
    users = {u.username: u for u in User.objects.filter(delegation__process=process)}
    chair = users["au-chair"]
    document = drafting_services.document_create(
        actor=chair, body_code="PLN", title="Cooperative framework: filling rules"
    )
    for text in (
        "Filling shall take [4]{ET}[7]{EG}[10]{SD} years.",
        "Releases in drought years shall be [agreed annually]{ET}[fixed in an annex]{EG, SD}"
        "[set by the Commission]{SS}.",
        "Data shall be shared [daily]{EG}[weekly]{SS}[monthly]{ET}.",
        "Disputes go to [the Plenary]{ET}[arbitration]{EG}.",
    ):
        drafting_services.provision_add(
            actor=chair, document_id=str(document.public_id), kind="paragraph", text=text
        )
    weights = {"EG": [90, 70, 40, 50], "ET": [80, 40, 30, 60], "SD": [50, 80, 60, 20],
               "SS": [30, 50, 90, 40]}  # fmt: skip
    for n, code in enumerate(PARTIES):
        head = users[f"{code.lower()}-head"]
        found = selectors.document_issues(actor=head, document=document)
        scores = {}
        for issue in found:
            for o in issue.options:
                mine = code in o.sponsors
                scores[o.key] = 100 if mine else (30 + 17 * (o.index + n)) % 80
        services.preference_save(
            actor=head,
            document_id=str(document.public_id),
            weights={i.key: weights[code][k] for k, i in enumerate(found)},
            scores=scores,
            reservation=25,
        )
        services.preference_share(actor=head, document_id=str(document.public_id), consent=True)
    return document, users


def test_four_parties_get_the_exact_frontier_and_every_solution(basin):
    # Given four parties' shared preferences on four option sets
    document, users = basin
    analysis = selectors.analysis_of(actor=users["au-chair"], document=document)
    # then the analysis covers all four, and its frontier is the brute force's
    assert analysis.ready
    assert analysis.parties == PARTIES
    assert analysis.built is not None
    slow = pareto.frontier_by_enumeration(analysis.built.problem)
    assert [p.utilities for p in analysis.frontier] == [p.utilities for p in slow]
    # and each solution has a utility for every party
    for solution in analysis.solutions:
        assert solution.point is not None
        assert len(solution.shares) == 4


def test_the_facilitators_page_draws_one_chart_per_pair_of_parties(basin):
    # Given the four-party analysis, when the co-chair opens the frontier page
    document, users = basin
    client = Client()
    client.force_login(users["za-chair"])
    page = client.get(reverse("analysis:frontier", args=[document.public_id]))
    # then it draws the six pairwise charts and a table with a column per party
    assert page.status_code == 200
    assert page.text.count("<svg") == 6
    for code in PARTIES:
        assert f'<th class="num">{code}</th>' in page.text


def test_a_party_of_four_cannot_read_the_frontier(basin):
    # Given the four-party analysis, when Sudan asks for it, then there is none for it
    document, users = basin
    client = Client()
    client.force_login(users["sd-head"])
    assert client.get(reverse("analysis:frontier", args=[document.public_id])).status_code == 404
    assert client.get(f"/api/analysis/documents/{document.public_id}/frontier").status_code == 404
