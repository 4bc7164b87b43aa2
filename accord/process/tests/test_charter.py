"""Parsing and validating charters: pure, no database.

Bad charters are ``BASE`` (a small charter shaped like the default one) with one edit, so
each test shows exactly what is wrong. Line numbers are looked up in the edited text, not
hard-coded. The shipped charters are only checked for validity and shape, so editing their
wording never breaks these tests.
"""

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from accord.process import charter as c
from accord.process.charter import CharterInvalid, CharterProblem, charter_parse, charter_read
from accord.testing.charters import default_charter_copy

CHARTERS = Path(__file__).resolve().parents[3] / "charters"
DEFAULT = CHARTERS / "islamabad-mou.yaml"
MULTILATERAL = CHARTERS / "multilateral-example.yaml"

BASE = """\
charter_version: 1

framework:
  code: test-mou
  name: Test Memorandum of Understanding
  short_name: Test MoU
  description: A process for tests.
  signed_on: 2026-11-14
  starts_on: 2026-11-14
  timezone: Asia/Karachi

parties:
  - code: US
    name: United States of America
    short_name: United States
    language: en
    timezone: America/New_York
    colour: "#1f4e9c"
  - code: IR
    name: Islamic Republic of Iran
    short_name: Iran
    language: fa
    timezone: Asia/Tehran
    colour: "#1b7a3a"

facilitators:
  - code: PK
    name: Islamic Republic of Pakistan
    short_name: Pakistan
    timezone: Asia/Karachi
    colour: "#0b6b4f"
  - code: QA
    name: State of Qatar
    short_name: Qatar
    timezone: Asia/Qatar
    colour: "#7a1f3d"

bodies:
  - code: HLC
    name: High-Level Committee
    kind: committee
    mandate: Strategic oversight.
    chair:
      arrangement: co_chairs
      by: [PK, QA]
    member_roles: [head_of_delegation, co_chair, rapporteur]

  - code: WG-NUC
    name: Working Group on Nuclear Matters
    kind: working_group
    reports_to: HLC
    mandate: Nuclear proposals.
    chair: {arrangement: facilitated, by: [PK, QA]}
    member_roles: [expert, rapporteur]

  - code: WG-SAN
    name: Working Group on Sanctions Relief
    kind: working_group
    reports_to: HLC
    mandate: Sanctions relief proposals.
    chair: {arrangement: facilitated, by: [QA, PK]}
    member_roles: [expert, rapporteur, verifier]

mechanisms:
  - code: DCC
    name: Direct Communication Channel
    kind: direct
    purpose: A standing line between the parties.
    delegations: [US, IR]
    member_roles: [head_of_delegation, duty_officer]
  - code: MCC
    name: Maritime Communication Channel
    kind: maritime
    area: Strait of Hormuz
    purpose: Incidents at sea.
    delegations: [US, IR, PK, QA]
    settings: {link_test_interval_hours: 24}

roadmap:
  title: 60-day roadmap
  starts_on: 2026-11-16
  length_days: 60
  milestones:
    - {code: NUC-1, body: WG-NUC, due_day: 10, title: "Nuclear: issues"}
    - {code: NUC-2, body: WG-NUC, due_day: 30, depends_on: [NUC-1], title: "Nuclear: proposals"}
    - {code: SAN-1, body: WG-SAN, due_day: 10, title: "Sanctions: inventory"}
    - {code: SAN-2, body: WG-SAN, due_day: 30, depends_on: [SAN-1, NUC-2], title: "Sanctions: plan"}
    - {code: HLC-1, body: HLC, due_day: 60, depends_on: [NUC-2, SAN-2], title: "HLC review"}
"""

