import pytest

from accord.drafting.demo import ANNEX, FRAMEWORK, demo_content_ensure
from accord.drafting.models import Document


@pytest.fixture
def texts(cast, islamabad):
    """The two demo documents: {"framework": Document, "annex": Document}."""
    demo_content_ensure(process=islamabad)
    return {
        "framework": Document.objects.get(title=FRAMEWORK),
        "annex": Document.objects.get(title=ANNEX),
    }
