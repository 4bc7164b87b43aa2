"""The bracket and option conventions: parsing, counting, editing by offsets."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.drafting import brackets


def test_adjacent_brackets_are_one_option_set_with_their_sponsors():
    text = "enrichment up to [3.67]{US}[5]{IR} per cent"
    (group,) = brackets.groups(brackets.parse(text))
    assert group.is_choice
    assert [(o.raw_inner(text), o.sponsors) for o in group.options] == [
        ("3.67", ("US",)),
        ("5", ("IR",)),
    ]
    assert brackets.count(text) == brackets.Counts(spans=0, option_sets=1)


def test_numbered_options_of_a_whole_provision_form_one_set_across_a_line_break():
    text = "[Option 1: The Parties shall act.]{US}\n[Option 2: The Parties may act.]{IR, US}"
    (group,) = brackets.groups(brackets.parse(text))
    assert [o.label for o in group.options] == ["Option 1", "Option 2"]
    assert group.options[1].sponsors == ("IR", "US")
    assert group.options[0].raw_inner(text) == "The Parties shall act."


def test_a_slash_between_brackets_separates_options_but_a_space_separates_spans():
    assert brackets.count("[a] / [b]") == brackets.Counts(0, 1)
    assert brackets.count("the [a] [b] c") == brackets.Counts(2, 0)


def test_nested_brackets_are_counted_inside_their_option():
    text = "[the [five] Parties]{US}"
    outer, inner = brackets.groups(brackets.parse(text))
    assert outer.options[0].raw_inner(text) == "the [five] Parties"
    assert inner.options[0].raw_inner(text) == "five"
    assert brackets.count(text).total == 2


@pytest.mark.parametrize(
    ("text", "position", "line", "column"),
    [
        ("abc [def [g] h", 4, 1, 5),
        ("abc\n def] h", 8, 2, 5),
        ("[a]{US}[b", 7, 1, 8),
    ],
)
def test_unbalanced_brackets_are_reported_with_their_position(text, position, line, column):
    with pytest.raises(brackets.BracketError) as caught:
        brackets.parse(text)
    assert (caught.value.position, caught.value.line, caught.value.column) == (
        position,
        line,
        column,
    )


def test_escaped_brackets_are_literal_text():
    text = r"see note \[1\] and \{US\}"
    assert brackets.count(text).total == 0
    assert brackets.plain(text) == "see note [1] and {US}"


@pytest.mark.parametrize(
    "text",
    [
        'the term "[sic]" as quoted',
        "the term “[sic]” as quoted",
        "the term «[sic]» as quoted",
    ],
)
def test_brackets_inside_quotations_are_literal(text):
    assert brackets.count(text).total == 0
    assert "[sic]" in brackets.plain(text)


def test_an_unclosed_quotation_mark_does_not_hide_brackets():
    assert brackets.count('12" pipes [shall]{US} be used').total == 1


def test_resolving_keeps_the_chosen_option_and_touches_nothing_else():
    text = "up to [3.67]{US}[5]{IR} per cent [for [15] years]"
    assert brackets.resolve(text, 0, keep=1) == "up to 5 per cent [for [15] years]"
    assert brackets.resolve(text, 1, keep=None) == "up to [3.67]{US}[5]{IR} per cent"
    assert brackets.resolve(text, 2, keep=0) == "up to [3.67]{US}[5]{IR} per cent [for 15 years]"


def test_options_are_added_and_withdrawn_by_their_sponsor_only():
    text = "[Option 1: shall]{US} [Option 2: may]{IR}"
    added = brackets.option_append(text, 0, "should", ["US"])
    assert added.endswith("[Option 3: should]{US}")
    assert brackets.option_withdraw(added, 0, 0, "US").startswith("[Option 1: may]{IR}")
    with pytest.raises(PermissionError):
        brackets.option_withdraw(text, 0, 0, "IR")
    assert brackets.option_withdraw("[a]{US,IR}", 0, 0, "US") == "[a]{IR}"


def test_rendering_escapes_user_text_and_colours_sponsors():
    html = brackets.render_html("<b>[x]{US}</b>", {"US": "#1f4e9c"})
    assert "&lt;b&gt;" in html
    assert "--sponsor:#1f4e9c" in html
    assert 'data-sponsors="US"' in html


_word = st.text(alphabet="abcdefgh .,", min_size=1, max_size=8)


@st.composite
def bracketed_texts(draw, depth=0):
    """Well-formed texts: words, spans, option sets with sponsors, nesting."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        choice = draw(st.integers(0, 2 if depth < 2 else 0))
        if choice == 0:
            parts.append(brackets.escape(draw(_word)))
        else:
            options = draw(st.integers(1, 3))
            for _ in range(options):
                inner = draw(bracketed_texts(depth=depth + 1))
                sponsor = draw(st.sampled_from(["", "{US}", "{IR}", "{US,IR}"]))
                parts.append(f"[{inner}]{sponsor}")
            parts.append(" ")
    return "".join(parts)


@given(bracketed_texts())
def test_well_formed_texts_parse_and_resolving_every_group_leaves_none(text):
    counts = brackets.count(text)
    while counts.total:
        text = brackets.resolve(text, 0, keep=0)
        new = brackets.count(text)
        assert new.total < counts.total
        counts = new


@given(st.text(alphabet='ab[]\\{}" ', max_size=30))
def test_any_text_either_parses_or_names_a_position_inside_it(text):
    try:
        brackets.parse(text)
    except brackets.BracketError as error:
        assert 0 <= error.position < len(text)
        assert text[error.position] in "[]"


@given(st.text(max_size=40))
def test_escaped_text_is_always_literal(text):
    escaped = brackets.escape(text)
    assert brackets.count(escaped).total == 0
