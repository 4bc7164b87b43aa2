"""A bracket error reaches the user as translated sentences only: the pure bracket module
names the problem, the service and the import report put it into words."""

import pytest
from django.utils import translation

from accord.drafting import brackets, services
from accord.drafting.services.common import BRACKET_PROBLEMS
from accord.drafting.tests.conftest import by_label
from accord.drafting.textformat import BRACKET_ERRORS, parse_text
from accord.errors import ValidationFailed


@pytest.fixture
def marked(monkeypatch):
    """Translate every message as «message»: text outside the marks was never translated."""
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"«{message}»")
    monkeypatch.setattr(
        translation._trans, "ngettext", lambda one, many, n: f"«{one if n == 1 else many}»"
    )


def test_a_bracket_error_in_a_proposal_is_one_translated_sentence(cast, annex, marked):
    target = by_label(annex, "Article 2.1")
    with translation.override("fa"), pytest.raises(ValidationFailed) as caught:
        services.proposal_submit(
            actor=cast["ir-expert"],
            document_id=annex.public_id,
            kind="replace",
            provision_id=target.wid,
            text="The stockpile shall not exceed [600 kg{IR}.",
            justification="Fuel needs.",
        )
    error = caught.value
    assert error.code == services.BRACKETS_INVALID.code
    assert error.params["reason"] is BRACKET_PROBLEMS[brackets.BracketProblem.UNCLOSED]
    phrase = "«an opening bracket is never closed»"
    assert error.message == f"«The brackets do not balance: {phrase} at character 32.»"
    assert brackets.BracketProblem.UNCLOSED.value not in error.message


def test_every_bracket_problem_has_its_phrase_and_its_import_sentence():
    assert set(BRACKET_PROBLEMS) == set(brackets.BracketProblem) == set(BRACKET_ERRORS)


def test_the_import_report_is_made_of_whole_translated_sentences(marked):
    report = parse_text(
        "just words\nArticle 1\n1. Enrichment [3.67{US}.\n2. Then ] stray.\n(a) [x]{ZZ}\n",
        parties=["US", "IR"],
    )
    assert len(report.errors) == 1 and len(report.warnings) == 1
    for error in report.errors:
        assert error.startswith("«Line ") and error.endswith(".»")
        assert error.count("«") == 1
    for warning in report.warnings:
        assert str(warning).startswith("«Line ")
    understood = parse_text("Article 1\n1. Enrichment [3.67]{US}.\n").understood
    assert understood and all(u.startswith("«") and u.endswith("»") for u in understood)
