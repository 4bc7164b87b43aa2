"""Milestone statuses and extensions, the overview, its pages and API."""

import datetime as dt
import shutil

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.process import access, selectors, services
from accord.process.models import Milestone
from accord.testing.charters import default_charter_copy

D = dt.date


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _milestone(code: str) -> Milestone:
    return Milestone.objects.get(code=code)


def test_an_hlc_co_chair_extends_a_milestone_and_the_original_date_stays(cast):
    # Given NUC-2, due on day 30 (15 Dec)
    nuc2 = _milestone("NUC-2")
    assert nuc2.due_on == D(2026, 12, 15)

    # When the HLC co-chair records the extension twice
    services.milestone_extend(
        code=nuc2.code,
        new_due_on=D(2026, 12, 22),
        reason="Technical consultations in capitals",
        decision_ref="HLC session 3, decision 2",
        actor=cast["pk-chair"],
    )
    row = services.milestone_extend(
        code="NUC-2",
        new_due_on=D(2026, 12, 29),
        reason="Holiday period",
        actor=cast["qa-chair"],
    )

    # Then the first date is the original one, each decision is on record, with events
    assert (row.status, row.due_on, row.original_due_on) == (
        "extended",
        D(2026, 12, 29),
        D(2026, 12, 15),
    )
    assert [(e.previous_due_on, e.new_due_on) for e in row.extensions.all()] == [
        (D(2026, 12, 15), D(2026, 12, 22)),
        (D(2026, 12, 22), D(2026, 12, 29)),
    ]
    events = Event.objects.filter(kind="MilestoneExtended").order_by("seq")
    assert [e.payload["new_due_on"] for e in events] == ["2026-12-22", "2026-12-29"]
    assert events[0].payload["reason"] == "Technical consultations in capitals"
    assert all(e.scope == "shared" for e in events)


@pytest.mark.parametrize("username", ["us-head", "ir-expert", "pk-verifier"])
def test_only_the_oversight_bodys_chairs_and_rapporteurs_extend(cast, username):
    with pytest.raises(PermissionDenied) as refused:
        services.milestone_extend(
            code="NUC-2",
            new_due_on=D(2026, 12, 22),
            reason="r",
            actor=cast[username],
        )
    assert refused.value.error_case is services.MILESTONE_EXTEND_NOT_YOURS
    assert not Event.objects.filter(kind="MilestoneExtended").exists()


def test_someone_outside_every_process_finds_no_milestone_to_extend(cast):
    with pytest.raises(NotFound) as missing:
        services.milestone_extend(
            code="NUC-2", new_due_on=D(2026, 12, 22), reason="r", actor=cast["operator"]
        )
    assert missing.value.error_case is access.MILESTONE_NOT_FOUND


def test_a_rapporteur_of_the_hlc_may_record_its_decision(cast):
    row = services.milestone_extend(
        code="SAN-2",
        new_due_on=D(2026, 12, 20),
        reason="Agreed at the HLC",
        actor=cast["pk-rapporteur"],
    )
    assert row.status == "extended"


def test_an_extension_needs_a_later_date_and_a_reason_and_an_unmet_milestone(cast):
    chair = cast["pk-chair"]
    with pytest.raises(ValidationFailed, match="must be after"):
        services.milestone_extend(code="NUC-2", new_due_on=D(2026, 12, 15), reason="r", actor=chair)
    with pytest.raises(ValidationFailed, match="reason"):
        services.milestone_extend(
            code="NUC-2", new_due_on=D(2026, 12, 20), reason="  ", actor=chair
        )
    services.milestone_mark_met(code="NUC-1", actor=chair)
    with pytest.raises(Conflict):
        services.milestone_extend(code="NUC-1", new_due_on=D(2026, 12, 20), reason="r", actor=chair)
    assert _milestone("NUC-2").original_due_on is None