MINIMAL = """\
charter_version: 1
framework:
  code: solo
  name: A process with a single party
  starts_on: 2027-01-01
parties:
  - {code: NO, name: Kingdom of Norway, colour: "#ba0c2f", timezone: Europe/Oslo}
bodies:
  - code: PLN
    name: Plenary
    kind: committee
    mandate: Everything.
    chair: {arrangement: chair, by: [NO]}
roadmap:
  title: Thirty days
  starts_on: 2027-01-01
  length_days: 30
"""


def edited(old: str, new: str, *, text: str = BASE) -> str:
    """``text`` (by default ``BASE``) with the first ``old`` replaced by ``new``."""
    assert old in text, f"{old!r} does not occur in the text"
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str, *, after: int = 0) -> int:
    """1-based number of the first line containing ``fragment`` after line ``after``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


def problems_of(text: str) -> list[CharterProblem]:
    with pytest.raises(CharterInvalid) as caught:
        charter_parse(text, filename="bad.yaml")
    assert caught.value.error_case is c.CHARTER_INVALID
    return list(caught.value.problems)


def only_problem(text: str) -> CharterProblem:
    problems = problems_of(text)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# --- Valid charters ------------------------------------------------------------------------


def test_the_default_charter_declares_the_islamabad_architecture():
    charter = charter_read(DEFAULT)

    assert charter.code == "islamabad-mou"
    assert [p.code for p in charter.parties] == ["US", "IR"]
    assert [f.code for f in charter.facilitators] == ["PK", "QA"]
    assert [b.code for b in charter.bodies] == [
        "HLC",
        "WG-NUC",
        "WG-SAN",
        "WG-CMP",
        "WG-VER",
        "WG-IMP",
    ]
    assert {b.reports_to for b in charter.bodies[1:]} == {"HLC"}
    assert [m.code for m in charter.mechanisms] == ["DCC", "MCC", "LDM"]
    assert len(charter.roadmap.milestones) == 14
    assert charter.roadmap.length_days == 60


def test_the_sha256_is_that_of_the_text_and_the_filename_is_kept():
    text = DEFAULT.read_text(encoding="utf-8")

    charter = charter_parse(text, filename="somewhere/charter.yaml")

    assert charter.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert charter.filename == "somewhere/charter.yaml"


def test_day_one_of_the_roadmap_is_its_start_date():
    roadmap = charter_read(DEFAULT).roadmap
    first = roadmap.milestones[0]

    assert roadmap.due_on(first) == roadmap.starts_on + dt.timedelta(days=first.due_day - 1)


def test_the_multilateral_example_has_more_than_two_parties_and_a_nested_working_group():
    charter = charter_read(MULTILATERAL)

    assert len(charter.parties) >= 4
    assert {f.code for f in charter.facilitators}.isdisjoint({"PK", "QA"})
    reports_to = {b.code: b.reports_to for b in charter.bodies}
    assert reports_to["WG-DATA"] == "WG-OPS"
    assert charter.roadmap.length_days == 90


def test_a_charter_with_a_single_party_and_defaults_is_valid():
    """Nothing assumes two parties; omitted keys take their documented defaults."""
    charter = charter_parse(MINIMAL, filename="solo.yaml")

    assert [p.code for p in charter.parties] == ["NO"]  # not False: YAML 1.1's "no"
    assert charter.facilitators == []
    assert charter.mechanisms == []
    assert charter.roadmap.milestones == []
    assert charter.parties[0].language == "en"
    assert charter.framework.timezone == "UTC"


def test_mechanism_settings_are_kept_as_written():
    charter = charter_read(MULTILATERAL)
    hdx = next(m for m in charter.mechanisms if m.code == "HDX")

    assert hdx.settings["acknowledge_within_minutes"]["flash"] == 10
    assert hdx.facilitators_informed is False


# --- One problem each ----------------------------------------------------------------------


def test_the_base_charter_of_these_tests_is_valid():
    assert charter_parse(BASE, filename="base.yaml").code == "test-mou"


def test_a_typo_in_reports_to_names_the_body_and_suggests_the_closest_code():
    text = edited("    reports_to: HLC\n", "    reports_to: HCL\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "reports_to: HCL")
    assert problem.path == "bodies[1].reports_to"
    assert problem.message == (
        c.UNKNOWN_REPORTS_TO.format(body="WG-NUC", target="HCL") + " Did you mean 'HLC'?"
    )


def test_a_reports_to_cycle_is_named_body_by_body():
    text = edited("    reports_to: HLC\n", "    reports_to: WG-SAN\n")  # WG-NUC
    text = edited("    reports_to: HLC\n", "    reports_to: WG-NUC\n", text=text)  # WG-SAN

    problem = only_problem(text)

    assert problem.path == "bodies[1].reports_to"
    assert problem.line == line_of(text, "reports_to: WG-SAN")
    assert problem.message == c.REPORTS_TO_CYCLE.format(cycle="WG-NUC → WG-SAN → WG-NUC")


def test_a_body_reporting_to_itself_is_a_cycle():
    problem = only_problem(edited("    reports_to: HLC\n", "    reports_to: WG-NUC\n"))

    assert problem.message == c.REPORTS_TO_CYCLE.format(cycle="WG-NUC → WG-NUC")


def test_a_duplicate_body_code_points_at_the_second_declaration():
    text = edited("  - code: WG-SAN\n", "  - code: WG-NUC\n").replace(
        "body: WG-SAN", "body: WG-NUC"
    )

    problem = only_problem(text)

    assert problem.path == "bodies[2].code"
    assert problem.line == line_of(text, "code: WG-NUC", after=line_of(text, "code: WG-NUC"))
    assert problem.message == c.DUPLICATE_CODE.format(
        what="Body", code="WG-NUC", first_path="bodies[1]"
    )


def test_delegation_codes_must_be_unique_across_parties_and_facilitators():
    text = edited("  - code: QA\n", "  - code: US\n")
    text = text.replace("[PK, QA]", "[PK, US]").replace("[QA, PK]", "[US, PK]")
    text = text.replace("[US, IR, PK, QA]", "[US, IR, PK]")

    problem = only_problem(text)

    assert problem.path == "facilitators[1].code"
    assert problem.line == line_of(text, "code: US", after=line_of(text, "facilitators:"))
    assert problem.message == c.DUPLICATE_CODE.format(
        what="Delegation", code="US", first_path="parties[0]"
    )


def test_a_duplicate_milestone_code_is_refused():
    problem = only_problem(edited("{code: SAN-1,", "{code: NUC-1,").replace("[SAN-1,", "[NUC-1,"))

    assert problem.path == "roadmap.milestones[2].code"
    assert problem.message == c.DUPLICATE_CODE.format(
        what="Milestone", code="NUC-1", first_path="roadmap.milestones[0]"
    )


def test_a_milestone_depending_on_an_unknown_milestone_is_located_at_that_entry():
    text = edited("depends_on: [NUC-1]", "depends_on: [NUC-9]")

    problem = only_problem(text)

    assert problem.line == line_of(text, "NUC-9")
    assert problem.path == "roadmap.milestones[1].depends_on[0]"
    assert problem.message.startswith(
        c.UNKNOWN_DEPENDENCY.format(milestone="NUC-2", target="NUC-9")
    )


def test_a_milestone_of_an_unknown_body_suggests_the_closest_body():
    text = edited("body: WG-SAN, due_day: 10", "body: WG-SNA, due_day: 10")

    problem = only_problem(text)

    assert problem.path == "roadmap.milestones[2].body"
    assert problem.line == line_of(text, "WG-SNA")
    assert problem.message == (
        c.UNKNOWN_MILESTONE_BODY.format(milestone="SAN-1", body="WG-SNA")
        + " Did you mean 'WG-SAN'?"
    )


def test_a_dependency_cycle_among_milestones_is_named():
    text = edited(
        "{code: NUC-1, body: WG-NUC, due_day: 10,",
        "{code: NUC-1, body: WG-NUC, due_day: 10, depends_on: [NUC-2],",
    )

    problems = problems_of(text)

    cycle = [p for p in problems if "cycle" in p.message]
    assert len(cycle) == 1
    assert cycle[0].path == "roadmap.milestones[0].depends_on"
    assert cycle[0].line == line_of(text, "code: NUC-1")
    assert cycle[0].message == c.MILESTONE_CYCLE.format(cycle="NUC-1 → NUC-2 → NUC-1")
    # NUC-1 (day 10) now also depends on NUC-2 (day 30): reported separately.
    assert {p.path for p in problems} == {
        "roadmap.milestones[0].depends_on",
        "roadmap.milestones[0].due_day",
    }


def test_a_milestone_due_before_one_it_depends_on_is_refused():
    text = edited("due_day: 30, depends_on: [NUC-1]", "due_day: 5, depends_on: [NUC-1]")

    problem = only_problem(text)

    assert problem.path == "roadmap.milestones[1].due_day"
    assert problem.message == c.DUE_BEFORE_DEPENDENCY.format(
        milestone="NUC-2", due_day=5, target="NUC-1", target_day=10
    )


def test_a_milestone_due_after_the_roadmap_ends_is_refused():
    problem = only_problem(edited("due_day: 60,", "due_day: 61,"))

    assert problem.path == "roadmap.milestones[4].due_day"
    assert problem.message == c.DUE_AFTER_ROADMAP.format(
        milestone="HLC-1", due_day=61, length_days=60
    )


def test_an_impossible_date_is_located_and_explained():
    text = edited("  signed_on: 2026-11-14", "  signed_on: 2026-02-30")

    problem = only_problem(text)

    assert problem.line == line_of(text, "signed_on")
    assert problem.path == "framework.signed_on"
    assert problem.message.startswith("'2026-02-30' is not a real date")


def test_a_date_in_another_format_is_refused():
    problem = only_problem(edited("  signed_on: 2026-11-14", "  signed_on: 14/11/2026"))

    assert problem.message == "'14/11/2026' is not a date; write dates as YYYY-MM-DD."


def test_a_framework_ending_before_it_starts_is_refused():
    text = edited("  timezone: Asia/Karachi\n", "  timezone: Asia/Karachi\n  ends_on: 2026-01-01\n")

    problems = problems_of(text)

    assert problems[0].path == "framework.ends_on"
    assert problems[0].line == line_of(text, "ends_on")
    assert problems[0].message == c.ENDS_BEFORE_STARTS.format(
        ends_on="2026-01-01", starts_on="2026-11-14"
    )


def test_a_roadmap_starting_before_the_framework_is_refused():
    text = edited("  starts_on: 2026-11-16", "  starts_on: 2026-11-01")

    problem = only_problem(text)

    assert problem.path == "roadmap.starts_on"
    assert problem.line == line_of(text, "starts_on: 2026-11-01")


def test_an_unknown_key_is_an_error_with_a_suggestion():
    text = edited("    reports_to: HLC\n", "    reports_too: HLC\n")

    problem = only_problem(text)

    assert problem.line == line_of(text, "reports_too")
    assert problem.path == "bodies[1].reports_too"
    assert problem.message == (
        "'reports_too' is not a key of this section. Did you mean 'reports_to'?"
    )


def test_an_unknown_key_without_a_close_match_lists_the_known_keys():
    problem = only_problem(edited("  short_name: Test MoU\n", "  motto: Peace\n"))

    assert problem.path == "framework.motto"
    assert "Known keys here: code, description, ends_on, name," in problem.message


def test_a_missing_key_points_at_the_mapping_that_lacks_it():
    text = edited("    kind: committee\n", "")

    problem = only_problem(text)

    assert problem.path == "bodies[0].kind"
    assert problem.line == line_of(text, "code: HLC")
    assert problem.message == "The required key 'kind' is missing."


def test_an_unknown_enumeration_value_lists_the_allowed_ones():
    problem = only_problem(edited("kind: maritime", "kind: naval"))

    assert problem.path == "mechanisms[1].kind"
    assert "'direct', 'facilitated', 'maritime' or 'deconfliction'" in problem.message


def test_an_unknown_member_role_is_located_in_its_list():
    problem = only_problem(edited("[expert, rapporteur, verifier]", "[expert, reporter, verifier]"))

    assert problem.path == "bodies[2].member_roles[1]"
    assert problem.message.endswith("Did you mean 'rapporteur'?")


def test_a_yaml_syntax_error_gives_its_line():
    text = edited("  - code: WG-NUC\n", "  - code: WG-NUC\n   name: [unclosed\n")

    problem = only_problem(text)

    assert problem.path == c.DOCUMENT_PATH
    assert problem.message.startswith("The file is not valid YAML:")
    assert problem.line == line_of(text, "[unclosed")


@pytest.mark.parametrize("depth", [65, 5000, 50_000])
def test_a_pathologically_nested_charter_is_a_located_problem_not_a_recursion(depth):
    text = edited(
        "  - code: WG-NUC\n", "  - code: WG-NUC\n    extra: " + "[" * depth + "]" * depth + "\n"
    )

    problem = only_problem(text)

    assert problem.path == c.DOCUMENT_PATH
    assert "nested more than 64 levels deep" in problem.message
    assert problem.line == line_of(text, "extra:")


def test_a_charter_nested_as_deep_as_the_bound_still_parses_to_its_real_problem():
    text = edited(
        "  - code: WG-NUC\n", "  - code: WG-NUC\n    extra: " + "[" * 60 + "]" * 60 + "\n"
    )

    problem = only_problem(text)

    assert "nested more than" not in problem.message  # the unknown key, not the depth


def test_a_charter_with_zero_parties_is_refused():
    text = MINIMAL.replace(
        '  - {code: NO, name: Kingdom of Norway, colour: "#ba0c2f", timezone: Europe/Oslo}\n', ""
    ).replace("parties:\n", "parties: []\n")
    text = text.replace("{arrangement: chair, by: [NO]}", "{arrangement: rotating}")

    problem = only_problem(text)

    assert problem.path == "parties"
    assert problem.line == line_of(text, "parties: []")
    assert problem.message == c.NO_PARTY


def test_a_charter_without_a_parties_key_is_refused():
    text = MINIMAL.replace(
        'parties:\n  - {code: NO, name: Kingdom of Norway, colour: "#ba0c2f", '
        "timezone: Europe/Oslo}\n",
        "",
    ).replace("{arrangement: chair, by: [NO]}", "{arrangement: rotating}")

    problem = only_problem(text)

    assert problem.path == "parties"
    assert problem.line == 1
    assert problem.message == "The required key 'parties' is missing."


def test_an_unknown_chair_is_refused_with_a_suggestion():
    problem = only_problem(edited("by: [QA, PK]}", "by: [QA, PAK]}"))  # ISO 3166 alpha-3

    assert problem.path == "bodies[2].chair.by[1]"
    assert problem.message == (
        c.UNKNOWN_CHAIR.format(body="WG-SAN", code="PAK") + " Did you mean 'PK'?"
    )


def test_an_unknown_mechanism_delegation_is_refused():
    problem = only_problem(edited("delegations: [US, IR, PK, QA]", "delegations: [US, IR, PK, QT]"))

    assert problem.path == "mechanisms[1].delegations[3]"
    assert problem.message.startswith(
        c.UNKNOWN_MECHANISM_DELEGATION.format(mechanism="MCC", code="QT")
    )


def test_co_chairs_means_at_least_two():
    problem = only_problem(edited("      by: [PK, QA]\n", "      by: [PK]\n"))

    assert problem.path == "bodies[0].chair.by"
    assert problem.message == c.CO_CHAIR_COUNT.format(body="HLC", count=1)


def test_an_unknown_time_zone_is_refused_with_a_suggestion():
    problem = only_problem(edited("America/New_York", "America/NewYork"))

    assert problem.path == "parties[0].timezone"
    assert problem.message.endswith("Did you mean 'America/New_York'?")


def test_an_unquoted_colour_is_explained():
    text = edited('colour: "#1f4e9c"', "colour: #1f4e9c")

    problem = only_problem(text)

    assert problem.line == line_of(text, "colour: #1f4e9c")
    assert "quote it" in problem.message


def test_settings_must_be_a_mapping():
    problem = only_problem(edited("settings: {link_test_interval_hours: 24}", "settings: [24]"))

    assert problem.path == "mechanisms[1].settings"


def test_a_key_written_twice_is_reported():
    text = edited("  short_name: Test MoU\n", "  short_name: Test MoU\n  short_name: MoU\n")

    problem = only_problem(text)

    assert problem.path == "framework.short_name"
    assert problem.line == line_of(text, "short_name: MoU")


def test_another_charter_version_is_refused_alone():
    text = edited("charter_version: 1", "charter_version: 2")
    text = edited("    reports_to: HLC\n", "    reports_to: HCL\n", text=text)

    problem = only_problem(text)

    assert problem.path == "charter_version"
    assert problem.message == c.UNSUPPORTED_VERSION.format(version=2)


def test_every_problem_is_reported_in_file_order():
    text = edited("    reports_to: HLC\n", "    reports_to: HCL\n")
    text = edited("  signed_on: 2026-11-14", "  signed_on: 2026-02-30", text=text)
    text = edited("depends_on: [NUC-1]", "depends_on: [NUC-9]", text=text)
    text = edited("kind: maritime", "kind: naval", text=text)

    problems = problems_of(text)

    assert [p.path for p in problems] == [
        "framework.signed_on",
        "bodies[1].reports_to",
        "mechanisms[1].kind",
        "roadmap.milestones[1].depends_on[0]",
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_an_empty_file_is_refused():
    problem = only_problem("# only a comment\n")

    assert problem.message == c.FILE_EMPTY


def test_a_document_that_is_not_a_mapping_is_refused():
    problem = only_problem("- one\n- two\n")

    assert problem.path == c.DOCUMENT_PATH
    assert "Expected a mapping" in problem.message


# --- Files and the problem format ----------------------------------------------------------


def test_a_problem_reads_file_line_path_message():
    problem = CharterProblem(file="c.yaml", line=7, path="bodies[2].code", message="Bad.")

    assert str(problem) == "c.yaml:7: bodies[2].code: Bad."


def test_the_error_carries_every_problem_in_its_message():
    text = edited("    reports_to: HLC\n", "    reports_to: HCL\n")

    with pytest.raises(CharterInvalid) as caught:
        charter_parse(text, filename="bad.yaml")

    assert "problems found: 1" in caught.value.message
    assert str(caught.value.problems[0]) in caught.value.message


def test_a_missing_file_is_a_charter_problem(tmp_path):
    path = tmp_path / "nowhere.yaml"

    with pytest.raises(CharterInvalid) as caught:
        charter_read(path)

    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1: {c.DOCUMENT_PATH}: {c.FILE_NOT_FOUND}"
    ]


def test_a_file_that_is_not_utf8_is_a_charter_problem_at_its_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("charter_version: 1\nframework:\n  name: Genève\n".encode("latin-1"))

    with pytest.raises(CharterInvalid) as caught:
        charter_read(path)

    assert caught.value.problems[0].line == 3
    assert "not UTF-8" in caught.value.problems[0].message


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = default_charter_copy(tmp_path, name="bom.yaml")
    path.write_bytes(b"\xef\xbb\xbf" + DEFAULT.read_bytes())

    assert charter_read(path).code == "islamabad-mou"
