"""However deep a party nests brackets, the answer is a located refusal, never a 500.

The bracket parser is recursive; 3,000 nested "[" in a proposal used to raise
RecursionError. Now nesting beyond ``brackets.MAX_DEPTH`` is a bracket problem like an
unbalanced one, through every way a text comes in: amending, proposing, importing.
"""

import pytest
from django.test import Client

from accord.drafting import brackets, services
from accord.drafting.models import Provision
from accord.drafting.tests.conftest import by_label

DEEP = 3000


def _nested(depth: int) -> str:
    return "Shall " + "[" * depth + "core" + "]" * depth + "."


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_nesting_up_to_the_bound_parses_and_one_more_is_refused_at_its_bracket():
    assert brackets.count(_nested(brackets.MAX_DEPTH)).spans == brackets.MAX_DEPTH

    with pytest.raises(brackets.BracketError) as refused:
        brackets.parse(_nested(brackets.MAX_DEPTH + 1))

    assert refused.value.problem is brackets.BracketProblem.TOO_DEEP
    assert refused.value.position == len("Shall ") + brackets.MAX_DEPTH


@pytest.mark.parametrize("depth", [brackets.MAX_DEPTH + 1, DEEP, 100_000])
def test_a_pathological_nesting_is_refused_without_recursing(depth):
    assert brackets.validate(_nested(depth)).problem is brackets.BracketProblem.TOO_DEEP
    # Unclosed as well as deep: still the depth, found first, not a crash.
    assert brackets.validate("[" * depth).problem is brackets.BracketProblem.TOO_DEEP


def test_amending_a_provision_with_deep_brackets_is_a_422_and_writes_nothing(cast, annex):
    wid = by_label(annex, "Article 1.1").wid
    before = Provision.objects.get(wid=wid).text

    answer = _client(cast["pk-chair"]).patch(
        f"/api/drafting/provisions/{wid}", {"text": _nested(DEEP)}, content_type="application/json"
    )

    assert answer.status_code == 422
    assert answer.json()["code"] == services.BRACKETS_INVALID.code
    assert "nested more than" in answer.json()["detail"]
    assert Provision.objects.get(wid=wid).text == before


def test_a_party_proposal_with_deep_brackets_is_a_422(cast, annex):
    wid = by_label(annex, "Article 1.1").wid

    answer = _client(cast["ir-expert"]).post(
        f"/api/drafting/documents/{annex.public_id}/proposals",
        {"kind": "replace", "provision": wid, "text": _nested(DEEP), "justification": "Deep."},
        content_type="application/json",
    )

    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == services.BRACKETS_INVALID.code


def test_an_imported_text_with_deep_brackets_is_refused_with_its_line(cast, annex):
    content = "Article 1\n1. " + _nested(DEEP) + "\n"

    answer = _client(cast["pk-chair"]).post(
        "/api/drafting/import",
        {"body": annex.body.code, "title": "Deep", "format": "txt", "content": content},
        content_type="application/json",
    )

    assert answer.status_code == 422, answer.content
    errors = answer.json()["errors"]
    assert any(
        "Line 2" in error["message"] and "nested deeper" in error["message"] for error in errors
    ), errors