def test_an_overdue_milestone_extended_becomes_extended_then_overdue_again_once(cast):
    assert services.milestones_flag_overdue(today=D(2026, 11, 26)) == 2  # NUC-1, SAN-1
    row = services.milestone_extend(
        code="NUC-1",
        new_due_on=D(2026, 11, 30),
        reason="Late nominations of experts",
        actor=cast["pk-chair"],
    )
    assert row.status == "extended"
    assert services.milestones_flag_overdue(today=D(2026, 11, 30)) == 0
    # NUC-1 again, with CMP-1 and VER-1 (due 30 Nov); a second run flags nothing.
    assert services.milestones_flag_overdue(today=D(2026, 12, 1)) == 3
    assert services.milestones_flag_overdue(today=D(2026, 12, 1)) == 0
    assert _milestone("NUC-1").status == "overdue"
    assert Event.objects.filter(kind="MilestoneOverdue", subject="milestone:NUC-1").count() == 2


def test_a_charter_reload_keeps_the_extended_date_and_updates_the_original(cast, tmp_path):
    services.milestone_extend(
        code="HLC-2",
        new_due_on=D(2027, 1, 30),
        reason="Comprehensive text needs more time",
        actor=cast["pk-chair"],
    )
    path = default_charter_copy(tmp_path)
    text = path.read_text()
    text = text.replace("due_day: 60, depends_on: [HLC-1]", "due_day: 59, depends_on: [HLC-1]")
    path.write_text(text)

    services.charter_load(path=path)

    row = _milestone("HLC-2")
    assert (row.due_on, row.original_due_on, row.due_day) == (D(2027, 1, 30), D(2027, 1, 13), 59)


def test_the_escalation_ladder_is_loaded_from_the_charter(islamabad):
    assert islamabad.escalation_next("WG-NUC") == ("HLC", 14)
    assert islamabad.escalation_next("HLC") == ("principals", 21)
    assert islamabad.escalation_next("principals") is None
    assert islamabad.principals_label.startswith("Principals")


def test_the_overview_flags_milestones_at_risk_and_names_why(cast):
    # Given NUC-1 overdue and NUC-2 extended past SAN-3's dependency date
    services.milestones_flag_overdue(today=D(2026, 11, 26))
    services.milestone_extend(
        code="NUC-2",
        new_due_on=D(2027, 1, 2),
        reason="r",
        actor=cast["pk-chair"],
    )

    overview = selectors.roadmap_overview(actor=cast["us-head"], today=D(2026, 11, 26))
    views = overview.by_code()

    assert views["NUC-1"].health == "overdue"
    assert views["NUC-2"].health == "at_risk"
    assert "NUC-1 is overdue" in views["NUC-2"].reasons
    assert views["SAN-3"].health == "at_risk"
    assert any("NUC-2 is now due after it" in r for r in views["SAN-3"].reasons)
    # NUC-2 now drives the end of the roadmap.
    assert "NUC-2" in overview.critical_path
    assert overview.counts["overdue"] == 2
    assert [v.code for v in overview.next_milestones][:2] == ["NUC-1", "SAN-1"]
    assert {f.body.code for f in overview.forecasts} == {
        "WG-NUC",
        "WG-SAN",
        "WG-CMP",
        "WG-VER",
        "WG-IMP",
    }


def test_the_forecast_degrades_to_no_data_without_drafting(cast):
    overview = selectors.roadmap_overview(actor=cast["us-head"], today=D(2026, 11, 26))
    assert all(
        f.forecast.status in ("no_data", "clean", "stalled", "on_track", "late")
        for f in overview.forecasts
    )


def test_the_home_page_shows_day_n_next_milestones_critical_path_forecast_and_charts(
    cast, time_machine_today
):
    time_machine_today(D(2026, 11, 25))
    page = _client(cast["ir-head"]).get(reverse("process:home")).text
    assert "Day 10 of 60" in page
    assert 'data-next-milestone="NUC-1"' in page
    assert "data-critical-path" in page and "HLC-1 → HLC-2" in page
    assert 'data-forecast-body="WG-NUC"' in page
    assert "<svg" in page and "class='chart gantt'" in page and "class='chart burndown'" in page
    assert page.count("data-milestone=") == 14


