"""Loading charters into the database, the roadmap services and the ``charter`` command."""

import datetime as dt
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.accounts.services import user_create
from accord.errors import Conflict
from accord.events.models import Event
from accord.process import services
from accord.process.charter import CharterInvalid
from accord.process.models import Body, Delegation, Mechanism, Milestone, Process
from accord.process.services import (
    CharterRemovalRefused,
    charter_load,
    milestone_mark_met,
    milestones_flag_overdue,
)
from accord.process.tests.test_charter import BASE, edited, line_of

pytestmark = pytest.mark.django_db

DEFAULT = settings.BASE_DIR / "charters" / "islamabad-mou.yaml"
MULTILATERAL = settings.BASE_DIR / "charters" / "multilateral-example.yaml"

# Additions to BASE used by the reload tests.
EXTRA_PARTY = """\
  - code: OM
    name: Sultanate of Oman
    timezone: Asia/Muscat
    colour: "#db161b"
"""
EXTRA_BODIES = """\
  - code: WG-A
    name: Working Group A
    kind: working_group
    reports_to: HLC
    mandate: A.
    chair: {arrangement: facilitated, by: [PK]}

  - code: WG-B
    name: Working Group B
    kind: working_group
    reports_to: WG-A
    mandate: B.
    chair: {arrangement: facilitated, by: [QA]}

"""
EXTRA_MILESTONE = '    - {code: B-1, body: WG-B, due_day: 20, title: "B: report"}\n'


def write(tmp_path: Path, text: str, name: str = "charter.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def with_extra_bodies(text: str = BASE) -> str:
    text = edited("mechanisms:\n", EXTRA_BODIES + "mechanisms:\n", text=text)
    return text + EXTRA_MILESTONE


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Process, Delegation, Body, Mechanism, Milestone, Event)
    }


def pks(model, process) -> dict[str, int]:
    return dict(model.objects.filter(process=process).values_list("code", "pk"))


# --- Loading the shipped charters ----------------------------------------------------------


def test_the_default_charter_loads_the_whole_architecture():
    result = charter_load(path=DEFAULT)

    process = result.process
    assert result.status == "created"
    assert process.code == "islamabad-mou"
    parties = process.delegations.filter(kind=Delegation.Kind.PARTY)
    facilitators = process.delegations.filter(kind=Delegation.Kind.FACILITATOR)
    assert sorted(parties.values_list("code", flat=True)) == ["IR", "US"]
    assert sorted(facilitators.values_list("code", flat=True)) == ["PK", "QA"]
    bodies = {b.code: b for b in process.bodies.select_related("reports_to")}
    assert set(bodies) == {"HLC", "WG-NUC", "WG-SAN", "WG-CMP", "WG-VER", "WG-IMP"}
    assert bodies["HLC"].reports_to is None
    assert {b.reports_to.code for code, b in bodies.items() if code != "HLC"} == {"HLC"}
    assert set(bodies["HLC"].chairs.values_list("code", flat=True)) == {"PK", "QA"}
    assert process.mechanisms.count() == 3
    mcc = process.mechanisms.get(code="MCC")
    assert mcc.kind == Mechanism.Kind.MARITIME
    assert set(mcc.delegations.values_list("code", flat=True)) == {"US", "IR"}
    assert process.milestones.count() == 14
    assert result.counts()["milestones"] == {
        "created": 14,
        "updated": 0,
        "removed": 0,
        "unchanged": 0,
    }


def test_milestone_due_dates_count_the_roadmap_start_as_day_one():
    process = charter_load(path=DEFAULT).process

    for milestone in process.milestones.all():
        assert process.roadmap_day(milestone.due_on) == milestone.due_day


def test_milestone_dependencies_are_loaded():
    process = charter_load(path=DEFAULT).process

    hlc_1 = process.milestones.get(code="HLC-1")
    assert set(hlc_1.depends_on.values_list("code", flat=True)) == {
        "NUC-3",
        "SAN-3",
        "CMP-2",
        "VER-2",
        "IMP-2",
    }


