"""The page forms for a party's planned activities, amendments of a notification and
evidence on an existing report: offered where their ``may_`` says yes, refused with what
was typed kept, and never a trace of them for those who may not see them."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accord.channels.services.attachments import AttachmentUpload
from accord.deconfliction import services
from accord.deconfliction.models import ConflictCheck, Evidence, Notification, PlannedActivity
from accord.deconfliction.tests.conftest import HOSPITAL, NEAR_HOSPITAL
from accord.testing.need_to_know import assert_learns_nothing_of_others

pytestmark = pytest.mark.django_db

ACTIVITY = "Exercise Olive at the ridge"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _local(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


# --- Planned activities ---------------------------------------------------------------------


def test_a_party_member_records_a_planned_activity_from_the_page_and_checks_it(cast, site, window):
    # Given a US member on the checks page, which offers the form
    client = _client(cast["us-member"])
    page = client.get("/deconfliction/checks")
    assert page.status_code == 200
    assert b"data-activity-form" in page.content
    # When they record an activity near the hospital and check it
    recorded = client.post(
        "/deconfliction/activities/new",
        {
            "title": ACTIVITY,
            "geometry": json.dumps(NEAR_HOSPITAL),
            "buffer_m": "100",
            "starts_at": _local(window[0]),
            "ends_at": _local(window[1]),
        },
    )
    activity = PlannedActivity.objects.get()
    checked = client.post("/deconfliction/checks", {"activity": str(activity.public_id)})
    # Then the activity is the US's own and its check finds the hospital
    assert recorded.status_code == 302
    assert activity.scope == "party:US"
    assert checked.status_code == 302
    check = ConflictCheck.objects.get()
    assert check.activity_id == activity.pk
    assert [c["notification"] for c in check.conflicts] == [str(site.public_id)]
    listed = client.get("/deconfliction/checks")
    assert listed.status_code == 200
    assert ACTIVITY.encode() in listed.content
    assert b"data-check-activity" in listed.content


def test_a_refused_planned_activity_comes_back_with_what_was_typed(cast, window):
    response = _client(cast["us-member"]).post(
        "/deconfliction/activities/new",
        {
            "title": ACTIVITY,
            "geometry": "{not json",
            "buffer_m": "100",
            "starts_at": _local(window[0]),
            "ends_at": _local(window[1]),
        },
    )
    assert response.status_code == 422
    assert ACTIVITY.encode() in response.content
    assert b'id="activity-geometry-error"' in response.content
    assert response.context["activity_form"].errors["geometry"]
    assert PlannedActivity.objects.count() == 0


@pytest.mark.parametrize("username", ["pk-duty", "pk-chair"])
def test_the_facilitators_are_not_offered_the_activity_form_and_are_refused(cast, username, window):
    client = _client(cast[username])
    page = client.get("/deconfliction/checks")
    assert page.status_code == 200
    assert b"data-activity-form" not in page.content
    refused = client.post(
        "/deconfliction/activities/new",
        {
            "title": ACTIVITY,
            "geometry": json.dumps(NEAR_HOSPITAL),
            "starts_at": _local(window[0]),
            "ends_at": _local(window[1]),
        },
    )
    assert refused.status_code == 403
    assert PlannedActivity.objects.count() == 0


@pytest.mark.parametrize("username", ["ir-head", "ir-member", "pk-duty", "pk-chair"])
def test_nobody_outside_the_party_learns_of_its_planned_activities(cast, window, username):
    # Given a US planned activity and its check
    activity = services.activity_record(
        actor=cast["us-member"],
        title=ACTIVITY,
        geometry=NEAR_HOSPITAL,
        buffer_m=0,
        starts_at=window[0],
        ends_at=window[1],
    )
    check = services.conflict_check(actor=cast["us-member"], activity_id=activity.public_id)
    client = _client(cast[username])
    # When anyone else reads the pages and lists, or tries to check the activity
    for url in ("/deconfliction/checks", "/api/deconfliction/activities"):
        response = client.get(url)
        # Then nothing of it shows, not even that it exists
        assert response.status_code == 200, url
        assert ACTIVITY.encode() not in response.content, url
        assert_learns_nothing_of_others(response.content, hidden=[activity, check], shown=0)
    attempt = client.post("/deconfliction/checks", {"activity": str(activity.public_id)})
    assert attempt.status_code in (403, 404)
    assert ConflictCheck.objects.count() == 1


# --- Amendments -----------------------------------------------------------------------------


def test_the_facilitators_amend_a_notification_from_its_page_and_it_is_superseded(cast, site):
    # Given the hospital transmitted; its page offers the facilitators the amendment, filled in
    client = _client(cast["pk-duty"])
    page = client.get(f"/deconfliction/notifications/{site.public_id}")
    assert page.status_code == 200
    assert b"data-amend-form" in page.content
    assert page.context["amend"].values["title"] == site.title
    # When they amend its buffer and transmit the amendment
    moved = {**HOSPITAL, "coordinates": [35.2040, 33.2707]}
    response = client.post(
        f"/deconfliction/notifications/{site.public_id}/amend",
        {
            "title": "Tyre Government Hospital (new wing)",
            "site_type": "hospital",
            "geometry": json.dumps(moved),
            "buffer_m": "450",
        },
    )
    amendment = Notification.objects.get(supersedes=site)
    assert response.status_code == 302
    assert response["Location"] == f"/deconfliction/notifications/{amendment.public_id}"
    assert amendment.buffer_m == 450
    transmitted = client.post(f"/deconfliction/notifications/{amendment.public_id}/transmit")
    # Then the original is superseded, and each page names the other
    assert transmitted.status_code == 302
    site.refresh_from_db()
    assert site.status == Notification.Status.SUPERSEDED
    original = _client(cast["us-duty"]).get(f"/deconfliction/notifications/{site.public_id}")
    assert original.status_code == 200
    assert f'data-amended-by="{amendment.public_id}"'.encode() in original.content
    assert b"data-amend-form" not in original.content
    new = client.get(f"/deconfliction/notifications/{amendment.public_id}")
    assert f'data-amends="{site.public_id}"'.encode() in new.content


def test_a_refused_amendment_comes_back_with_what_was_typed(cast, site):
    response = _client(cast["pk-duty"]).post(
        f"/deconfliction/notifications/{site.public_id}/amend",
        {
            "title": "Hospital annex",
            "site_type": "hospital",
            "geometry": "[1, 2",
            "buffer_m": "300",
        },
    )
    assert response.status_code == 422
    assert b"Hospital annex" in response.content
    assert b'id="amend-geometry-error"' in response.content
    assert not Notification.objects.filter(supersedes=site).exists()


def test_a_party_is_not_offered_the_amendment_and_does_not_see_one_before_it_is_transmitted(
    cast, site
):
    # Given an amendment the facilitators have recorded but not transmitted
    amendment = services.notification_submit(
        actor=cast["pk-duty"],
        organisation_id=site.organisation.public_id,
        kind="site",
        title="Hospital annex",
        site_type="hospital",
        geometry=HOSPITAL,
        buffer_m=500,
        supersedes_id=site.public_id,
    )
    client = _client(cast["us-duty"])
    # When a party reads the original
    page = client.get(f"/deconfliction/notifications/{site.public_id}")
    # Then no amendment form, and no trace of the amendment
    assert page.status_code == 200
    assert b"data-amend-form" not in page.content
    assert b"Hospital annex" not in page.content
    assert_learns_nothing_of_others(page.content, hidden=[amendment], shown=0)
    refused = client.post(
        f"/deconfliction/notifications/{site.public_id}/amend",
        {"title": "Mine", "site_type": "hospital", "geometry": json.dumps(HOSPITAL)},
    )
    assert refused.status_code == 403
    # And once the amendment is pending, the facilitators are not offered a second one
    again = _client(cast["pk-duty"]).get(f"/deconfliction/notifications/{site.public_id}")
    assert b"data-amend-form" not in again.content


# --- Evidence on an existing report ---------------------------------------------------------


@pytest.fixture
def ir_report(cast):
    return services.violation_report(
        actor=cast["ir-member"],
        occurred_at=timezone.now(),
        location=HOSPITAL,
        description="Strike near the hospital.",
        evidence=[AttachmentUpload("first.txt", b"first")],
    )


@pytest.mark.parametrize("username", ["ir-member", "pk-chair"])
def test_the_reporting_side_and_the_chairs_add_evidence_and_see_its_sha256(
    cast, ir_report, username
):
    client = _client(cast[username])
    page = client.get(f"/deconfliction/reports/{ir_report.public_id}")
    assert page.status_code == 200
    assert b"data-evidence-form" in page.content
    content = b"photograph notes, 14:05"
    response = client.post(
        f"/deconfliction/reports/{ir_report.public_id}/evidence",
        {"evidence": SimpleUploadedFile("notes.txt", content)},
    )
    assert response.status_code == 302
    added = Evidence.objects.get(filename="notes.txt")
    assert added.scope == ir_report.scope
    shown = client.get(f"/deconfliction/reports/{ir_report.public_id}")
    assert hashlib.sha256(content).hexdigest().encode() in shown.content


def test_a_refused_evidence_file_comes_back_with_the_reason_beside_the_field(cast, ir_report):
    response = _client(cast["ir-member"]).post(
        f"/deconfliction/reports/{ir_report.public_id}/evidence",
        {"evidence": SimpleUploadedFile("empty.txt", b"")},
    )
    assert response.status_code == 422
    assert b'id="evidence-error"' in response.content
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("username", ["us-head", "us-member", "ir-expert"])
def test_the_other_party_cannot_see_or_add_evidence_and_a_closed_report_takes_none(
    cast, ir_report, username
):
    client = _client(cast[username])
    evidence = Evidence.objects.get()
    if username.startswith("us"):
        # The other party: the report answers like a missing one, by every route
        assert client.get(f"/deconfliction/reports/{ir_report.public_id}").status_code == 404
        refused = client.post(
            f"/deconfliction/reports/{ir_report.public_id}/evidence",
            {"evidence": SimpleUploadedFile("mine.txt", b"mine")},
        )
        assert refused.status_code == 404
        listing = client.get("/deconfliction/reports")
        assert listing.status_code == 200
        assert_learns_nothing_of_others(listing.content, hidden=[ir_report, evidence], shown=0)
    else:
        # The reporting side, once the chairs have closed it: no form any more
        for step, extra in (("review", {}), ("determine", {"finding": "inconclusive"})):
            services.violation_step(
                actor=cast["pk-chair"], report_id=ir_report.public_id, step=step, **extra
            )
        services.violation_step(actor=cast["pk-chair"], report_id=ir_report.public_id, step="close")
        page = client.get(f"/deconfliction/reports/{ir_report.public_id}")
        assert page.status_code == 200
        assert b"data-evidence-form" not in page.content
        refused = client.post(
            f"/deconfliction/reports/{ir_report.public_id}/evidence",
            {"evidence": SimpleUploadedFile("late.txt", b"late")},
        )
        assert refused.status_code == 403
    assert Evidence.objects.count() == 1