def test_the_roadmap_page_records_an_extension_and_shows_both_dates(cast, time_machine_today):
    time_machine_today(D(2026, 11, 25))
    client = _client(cast["qa-chair"])
    response = client.post(
        reverse("process:milestone-extend"),
        {"code": "VER-1", "new_due_on": "2026-12-07", "reason": "Verifier not yet designated"},
    )
    assert response.status_code == 302
    page = client.get(reverse("process:roadmap")).text
    assert 'data-extension="VER-1"' in page
    assert "Verifier not yet designated" in page
    assert '<del class="original-date"' in page
    assert "class='original-date'" in page  # the Gantt's hollow diamond


def test_bad_extension_input_is_a_message_not_a_500(cast):
    client = _client(cast["qa-chair"])
    back = reverse("process:roadmap")
    for data in (
        {"code": "VER-1", "new_due_on": "2026-02-30", "reason": "r"},
        {"code": "VER-1", "new_due_on": "2026-12-30", "reason": ""},
    ):
        # The form carries where to come back to, as the roadmap page's does.
        response = client.post(reverse("process:milestone-extend"), {**data, "next": back})
        assert response.status_code == 302
        assert response["Location"] == back
        page = client.get(back)
        assert page.status_code == 200
        assert "messages" in page.text
    unknown = {"code": "NOPE", "new_due_on": "2026-12-30", "reason": "r", "next": back}
    assert client.post(reverse("process:milestone-extend"), unknown).status_code == 404
    assert not Event.objects.filter(kind="MilestoneExtended").exists()


def test_a_party_delegate_cannot_extend_through_the_page_or_the_api(cast):
    client = _client(cast["us-head"])
    client.post(
        reverse("process:milestone-extend"),
        {"code": "VER-1", "new_due_on": "2026-12-30", "reason": "r"},
    )
    response = client.post(
        "/api/milestones/VER-1/extend",
        {"new_due_on": "2026-12-30", "reason": "r"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Event.objects.filter(kind="MilestoneExtended").exists()


def test_the_api_gives_health_critical_path_forecast_and_extends(cast):
    client = _client(cast["pk-chair"])
    response = client.post(
        "/api/milestones/IMP-1/extend",
        {"new_due_on": "2026-12-10", "reason": "Awaiting compliance principles"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "extended"
    assert response.json()["original_due_on"] == "2026-12-05"
    overview = client.get("/api/roadmap/overview", {"today": "2026-11-25"}).json()
    assert overview["day"] == 10
    assert overview["critical_path"][-1] == "HLC-2"
    imp1 = next(m for m in overview["milestones"] if m["code"] == "IMP-1")
    assert imp1["health"] == "extended"
    assert imp1["extensions"][0]["reason"] == "Awaiting compliance principles"
    assert {f["body"] for f in overview["forecasts"]} >= {"WG-NUC"}
    bad = client.post(
        "/api/milestones/IMP-1/extend",
        {"new_due_on": "not a date", "reason": "r"},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_the_charts_are_served_as_svg(cast):
    client = _client(cast["us-expert"])
    for name in ("process:gantt-svg", "process:burndown-svg"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert response.content.startswith(b"<svg")
    assert _client(cast["operator"]).get(reverse("process:gantt-svg")).status_code == 404


def test_the_default_charter_copy_is_untouched(tmp_path):
    """Guard: the tests above copy the charter, never edit it in place."""
    copy = tmp_path / "c.yaml"
    shutil.copy(settings.ACCORD_DEFAULT_CHARTER, copy)
    assert "escalation:" in copy.read_text()
