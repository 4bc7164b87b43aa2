"""A head of delegation leads the delegation's work in every body (decision 0079): the
policy, the pages they are offered and what they can open agree."""

import re

import pytest
from django.test import Client

from accord.accounts import access
from accord.accounts.models import Appointment, Role
from accord.accounts.selectors import appointment_list
from accord.drafting import access as drafting_access
from accord.drafting.models import Document
from accord.process.models import Body
from accord.testing.need_to_know import assert_learns_nothing_of_others

START_PAGES = ["/", "/drafting/", "/meetings/", "/divergences/", "/roadmap/"]
NOT_PAGES = ("/accounts/logout", "/i18n/", "/static/", "/admin/", "/events/stream")


@pytest.fixture
def demo(cast, islamabad):
    from accord.channels import demo as channels_demo
    from accord.divergences import demo as divergences_demo
    from accord.drafting import demo as drafting_demo
    from accord.meetings import demo as meetings_demo

    for app in (drafting_demo, divergences_demo, meetings_demo, channels_demo):
        app.demo_content_ensure(process=islamabad)
    return cast


def _links(html: str) -> set[str]:
    return {
        href for href in re.findall(r'href="(/[^"#?]*)', html) if not href.startswith(NOT_PAGES)
    }


def test_a_head_of_delegation_is_cleared_for_every_body_of_the_process(cast, islamabad):
    codes = set(Body.objects.filter(process=islamabad).values_list("code", flat=True))
    for username in ("us-head", "ir-head"):
        granted = access.clearance(cast[username]).scopes
        assert {access.body_scope(code) for code in codes} <= granted, username
        assert "party:US" not in granted or username == "us-head"
    # Not a member, nor anyone appointed to a body without the headship.
    assert not any(s.startswith("body:") for s in access.clearance(cast["us-member"]).scopes)


def test_a_head_opens_the_nuclear_annex_the_pages_list_for_them(demo):
    """The symptom of issue 13: the annex was listed with its open items and answered
    "There is no such document"."""
    annex = Document.objects.get(body__code="WG-NUC")
    for username in ("us-head", "ir-head"):
        client = Client()
        client.force_login(demo[username])
        listed = client.get("/drafting/")
        assert listed.status_code == 200
        assert str(annex.public_id) in listed.text, username
        opened = client.get(f"/drafting/{annex.public_id}/")
        assert opened.status_code == 200, username
        assert drafting_access.document_access(demo[username], annex.public_id) == annex


@pytest.mark.parametrize("username", ["us-head", "ir-head"])
def test_every_page_a_head_is_offered_opens(demo, username):
    """Every link on the pages a head starts from answers (no "no such document")."""
    client = Client()
    client.force_login(demo[username])
    offered: set[str] = set()
    for start in START_PAGES:
        page = client.get(start)
        assert page.status_code == 200, start
        offered |= _links(page.text)
    broken = {href: client.get(href).status_code for href in sorted(offered)}
    assert {href: status for href, status in broken.items() if status >= 400} == {}


def test_a_head_still_learns_nothing_of_the_other_partys_internal_material(demo):
    """Sitting in every body widens a head's bodies, never the other party's scope."""
    from accord.notes.services import note_write

    note = note_write(actor=demo["us-expert"], text="Hold at 3.67 ZZTOP", body_code="WG-NUC")
    client = Client()
    client.force_login(demo["ir-head"])
    for start in [*START_PAGES, "/bodies/WG-NUC/"]:
        page = client.get(start)
        assert page.status_code == 200, start
        assert "ZZTOP" not in page.text
        assert_learns_nothing_of_others(page.text, hidden=[note])


def test_a_body_lists_the_heads_of_delegation_among_its_members_once(cast, islamabad):
    for code in ("HLC", "WG-NUC"):
        body = Body.objects.get(process=islamabad, code=code)
        members = list(appointment_list(body=body))
        heads = [a.user.username for a in members if a.role == Role.HEAD_OF_DELEGATION]
        assert sorted(heads) == ["ir-head", "us-head"], code
    # The appointments stay as they were: the headship, not a row per body.
    assert not Appointment.objects.filter(user=cast["us-head"], body__code="WG-NUC").exists()
