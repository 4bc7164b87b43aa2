"""The charter's compliance section: read with its defaults, refused with located errors."""

from pathlib import Path

import pytest
from django.conf import settings

from accord.process.charter import CharterInvalid, charter_parse, charter_read

ISLAMABAD = Path(settings.BASE_DIR) / "charters" / "islamabad-mou.yaml"


def _with(section: str) -> str:
    text = ISLAMABAD.read_text()
    head = text.split("\ncompliance:")[0]
    return head + "\n" + section


def test_the_default_charter_names_the_verifier_and_the_jcpoa_clocks():
    spec = charter_read(ISLAMABAD).compliance
    assert (spec.verifier.body, spec.verifier.role) == ("WG-VER", "verifier")
    assert spec.joint_body == "HLC"
    assert (spec.access_request.agree_days, spec.access_request.decide_days) == (14, 7)
    assert [(s.code, s.days) for s in spec.dispute_stages] == [
        ("joint-commission", 15),
        ("ministers", 15),
        ("advisory-board", 15),
        ("consideration", 5),
    ]
    assert spec.dispute_stages[0].extendable and not spec.dispute_stages[1].extendable


def test_a_charter_without_the_section_reads_the_defaults():
    spec = charter_parse(_with(""), filename="c.yaml").compliance
    assert spec.verifier is None
    assert spec.convene_within_days == 7 and spec.convene_urgent_within_days == 3
    assert [s.days for s in spec.dispute_stages] == [15, 15, 15, 5]


def test_an_unknown_verifier_body_is_a_located_problem_with_a_suggestion():
    text = _with("compliance:\n  verifier: {body: WG-VRE}\n  joint_body: HCL\n")
    with pytest.raises(CharterInvalid) as raised:
        charter_parse(text, filename="c.yaml")
    lines = [str(p) for p in raised.value.problems]
    line = text.count("\n", 0, text.index("verifier: {body")) + 1
    assert lines[0].startswith(f"c.yaml:{line}: compliance.verifier.body: ")
    assert "Did you mean 'WG-VER'?" in lines[0]
    assert lines[1].startswith(f"c.yaml:{line + 1}: compliance.joint_body: ")
    assert "Did you mean 'HLC'?" in lines[1]


def test_a_verifier_role_the_body_has_not_is_refused():
    text = _with("compliance:\n  verifier: {body: WG-NUC, role: verifier}\n")
    with pytest.raises(CharterInvalid) as raised:
        charter_parse(text, filename="c.yaml")
    found = str(raised.value.problems[0])
    assert "compliance.verifier.role: The verifier's role 'verifier'" in found


def test_bad_stage_days_and_a_stage_twice_are_refused_where_written():
    text = _with(
        "compliance:\n  dispute_stages:\n"
        "    - {code: jc, name: Joint Commission, days: 0}\n"
        "    - {code: jc, name: Again, days: 5}\n"
    )
    with pytest.raises(CharterInvalid) as raised:
        charter_parse(text, filename="c.yaml")
    found = [str(p) for p in raised.value.problems]
    assert any("compliance.dispute_stages[0].days:" in p for p in found)
    assert any("compliance.dispute_stages[1].code: Dispute stage code 'jc'" in p for p in found)


def test_the_four_party_example_names_its_verifier_and_joint_body():
    spec = charter_read(Path(settings.BASE_DIR) / "charters" / "multilateral-example.yaml")
    assert spec.compliance.verifier.body == "WG-DATA"
    assert spec.compliance.joint_body == "JTC"


def test_the_advisory_board_runs_alongside_the_ministers_and_an_unknown_stage_is_refused():
    # Given the default charter, then the advisory board may run beside the ministers
    spec = charter_read(ISLAMABAD).compliance
    assert [s.alongside for s in spec.dispute_stages] == [None, None, "ministers", None]
    # When a stage names a stage the list has not, then it is refused where written
    text = _with(
        "compliance:\n  dispute_stages:\n"
        "    - {code: jc, name: Joint Commission, days: 15}\n"
        "    - {code: board, name: Board, days: 15, alongside: minsters}\n"
    )
    with pytest.raises(CharterInvalid) as raised:
        charter_parse(text, filename="c.yaml")
    found = [str(p) for p in raised.value.problems]
    assert any("compliance.dispute_stages[1].alongside:" in p and "'minsters'" in p for p in found)
