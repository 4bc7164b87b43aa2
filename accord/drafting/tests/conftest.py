"""Fixtures for the drafting tests: the demo texts, seeded through the real services."""

import pytest

from accord.drafting.demo import ANNEX, FRAMEWORK, demo_content_ensure
from accord.drafting.models import Document, Provision


@pytest.fixture
def texts(cast, islamabad):
    """The two demo documents: {"framework": Document, "annex": Document}."""
    demo_content_ensure(process=islamabad)
    return {
        "framework": Document.objects.get(title=FRAMEWORK),
        "annex": Document.objects.get(title=ANNEX),
    }


@pytest.fixture
def annex(texts):
    return texts["annex"]


def by_label(document, label):
    return Provision.objects.get(document=document, label=label)
