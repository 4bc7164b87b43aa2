from typing import get_args

from accord.channels.settings import Rung
from accord.drafting.models import Proposal
from accord.events.describe import WORDS, describe, names_wanted
from accord.process.vocabulary import Role


def test_known_kinds_read_as_sentences():
    assert describe("AppointmentGranted", {"user": "ir-expert", "role": "head_of_delegation"}) == (
        "ir-expert appointed (head of delegation)"
    )
    assert describe("MilestoneOverdue", {"code": "NUC-1", "due_on": "2026-11-25"}) == (
        "Milestone NUC-1 is overdue (was due 2026-11-25)"
    )


def test_unknown_kinds_and_missing_fields_fall_back_to_the_kind_in_words():
    assert describe("DivergenceReferred", {}) == "Divergence referred"
    assert describe("MilestoneMet", {}) == "Milestone met"


def test_long_texts_are_cut():
    text = describe("InternalNoteWritten", {"about": "body:HLC", "text": "x" * 500})
    assert len(text) == 160
    assert text.endswith("…")


def test_a_proposal_reads_with_its_kind_in_words():
    # Given a proposal to add an option; when described; then no code is left.
    text = describe("ProposalSubmitted", {"delegation": "IR", "kind": "add_option"})
    assert text == "IR proposal to add an option submitted"


def test_an_escalation_names_who_it_reached_in_words():
    payload = {"seq": 4, "channel": "HOT", "escalated_to": "backup_duty_officer"}
    text = describe("ChannelMessageEscalated", payload)
    assert text == "Message 4 on HOT escalated to the backup duty officer: not acknowledged in time"


def test_an_appointment_names_the_person_and_the_role_not_the_username_and_code():
    # Given the caller's names for the payload's username and code.
    payload = {"user": "pk-chair", "role": "co_chair"}
    names = {"pk-chair": "Ayesha Khan"}
    # When described with them; then the sentence carries the name and the role's label.
    assert names_wanted(payload) == {"pk-chair"}
    assert describe("AppointmentGranted", payload, names=names) == (
        "Ayesha Khan appointed (co-chair)"
    )


def test_subjects_and_body_codes_read_as_the_names_given():
    names = {"body:HLC": "the High-Level Committee", "WG-NUC": "Nuclear working group"}
    assert describe("InternalNoteDeleted", {"about": "body:HLC"}, names=names) == (
        "Internal note on the High-Level Committee deleted"
    )
    assert describe("DivergenceReferred", {"rung": "WG-NUC", "title": "T"}, names=names) == (
        "Divergence referred to Nuclear working group: T"
    )
    assert describe("DivergenceReferred", {"rung": "principals", "title": "T"}) == (
        "Divergence referred to the principals: T"
    )


def test_every_role_of_the_vocabulary_has_words():
    assert set(WORDS["role"]) == set(Role.values)


def test_every_proposal_kind_and_state_and_escalation_rung_has_words():
    assert set(WORDS["kind"]) == set(Proposal.Kind.values)
    assert set(WORDS["decision"]) == set(Proposal.State.values)
    assert set(WORDS["escalated_to"]) == set(get_args(Rung))


def test_words_are_translated_with_the_sentence():
    # Given a translator that marks what it translated.
    def translate(text: str) -> str:
        return f"<{text}>"

    # When a proposal is described; then its kind's words went through it too.
    text = describe("ProposalSubmitted", {"delegation": "IR", "kind": "delete"}, translate)
    assert text == "<IR proposal to <delete the provision> submitted>"


def test_every_finding_of_a_verification_or_a_violation_report_has_words():
    from accord.compliance.models import VerificationReport
    from accord.deconfliction.models import ViolationReport

    findings = set(VerificationReport.Finding.values) | set(ViolationReport.Finding.values)
    assert set(WORDS["finding"]) == findings


def test_implementation_and_de_confliction_events_read_as_sentences_without_codes():
    assert describe(
        "VerificationReportPublished", {"commitment": "C-4", "finding": "unable_to_verify"}
    ) == ("Verification report on commitment C-4 published: unable to verify")
    assert describe(
        "NotificationReceiptAcknowledged", {"title": "Tyre Government Hospital", "party": "US"}
    ) == ("Receipt acknowledged (not an approval): Tyre Government Hospital")
    assert describe("ViolationDetermined", {"finding": "no_violation"}) == (
        "Violation report determined: no violation"
    )
