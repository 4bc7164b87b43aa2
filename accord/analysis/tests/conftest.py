"""Fixtures for the analysis tests: the demo texts and a helper that scores every issue."""

from __future__ import annotations

import pytest

from accord.analysis import selectors, services
from accord.drafting.demo import ANNEX, FRAMEWORK, demo_content_ensure
from accord.drafting.models import Document


@pytest.fixture
def texts(cast, islamabad):
    demo_content_ensure(process=islamabad)
    return {
        "framework": Document.objects.get(title=FRAMEWORK),
        "annex": Document.objects.get(title=ANNEX),
    }


@pytest.fixture
def annex(texts):
    """The framework agreement (HLC: the heads of delegation and the facilitators read
    it), with three open option sets."""
    return texts["framework"]


def state(user, document, *, favour_first: bool, reservation: int = 0, share: bool = True):
    """``user``'s party scores every option of ``document``'s issues: the first options
    high if ``favour_first`` (else the last ones), every weight different."""
    found = selectors.document_issues(actor=user, document=document)
    weights = {i.key: 20 + 10 * (n % 7) for n, i in enumerate(found)}
    scores = {}
    for issue in found:
        k = len(issue.options)
        for o in issue.options:
            rank = o.index if favour_first else k - 1 - o.index
            scores[o.key] = round(100 * (k - 1 - rank) / max(1, k - 1))
    services.preference_save(
        actor=user,
        document_id=str(document.public_id),
        weights=weights,
        scores=scores,
        reservation=reservation,
    )
    if share:
        services.preference_share(actor=user, document_id=str(document.public_id), consent=True)
    return found
