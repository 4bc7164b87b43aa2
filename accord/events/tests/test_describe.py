from accord.events.describe import describe


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
