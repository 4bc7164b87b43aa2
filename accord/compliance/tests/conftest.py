"""The compliance app's test data: the demo texts and the compliance demo, seeded
through the services."""

import pytest

from accord.compliance import demo as compliance_demo
from accord.drafting import demo as drafting_demo


@pytest.fixture
def seeded(islamabad, cast):
    """The Islamabad process with the drafting and compliance demo content."""
    drafting_demo.demo_content_ensure(process=islamabad)
    compliance_demo.demo_content_ensure(process=islamabad)
    return islamabad