def test_loading_appends_one_charter_loaded_event_with_the_sha256_and_counts():
    result = charter_load(path=DEFAULT)

    event = Event.objects.get(kind="CharterLoaded")
    assert event.subject == "process:islamabad-mou"
    assert event.scope == "shared"
    assert event.process_id == result.process.pk
    assert event.payload["sha256"] == result.sha256 == result.process.charter_sha256
    assert event.payload["counts"]["bodies"]["created"] == 6
    assert not Event.objects.filter(kind="CharterUpdated").exists()


def test_the_multilateral_example_loads_beside_the_default():
    charter_load(path=DEFAULT)

    result = charter_load(path=MULTILATERAL)

    process = result.process
    assert Process.objects.count() == 2
    assert process.delegations.filter(kind=Delegation.Kind.PARTY).count() >= 4
    assert process.bodies.get(code="WG-DATA").reports_to == process.bodies.get(code="WG-OPS")
    assert process.roadmap_length_days == 90
    hdx = process.mechanisms.get(code="HDX")
    assert hdx.settings["acknowledge_within_minutes"]["flash"] == 10
    assert hdx.facilitators_informed is False


# --- Invalid charters write nothing --------------------------------------------------------

BAD = {
    "typo in reports_to": (
        edited("    reports_to: HLC\n", "    reports_to: HCL\n"),
        "reports_to: HCL",
        "bodies[1].reports_to",
        "Did you mean 'HLC'?",
    ),
    "reports_to cycle": (
        edited(
            "    reports_to: HLC\n",
            "    reports_to: WG-NUC\n",
            text=edited("    reports_to: HLC\n", "    reports_to: WG-SAN\n"),
        ),
        "reports_to: WG-SAN",
        "bodies[1].reports_to",
        "WG-NUC → WG-SAN → WG-NUC",
    ),
    "duplicate code": (
        edited("  - code: WG-SAN\n", "  - code: WG-NUC  # again\n").replace(
            "body: WG-SAN", "body: WG-NUC"
        ),
        "# again",
        "bodies[2].code",
        "declared more than once",
    ),
    "unknown dependency": (
        edited("depends_on: [NUC-1]", "depends_on: [NUC-9]"),
        "NUC-9",
        "roadmap.milestones[1].depends_on[0]",
        "'NUC-9', which is not a milestone",
    ),
    "milestone cycle": (
        edited(
            "{code: NUC-1, body: WG-NUC, due_day: 10,",
            "{code: NUC-1, body: WG-NUC, due_day: 30, depends_on: [NUC-2],",
        ),
        "code: NUC-1",
        "roadmap.milestones[0].depends_on",
        "NUC-1 → NUC-2 → NUC-1",
    ),
    "bad date": (
        edited("  signed_on: 2026-11-14", "  signed_on: 2026-02-30"),
        "signed_on",
        "framework.signed_on",
        "is not a real date",
    ),
    "unknown key": (
        edited("    reports_to: HLC\n", "    reports_too: HLC\n"),
        "reports_too",
        "bodies[1].reports_too",
        "Did you mean 'reports_to'?",
    ),
    "yaml syntax": (
        edited("  - code: WG-NUC\n", "  - code: WG-NUC\n   name: [unclosed\n"),
        "[unclosed",
        "(document)",
        "not valid YAML",
    ),
    "zero parties": (
        # Mechanisms still name US and IR: reported too, beside the empty list.
        BASE[: BASE.index("parties:\n")] + "parties: []\n\n" + BASE[BASE.index("facilitators:") :],
        "parties: []",
        "parties",
        "at least one party",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_an_invalid_charter_is_reported_and_writes_nothing(tmp_path, case):
    charter_load(path=write(tmp_path, BASE, "loaded.yaml"))
    text, fragment, path, message_part = BAD[case]
    before = row_counts()

    with pytest.raises(CharterInvalid) as caught:
        charter_load(path=write(tmp_path, text))

    matching = [p for p in caught.value.problems if p.path == path]
    assert matching, "\n".join(map(str, caught.value.problems))
    assert matching[0].line == line_of(text, fragment)
    assert matching[0].file == str(tmp_path / "charter.yaml")
    assert message_part in matching[0].message
    assert row_counts() == before


# --- Reloading -----------------------------------------------------------------------------


def test_loading_the_same_charter_twice_changes_nothing(tmp_path):
    path = write(tmp_path, BASE)
    first = charter_load(path=path)
    before = row_counts()
    body_pks = pks(Body, first.process)

    second = charter_load(path=path)

    assert second.status == "unchanged"
    assert second.process.pk == first.process.pk
    assert not second.changed
    assert second.counts()["bodies"]["unchanged"] == 3
    assert row_counts() == before
    assert pks(Body, first.process) == body_pks


def test_a_changed_charter_updates_rows_in_place(tmp_path):
    path = write(tmp_path, BASE)
    process = charter_load(path=path).process
    before = {model: pks(model, process) for model in (Delegation, Body, Mechanism, Milestone)}
    text = edited("name: Working Group on Nuclear Matters", "name: Working Group on Nuclear Issues")
    text = with_extra_bodies(text)
    hlc_1 = next(line for line in text.splitlines(keepends=True) if "code: HLC-1" in line)
    text = edited(hlc_1, "", text=text)
    write(tmp_path, text)

    result = charter_load(path=path)

    assert result.status == "updated"
    assert result.bodies.updated == {"WG-NUC": ["name"]}
    assert sorted(result.bodies.created) == ["WG-A", "WG-B"]
    assert result.milestones.created == ["B-1"]
    assert result.milestones.removed == ["HLC-1"]
    assert Body.objects.get(process=process, code="WG-NUC").name == (
        "Working Group on Nuclear Issues"
    )
    assert Body.objects.get(process=process, code="WG-B").reports_to.code == "WG-A"
    after = {model: pks(model, process) for model in (Delegation, Body, Mechanism, Milestone)}
    for model, codes in before.items():
        kept = {code: pk for code, pk in codes.items() if code in after[model]}
        assert kept == {code: after[model][code] for code in kept}, model.__name__
    update = Event.objects.get(kind="CharterUpdated")
    assert update.payload["bodies"]["updated"] == {"WG-NUC": ["name"]}
    assert update.payload["milestones"]["removed"] == ["HLC-1"]
    assert Event.objects.filter(kind="CharterLoaded").count() == 2


def test_a_changed_roadmap_start_moves_every_due_date(tmp_path):
    path = write(tmp_path, BASE)
    process = charter_load(path=path).process
    write(tmp_path, edited("  starts_on: 2026-11-16", "  starts_on: 2026-11-20"))

    result = charter_load(path=path)

    process.refresh_from_db()
    assert result.process_fields == ["roadmap_starts_on"]
    assert set(result.milestones.updated) == {"NUC-1", "NUC-2", "SAN-1", "SAN-2", "HLC-1"}
    nuc_1 = process.milestones.get(code="NUC-1")
    assert nuc_1.due_on == dt.date(2026, 11, 29)


def test_a_body_and_its_milestones_and_sub_body_can_be_removed_together(tmp_path):
    """WG-B reports to WG-A and holds milestone B-1: removing all three is fine."""
    path = write(tmp_path, with_extra_bodies())
    process = charter_load(path=path).process
    write(tmp_path, BASE)

    result = charter_load(path=path)

    assert sorted(result.bodies.removed) == ["WG-A", "WG-B"]
    assert result.milestones.removed == ["B-1"]
    assert set(process.bodies.values_list("code", flat=True)) == {"HLC", "WG-NUC", "WG-SAN"}


def test_removing_a_body_holding_internal_notes_is_refused_and_rolled_back(tmp_path):
    from accord.notes.services import note_write

    path = write(tmp_path, with_extra_bodies())
    process = charter_load(path=path).process
    author = user_create(
        actor=None,
        username="us-expert",
        password="x" * 12,
        delegation="US",
        process=process.code,
    )
    note_write(actor=author, text="Our line on A.", body_code="WG-A")
    write(tmp_path, BASE)
    before = row_counts()

    with pytest.raises(CharterRemovalRefused) as caught:
        charter_load(path=path)

    assert caught.value.refusals == (
        services.REMOVAL_REFUSED.format(what="Body", code="WG-A", content="1 internal note"),
    )
    assert row_counts() == before
    assert process.milestones.filter(code="B-1").exists()


def test_removing_a_delegation_with_users_is_refused_and_rolled_back(tmp_path):
    path = write(tmp_path, edited("facilitators:\n", EXTRA_PARTY + "\nfacilitators:\n"))
    process = charter_load(path=path).process
    oman = process.delegations.get(code="OM")
    user_create(
        actor=None,
        username="om-head",
        password="x" * 12,
        delegation=oman.code,
        process=oman.process.code,
    )
    write(tmp_path, with_extra_bodies())  # also adds bodies: none of it may stay
    before = row_counts()

    with pytest.raises(CharterRemovalRefused) as caught:
        charter_load(path=path)

    assert caught.value.error_case is services.CHARTER_REMOVAL_REFUSED
    assert caught.value.message == services.CHARTER_REMOVAL_REFUSED.text(
        refusals=services.REMOVAL_REFUSED.format(what="Delegation", code="OM", content="1 user")
    )
    assert row_counts() == before
    assert not process.bodies.filter(code="WG-A").exists()


# --- Roadmap -------------------------------------------------------------------------------


def test_overdue_milestones_are_flagged_once_with_an_event_each(tmp_path):
    process = charter_load(path=write(tmp_path, BASE)).process
    day_12 = process.roadmap_starts_on + dt.timedelta(days=11)

    flagged = milestones_flag_overdue(today=day_12)
    again = milestones_flag_overdue(today=day_12)

    assert (flagged, again) == (2, 0)
    overdue = process.milestones.filter(status=Milestone.Status.OVERDUE)
    assert set(overdue.values_list("code", flat=True)) == {"NUC-1", "SAN-1"}
    assert all(m.flagged_overdue_at is not None for m in overdue)
    events = Event.objects.filter(kind="MilestoneOverdue")
    assert sorted(events.values_list("subject", flat=True)) == [
        "milestone:NUC-1",
        "milestone:SAN-1",
    ]
    assert set(events.values_list("scope", flat=True)) == {"shared"}


def _facilitator(process):
    """A member of the process's first facilitation team (who may record milestones)."""
    from accord.accounts.models import User

    existing = User.objects.filter(username="facilitator").first()
    if existing is not None:
        return existing
    delegation = process.delegations.filter(kind="facilitator").first()
    return user_create(
        actor=None,
        username="facilitator",
        password="x" * 12,
        delegation=delegation.code,
        process=delegation.process.code,
    )


def test_a_milestone_is_not_overdue_on_its_due_date(tmp_path):
    process = charter_load(path=write(tmp_path, BASE)).process
    nuc_1 = process.milestones.get(code="NUC-1")

    assert milestones_flag_overdue(today=nuc_1.due_on) == 0


def test_a_met_milestone_is_never_flagged_and_cannot_be_met_twice(tmp_path):
    process = charter_load(path=write(tmp_path, BASE)).process
    nuc_1 = process.milestones.get(code="NUC-1")

    met = milestone_mark_met(code="NUC-1", actor=_facilitator(process))
    flagged = milestones_flag_overdue(today=nuc_1.due_on + dt.timedelta(days=1))

    assert met.status == Milestone.Status.MET
    assert met.met_at is not None
    assert flagged == 1  # SAN-1 only
    assert Event.objects.filter(kind="MilestoneMet", subject="milestone:NUC-1").count() == 1
    with pytest.raises(Conflict):
        milestone_mark_met(code="NUC-1", actor=_facilitator(process))


def test_an_overdue_milestone_can_still_be_met(tmp_path):
    process = charter_load(path=write(tmp_path, BASE)).process
    nuc_1 = process.milestones.get(code="NUC-1")
    milestones_flag_overdue(today=nuc_1.due_on + dt.timedelta(days=1))

    met = milestone_mark_met(code="NUC-1", actor=_facilitator(process))

    assert met.status == Milestone.Status.MET
    assert Event.objects.get(kind="MilestoneMet").payload["was_overdue"] is True


def test_a_reload_keeps_milestone_status(tmp_path):
    path = write(tmp_path, BASE)
    process = charter_load(path=path).process
    milestone_mark_met(code="NUC-1", actor=_facilitator(process))
    write(tmp_path, edited('title: "Nuclear: issues"', 'title: "Nuclear: list of issues"'))

    charter_load(path=path)

    nuc_1 = process.milestones.get(code="NUC-1")
    assert (nuc_1.title, nuc_1.status) == ("Nuclear: list of issues", Milestone.Status.MET)


# --- The command ---------------------------------------------------------------------------


def test_charter_validate_prints_a_summary_for_a_valid_charter():
    out = StringIO()

    call_command("charter", "validate", str(DEFAULT), stdout=out)

    assert "valid charter" in out.getvalue()
    assert Process.objects.count() == 0


def test_charter_validate_prints_each_problem_and_fails(tmp_path):
    path = write(tmp_path, BAD["typo in reports_to"][0])
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("charter", "validate", str(path), stderr=err)

    assert caught.value.returncode == 1
    line = line_of(BAD["typo in reports_to"][0], "reports_to: HCL")
    assert err.getvalue().startswith(f"{path}:{line}: bodies[1].reports_to: Body 'WG-NUC'")


def test_charter_load_loads_and_reports_what_it_did():
    out = StringIO()

    call_command("charter", "load", str(DEFAULT), stdout=out)
    call_command("charter", "load", str(DEFAULT), stdout=out)

    assert "'islamabad-mou' created" in out.getvalue()
    assert "'islamabad-mou' unchanged" in out.getvalue()
    assert Process.objects.count() == 1


def test_charter_load_refuses_an_invalid_charter_without_writing(tmp_path):
    path = write(tmp_path, BAD["bad date"][0])

    with pytest.raises(CommandError):
        call_command("charter", "load", str(path), stderr=StringIO())

    assert Process.objects.count() == 0


def test_the_command_line_exits_1_with_file_line_messages_and_no_traceback(tmp_path):
    path = write(tmp_path, BAD["unknown key"][0])

    completed = subprocess.run(
        [sys.executable, "manage.py", "charter", "validate", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    line = line_of(BAD["unknown key"][0], "reports_too")
    assert completed.returncode == 1
    assert f"{path}:{line}: bodies[1].reports_too: 'reports_too' is not a key" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_only_facilitators_and_body_chairs_may_record_a_milestone_as_met(cast, islamabad):
    from accord.errors import NotFound, PermissionDenied
    from accord.process import access

    for username in ("us-head", "ir-expert"):
        with pytest.raises(PermissionDenied) as refused:
            milestone_mark_met(code="NUC-1", actor=cast[username])
        assert refused.value.error_case is services.MILESTONE_NOT_YOURS
    # Outside every process the milestone is not there at all.
    with pytest.raises(NotFound) as missing:
        milestone_mark_met(code="NUC-1", actor=cast["operator"])
    assert missing.value.error_case is access.MILESTONE_NOT_FOUND
    assert milestone_mark_met(code="NUC-1", actor=cast["qa-rapporteur"]).status == "met"
