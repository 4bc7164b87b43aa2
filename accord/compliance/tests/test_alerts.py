"""The red alert on every page when a compliance clock runs out, for those it concerns
only: a dispute stage and its convening (the facilitators and the two sides), a request
to convene (the facilitators and the side that asked), an access request (the
facilitators and the party concerned; the other party learns nothing of it)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.channels.selectors import alerts_for
from accord.compliance import services
from accord.compliance.alerts import KIND, STANDS_DAYS
from accord.compliance.models import AccessRequest
from accord.process.services import charter_load
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db

SITE = "Hall B of the enrichment plant"
BANNER = f'data-alert-kind="{KIND}"'


def _clocks(user) -> list:
    return alerts_for(actor=user).clocks


def _page(user) -> str:
    """Some page that has nothing to do with compliance: the banner is on every page."""
    client = Client()
    client.force_login(user)
    page = client.get("/notes/")
    assert page.status_code == 200
    return page.text


def test_a_dispute_stage_run_out_alerts_both_sides_and_the_facilitators_on_every_page(cast):
    # Given a complaint filed twenty days ago, its Joint Commission's 15 days run out
    filed = timezone.now() - dt.timedelta(days=20)
    dispute = services.dispute_file(
        actor=cast["ir-head"], title_text="Frozen funds", respondent_code="US", now=filed
    )
    for who in ("ir-head", "us-member", "pk-chair"):
        kinds = [a.sentence for a in _clocks(cast[who])]
        # (before the sweeper: the deadline has passed, and the joint body never convened)
        assert any("Joint Commission" in s for s in kinds), who
        assert any("has not convened" in s for s in kinds), who
    # When the sweeper moves it on to the ministers
    assert services.disputes_advance_overdue(now=timezone.now()) == 1
    # Then the alert stands for those concerned, on every page, red, with a link
    for who in ("ir-head", "us-member", "pk-chair", "qa-chair"):
        text = _page(cast[who])
        assert BANNER in text, who
        assert "Frozen funds: the time of the stage “Joint Commission” ran out." in text, who
        assert f"/compliance/disputes/{dispute.public_id}/" in text
    # And once the joint body convened, only the stage's alert is left; after the days
    # it stands, none
    services.dispute_convene(actor=cast["pk-chair"], dispute_id=dispute.public_id)
    assert [a.subject for a in _clocks(cast["ir-head"])] == [dispute.subject]
    dispute.stages.filter(expired=True).update(
        ended_at=timezone.now() - dt.timedelta(days=STANDS_DAYS + 1)
    )
    assert _clocks(cast["ir-head"]) == []
    assert BANNER not in _page(cast["ir-head"])


def test_an_access_request_run_out_alerts_the_party_concerned_and_never_the_other(cast):
    # Given the verifier's request for access to an Iranian site, its 14 days run out
    c = services.commitment_create(actor=cast["pk-chair"], party_code="IR", title_text="Cap")
    request = services.access_request_open(
        actor=cast["pk-verifier"], commitment_id=c.public_id, location=SITE
    )
    AccessRequest.objects.filter(pk=request.pk).update(
        stage_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    # Then Iran, the facilitators and the verifier are alerted on every page
    for who in ("ir-head", "ir-member", "pk-chair", "pk-verifier"):
        assert [a.subject for a in _clocks(cast[who])] == [request.subject], who
        assert BANNER in _page(cast[who]), who
    # When the sweeper moves it on (to the joint body), it still stands
    assert services.access_requests_advance_overdue(now=timezone.now()) == 1
    alert = _clocks(cast["ir-head"])[0]
    assert "Waiting for the joint body to decide" in alert.sentence
    # And the US learns nothing of it: no alert, no banner, no trace on the page
    for who in ("us-head", "us-member", "us-duty"):
        assert _clocks(cast[who]) == [], who
        text = _page(cast[who])
        assert BANNER not in text and "Access request on" not in text, who
        assert_learns_nothing_of_others(text, hidden=[request])


def test_a_request_to_convene_not_met_alerts_the_side_that_asked_and_the_facilitators(cast):
    past = timezone.now() - dt.timedelta(days=4)
    asked = services.convening_request(
        actor=cast["us-head"], title_text="Sanctions snapback", urgent=True, now=past
    )
    assert [a.subject for a in _clocks(cast["us-member"])] == [asked.subject]
    assert [a.subject for a in _clocks(cast["pk-chair"])] == [asked.subject]
    assert _clocks(cast["ir-head"]) == []
    services.convening_record(actor=cast["pk-chair"], request_id=asked.public_id)
    assert _clocks(cast["us-member"]) == []


@pytest.fixture
def basin(db):
    path = Path(settings.BASE_DIR) / "charters" / "multilateral-example.yaml"
    process = charter_load(path=str(path)).process
    demo_accounts_ensure(process=process)
    return {u.username: u for u in User.objects.filter(delegation__process=process)}


def test_with_four_parties_a_dispute_alerts_its_two_sides_not_the_others(basin):
    filed = timezone.now() - dt.timedelta(days=20)
    dispute = services.dispute_file(
        actor=basin["et-head"], title_text="Flow data", respondent_code="EG", now=filed
    )
    services.disputes_advance_overdue(now=timezone.now())
    for who in ("et-head", "eg-head", "au-chair"):
        assert dispute.subject in [a.subject for a in _clocks(basin[who])], who
    for who in ("sd-head", "ss-head"):
        assert _clocks(basin[who]) == [], who
