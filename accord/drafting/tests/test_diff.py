"""The provision-aware diff: identity over position, words, brackets, moves."""

from hypothesis import given
from hypothesis import strategies as st

from accord.drafting.diff import ADDED, CHANGED, DELETED, UNCHANGED, diff_snapshots, word_diff


def snap(*provisions):
    return {
        "provisions": [
            dict(zip(("wid", "label", "text", "parent"), p, strict=True)) for p in provisions
        ]
    }


def test_a_moved_provision_is_a_move_not_a_deletion_and_an_insertion():
    before = snap(
        ("a", "Article 1", "One.", None),
        ("b", "Article 2", "Two.", None),
        ("c", "Article 3", "Three.", None),
    )
    after = snap(
        ("c", "Article 1", "Three.", None),
        ("a", "Article 2", "One.", None),
        ("b", "Article 3", "Two.", None),
    )
    result = diff_snapshots(before, after)
    changes = {e.wid: (e.change, e.moved) for e in result.entries}
    assert changes == {"c": (UNCHANGED, True), "a": (UNCHANGED, False), "b": (UNCHANGED, False)}
    assert result.count(ADDED) == result.count(DELETED) == 0
    renumbered = {e.wid for e in result.entries if e.renumbered}
    assert renumbered == {"a", "b"}


def test_a_move_to_another_parent_is_a_move():
    before = snap(
        ("x", "Article 1", "", None),
        ("y", "Article 2", "", None),
        ("p", "Article 1.1", "Text", "x"),
    )
    after = snap(
        ("x", "Article 1", "", None),
        ("y", "Article 2", "", None),
        ("p", "Article 2.1", "Text", "y"),
    )
    (entry,) = [e for e in diff_snapshots(before, after).entries if e.wid == "p"]
    assert entry.moved and (entry.label_before, entry.label_after) == ("Article 1.1", "Article 2.1")


def test_deleted_provisions_are_shown_where_they_were():
    before = snap(("a", "1", "A", None), ("b", "2", "B", None), ("c", "3", "C", None))
    after = snap(("a", "1", "A", None), ("c", "2", "C", None), ("d", "3", "D", None))
    result = diff_snapshots(before, after)
    assert [(e.wid, e.change) for e in result.entries] == [
        ("a", UNCHANGED),
        ("b", DELETED),
        ("c", UNCHANGED),
        ("d", ADDED),
    ]


def test_word_changes_and_bracket_changes_are_called_out():
    before = snap(("a", "1", "up to [3.67]{US}[5]{IR} per cent for ten years", None))
    after = snap(("a", "1", "up to 3.67 per cent for fifteen years", None))
    (entry,) = diff_snapshots(before, after).entries
    assert entry.change == CHANGED
    assert ("delete", "ten ") in [(w.op, w.text) for w in entry.words]
    assert ("insert", "fifteen ") in [(w.op, w.text) for w in entry.words]
    assert entry.groups_removed == ["[Option 1: 3.67] (US) / [Option 2: 5] (IR)"]
    assert "{US}" not in "".join(w.text for w in entry.words)
    assert (entry.brackets_before, entry.brackets_after) == (1, 0)


@given(
    st.lists(st.text(alphabet="ab []", max_size=6), max_size=8),
    st.lists(st.text(alphabet="ab []", max_size=6), max_size=8),
)
def test_word_diff_rebuilds_both_texts(a_words, b_words):
    a, b = " ".join(a_words), " ".join(b_words)
    ops = word_diff(a, b)
    assert "".join(w.text for w in ops if w.op != "insert") == a
    assert "".join(w.text for w in ops if w.op != "delete") == b
