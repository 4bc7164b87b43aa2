"""The bracket and option conventions of a negotiating text (pure: no Django).

A provision's text is stored exactly as negotiators write it:

``[text]``                   a bracketed span: contested wording, not yet agreed
``[3.67][5]`` / ``[a]/[b]``  an option set: alternatives, adjacent or separated by ``/``
``[Option 1: …] [Option 2: …]``  numbered options (whitespace, even a line break, between);
                             also ``Option I``, ``Option (a)``, ``Alt. 1``, labels kept as written
``[3.67]{US}``               the option's sponsors: party codes after the closing bracket
``[the [five] parties]``     brackets nest
``\\[`` ``\\]`` ``\\{``          escaped: a literal bracket or brace
``"… [sic] …"`` ``“…”`` ``«…»``  brackets inside quotations are literal (a quoted text)

``parse`` turns a text into segments (literal text and bracket groups, each group a set of
options with sponsors and offsets); ``BracketError`` names the position of anything
unbalanced. The edit helpers (``resolve``, ``option_append``, ``option_withdraw``) rewrite
the raw text by offsets, so everything the text does not touch stays byte for byte.
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

ESCAPABLE = "[]{}\\"
QUOTES = {'"': '"', "“": "”", "«": "»"}
_SPONSORS = re.compile(r"\{\s*([A-Z][A-Z0-9-]{0,15}(?:\s*,\s*[A-Z][A-Z0-9-]{0,15})*)\s*\}")
# "Option 1:", "Option II:", "Option (a):", "Alt. 1:", "Alternative B:" (kept as written).
_LABEL = re.compile(
    r"\s*((?:Option|Alt\.?|Alternative)\s+(?:\d+|[IVXLC]+|\([a-z]\)|[a-zA-Z]))\s*:\s*",
    re.IGNORECASE,
)
_SLASH = re.compile(r"[ \t]*/[ \t]*")
_GAP = re.compile(r"\s+")
_SPECIAL = re.compile(r'[\\\[\]"“«]')
_SPECIAL_NO_QUOTES = re.compile(r"[\\\[\]]")


class BracketProblem(enum.Enum):
    """What is wrong with the brackets: a machine reason, which callers that show it to a
    user map to a translated sentence (this module has no Django); the value is the English
    phrase for logs and tests."""

    UNOPENED = "A closing bracket has no opening bracket"
    UNCLOSED = "An opening bracket is never closed"
    TOO_DEEP = "Brackets are nested deeper than a negotiated text needs"


# How deep brackets may nest. Real texts nest two or three levels ("[the [five]
# parties]"); the bound keeps the recursive parser, and every walk over its tree, far
# from Python's recursion limit whatever a party submits (3,000 nested "[" was a 500).
MAX_DEPTH = 24


class BracketError(ValueError):
    """Unbalanced or malformed brackets; ``problem`` says what, ``position`` is the 0-based
    offset of the culprit. ``reason`` is the English phrase, never shown to a user."""

    def __init__(self, problem: BracketProblem, *, position: int, text: str = "") -> None:
        self.problem = problem
        self.position = position
        self.line = text.count("\n", 0, position) + 1
        self.column = position - (text.rfind("\n", 0, position) + 1) + 1
        super().__init__(f"{problem.value} (line {self.line}, column {self.column})")
        self.reason = problem.value


@dataclass(frozen=True)
class Literal:
    """Plain text, escapes already removed."""

    text: str


@dataclass(frozen=True)
class Option:
    """One bracketed alternative. Offsets are into the raw text; ``end`` is past the sponsors."""

    start: int
    end: int
    inner_start: int  # first character of the option's own text (after any "Option N:")
    inner_end: int  # the closing bracket
    label: str | None
    sponsors: tuple[str, ...]
    segments: tuple[Segment, ...]

    def raw_inner(self, text: str) -> str:
        return text[self.inner_start : self.inner_end]


@dataclass(frozen=True)
class Group:
    """A bracketed span (one option) or an option set (several)."""

    start: int
    end: int
    options: tuple[Option, ...]

    @property
    def is_choice(self) -> bool:
        return len(self.options) > 1

    @property
    def labelled(self) -> bool:
        return any(o.label for o in self.options)


Segment = Literal | Group


@dataclass(frozen=True)
class Counts:
    """Open bracketed spans and option sets (nested ones included)."""

    spans: int = 0
    option_sets: int = 0

    @property
    def total(self) -> int:
        return self.spans + self.option_sets

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.spans + other.spans, self.option_sets + other.option_sets)


@dataclass
class _Parser:
    text: str
    pos: int = 0
    quotes: bool = True
    opened: list[int] = field(default_factory=list)

    def error(self, problem: BracketProblem, position: int) -> BracketError:
        return BracketError(problem, position=position, text=self.text)

    def sequence(self, depth: int) -> tuple[Segment, ...]:
        """Parse until the end (depth 0) or the ``]`` closing the current option."""
        text = self.text
        out: list[Segment] = []
        buf: list[str] = []
        n = len(text)
        special = _SPECIAL if self.quotes else _SPECIAL_NO_QUOTES
        while self.pos < n:
            jump = special.search(text, self.pos)
            if jump is None:
                buf.append(text[self.pos :])
                self.pos = n
                continue
            if jump.start() > self.pos:
                buf.append(text[self.pos : jump.start()])
                self.pos = jump.start()
            c = text[self.pos]
            if c == "\\" and self.pos + 1 < n and text[self.pos + 1] in ESCAPABLE:
                buf.append(text[self.pos + 1])
                self.pos += 2
            elif c in QUOTES and self.quotes:
                close = self._quote_end(c)
                if close < 0:
                    buf.append(c)
                    self.pos += 1
                else:
                    buf.append(_unescape(text[self.pos : close + 1]))
                    self.pos = close + 1
            elif c == "[":
                if buf:
                    out.append(Literal("".join(buf)))
                    buf = []
                out.append(self.group(depth))
            elif c == "\\":
                buf.append(c)
                self.pos += 1
            elif c == "]":
                if depth == 0:
                    raise self.error(BracketProblem.UNOPENED, self.pos)
                break
            else:
                buf.append(c)
                self.pos += 1
        else:
            if depth > 0:
                raise self.error(BracketProblem.UNCLOSED, self.opened[-1])
        if buf:
            out.append(Literal("".join(buf)))
        return tuple(out)

    def _quote_end(self, opening: str) -> int:
        """Offset of the quotation's closing mark, or -1 (then the mark is a literal).

        A quotation never spans a line break, so a stray mark cannot swallow the text.
        """
        closing, text, i = QUOTES[opening], self.text, self.pos + 1
        while i < len(text):
            c = text[i]
            if c == "\\" and i + 1 < len(text):
                i += 2
                continue
            if c == closing:
                return i
            if c == "\n":
                return -1
            i += 1
        return -1

    def option(self, depth: int) -> Option:
        text = self.text
        start = self.pos
        if depth >= MAX_DEPTH:
            raise self.error(BracketProblem.TOO_DEEP, start)
        self.opened.append(start)
        self.pos += 1
        label = None
        match = _LABEL.match(text, self.pos)
        if match:
            label = re.sub(r"\s+", " ", match.group(1))
            if label.lower().startswith("option"):
                label = "Option" + label[6:]
            self.pos = match.end()
        inner_start = self.pos
        segments = self.sequence(depth + 1)
        if self.pos >= len(text):
            raise self.error(BracketProblem.UNCLOSED, start)
        inner_end = self.pos
        self.pos += 1
        self.opened.pop()
        sponsors: tuple[str, ...] = ()
        tag = _SPONSORS.match(text, self.pos)
        if tag:
            sponsors = tuple(dict.fromkeys(s.strip() for s in tag.group(1).split(",")))
            self.pos = tag.end()
        return Option(start, self.pos, inner_start, inner_end, label, sponsors, segments)

    def group(self, depth: int) -> Group:
        start = self.pos
        options = [self.option(depth)]
        while True:
            text, at = self.text, self.pos
            if at < len(text) and text[at] == "[":
                options.append(self.option(depth))
                continue
            slash = _SLASH.match(text, at)
            if slash and slash.end() < len(text) and text[slash.end()] == "[":
                self.pos = slash.end()
                options.append(self.option(depth))
                continue
            gap = _GAP.match(text, at)
            if (
                options[-1].label
                and gap
                and gap.end() < len(text)
                and text[gap.end()] == "["
                and _LABEL.match(text, gap.end() + 1)
            ):
                self.pos = gap.end()
                options.append(self.option(depth))
                continue
            break
        return Group(start, self.pos, tuple(options))


def _unescape(raw: str) -> str:
    return re.sub(r"\\([\[\]{}\\])", r"\1", raw)


def escape(plain: str) -> str:
    """Make ``plain`` literal: nothing in it will read as a bracket or a sponsor tag."""
    return re.sub(r"([\[\]{}\\])", r"\\\1", plain)


def parse(text: str) -> tuple[Segment, ...]:
    """Parse ``text``; raise ``BracketError`` (with the position) if it is unbalanced."""
    return _Parser(text).sequence(0)


def validate(text: str) -> BracketError | None:
    try:
        parse(text)
    except BracketError as error:
        return error
    return None


def groups(segments: tuple[Segment, ...]) -> Iterator[Group]:
    """Every group in reading order, outer before inner (the index services use)."""
    for segment in segments:
        if isinstance(segment, Group):
            yield segment
            for option in segment.options:
                yield from groups(option.segments)


def count(text: str) -> Counts:
    spans = sets = 0
    for group in groups(parse(text)):
        if group.is_choice:
            sets += 1
        else:
            spans += 1
    return Counts(spans, sets)


def sponsors(text: str) -> set[str]:
    return {code for g in groups(parse(text)) for o in g.options for code in o.sponsors}


def plain(text: str) -> str:
    """The text with every bracket kept but sponsor tags and escapes removed (for search)."""
    return "".join(_plain(parse(text)))


def _plain(segments: tuple[Segment, ...]) -> Iterator[str]:
    for segment in segments:
        if isinstance(segment, Literal):
            yield segment.text
        else:
            for i, option in enumerate(segment.options):
                if i:
                    yield " / "
                yield "["
                if option.label:
                    yield option.label + ": "
                yield from _plain(option.segments)
                yield "]"


def readable(text: str) -> str:
    """The text as a reader sees it on the page, in plain text: brackets kept, the options
    of a choice labelled ("Option 1: …"), each option's sponsors after it in parentheses,
    escapes removed, so ``up to [3.67]{US}[5]{IR}`` reads ``up to [Option 1: 3.67] (US) /
    [Option 2: 5] (IR)``. For snippets, diffs and anything else that cannot carry the page's
    colours; a text whose brackets do not balance is returned as it is."""
    try:
        return "".join(_readable(parse(text)))
    except BracketError:
        return text


def _readable(segments: tuple[Segment, ...]) -> Iterator[str]:
    for segment in segments:
        if isinstance(segment, Literal):
            yield segment.text
            continue
        for i, option in enumerate(segment.options):
            if i:
                yield " " if segment.labelled else " / "
            yield "["
            if segment.is_choice or option.label:
                yield (option.label or f"Option {i + 1}") + ": "
            yield from _readable(option.segments)
            yield "]"
            if option.sponsors:
                yield f" ({', '.join(option.sponsors)})"


def words(text: str) -> int:
    return len(re.findall(r"[^\s\[\]/{}]+", plain(text)))


# --- Editing by offsets ------------------------------------------------------------------


def _group_at(text: str, index: int) -> Group:
    found = list(groups(parse(text)))
    if not 0 <= index < len(found):
        raise IndexError(f"there is no bracket group {index + 1}")
    return found[index]


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:])", r"\1", text)
    return text.strip()


def resolve(text: str, index: int, *, keep: int | None) -> str:
    """Clean group ``index``: keep option ``keep`` (0-based) without brackets, or drop it all.

    For a bracketed span, ``keep=0`` accepts the wording and ``keep=None`` deletes it.
    """
    group = _group_at(text, index)
    if keep is None:
        replacement = ""
    else:
        if not 0 <= keep < len(group.options):
            raise IndexError(f"there is no option {keep + 1}")
        replacement = group.options[keep].raw_inner(text).strip()
    return _tidy(text[: group.start] + replacement + text[group.end :])


def _tag(codes: tuple[str, ...] | list[str]) -> str:
    return "{" + ",".join(codes) + "}" if codes else ""


def option_append(text: str, index: int | None, option_text: str, sponsor_codes: list[str]) -> str:
    """Add an option to group ``index``; with ``index=None`` turn the whole text into options.

    ``option_text`` is raw (it may hold its own brackets); it must parse on its own.
    """
    parse(option_text)
    if index is None:
        existing = parse(text)
        whole = existing[0] if len(existing) == 1 else None
        if isinstance(whole, Group) and whole.labelled:
            n = len(whole.options) + 1
            return f"{text} [Option {n}: {option_text}]{_tag(sponsor_codes)}"
        return f"[Option 1: {text}] [Option 2: {option_text}]{_tag(sponsor_codes)}"
    group = _group_at(text, index)
    if group.labelled:
        n = len(group.options) + 1
        addition = f" [Option {n}: {option_text}]{_tag(sponsor_codes)}"
    else:
        addition = f"[{option_text}]{_tag(sponsor_codes)}"
    return text[: group.end] + addition + text[group.end :]


def option_withdraw(text: str, index: int, option: int, sponsor: str) -> str:
    """``sponsor`` withdraws from option ``option`` of group ``index``.

    The option goes when no sponsor is left; a lone remaining option stays bracketed
    (it is still not agreed). Raises ``PermissionError`` if ``sponsor`` is not a sponsor.
    """
    group = _group_at(text, index)
    if not 0 <= option < len(group.options):
        raise IndexError(f"there is no option {option + 1}")
    target = group.options[option]
    if sponsor not in target.sponsors:
        raise PermissionError(sponsor)
    remaining = tuple(s for s in target.sponsors if s != sponsor)
    if remaining:
        head = text[: target.inner_end + 1]
        return head + _tag(remaining) + text[target.end :]
    if len(group.options) == 1:
        return _tidy(text[: group.start] + text[group.end :])
    # Remove the option and the separator before it (or after it, for the first one).
    if option == 0:
        cut_start, cut_end = target.start, group.options[1].start
    else:
        cut_start, cut_end = group.options[option - 1].end, target.end
    rest = text[:cut_start] + text[cut_end:]
    if group.labelled:
        rest = _renumber_labels(rest, group.start, group.end - (cut_end - cut_start))
    return rest


def _renumber_labels(text: str, start: int, end: int) -> str:
    counter = iter(range(1, 1000))
    middle = re.sub(
        r"\[(\s*)Option\s+\d+(\s*):",
        lambda m: f"[{m.group(1)}Option {next(counter)}{m.group(2)}:",
        text[start:end],
    )
    return text[:start] + middle + text[end:]


# --- Rendering ---------------------------------------------------------------------------


def render_html(text: str, colours: Mapping[str, str] | None = None) -> str:
    """HTML for a page: brackets kept, options numbered and coloured by their sponsor.

    Every piece of user text is escaped here; callers may mark the result safe.
    """
    return render_segments(parse(text), colours)


def render_segments(segments: tuple[Segment, ...], colours: Mapping[str, str] | None = None) -> str:
    """``render_html`` for an already parsed text."""
    return "".join(_render(segments, colours or {}, [0]))


def _render(
    segments: tuple[Segment, ...], colours: Mapping[str, str], counter: list[int]
) -> Iterator[str]:
    for segment in segments:
        if isinstance(segment, Literal):
            yield html.escape(segment.text)
            continue
        index = counter[0]
        counter[0] += 1
        kind = "choice" if segment.is_choice else "span"
        yield f'<span class="br-group br-{kind}" data-group="{index}">'
        for i, option in enumerate(segment.options):
            if i and not segment.labelled:
                yield '<span class="br-sep">/</span>'
            elif i:
                yield " "
            colour = colours.get(option.sponsors[0], "") if option.sponsors else ""
            style = f' style="--sponsor:{html.escape(colour)}"' if colour else ""
            sponsor_attr = html.escape(" ".join(option.sponsors))
            yield f'<span class="br-option" data-sponsors="{sponsor_attr}"{style}>'
            yield '<span class="br">[</span>'
            if segment.is_choice or option.label:
                label = html.escape(option.label or f"Option {i + 1}")
                yield f'<span class="br-label">{label}:</span> '
            yield from _render(option.segments, colours, counter)
            yield '<span class="br">]</span>'
            if option.sponsors:
                yield f'<sup class="br-sponsors">{html.escape(", ".join(option.sponsors))}</sup>'
            yield "</span>"
        yield "</span>"


# --- Footnotes ---------------------------------------------------------------------------
#
# ``{^…}`` is a footnote (its text, or a number pasted from a PDF): literal text to the
# bracket grammar, never a bracket. A rendered wording carries it as written; these place
# it as a reader expects: a numbered reference and the note at the foot (the page), or a
# footnote of the printed page (the PDF, through CSS ``float: footnote``).

_FOOTNOTE = re.compile(r"\{\^([^{}]*)\}")


def footnote_texts(text: str) -> list[str]:
    """The footnotes of a raw wording, in order, as written (escapes undone)."""
    return [_unescape(m.group(1)) for m in _FOOTNOTE.finditer(text)]


def without_footnotes(text: str) -> str:
    """A raw wording without its footnotes (for the body of a Word or AKN paragraph)."""
    return _FOOTNOTE.sub("", text)


def footnotes_apart(
    rendered: str, *, key: str, start: int = 1
) -> tuple[str, list[tuple[int, str]]]:
    """``rendered`` (``render_html``'s output) with each footnote a numbered reference
    linking to ``#fn-<key>-<n>``, numbered from ``start``; and the notes (number, escaped
    HTML) for the list at the foot."""
    notes: list[tuple[int, str]] = []

    def ref(match: re.Match[str]) -> str:
        n = start + len(notes)
        notes.append((n, match.group(1)))
        return (
            f'<sup class="fn-ref" id="fnref-{key}-{n}"><a href="#fn-{key}-{n}" '
            f'role="doc-noteref">{n}</a></sup>'
        )

    return _FOOTNOTE.sub(ref, rendered), notes


def footnotes_list_html(notes: list[tuple[int, str]], *, key: str, label: str, back: str) -> str:
    """The notes at the foot of a provision, each linking back to its reference
    (``label`` and ``back`` are already escaped)."""
    if not notes:
        return ""
    items = "".join(
        f'<li id="fn-{key}-{n}" value="{n}" role="doc-footnote">{note} '
        f'<a href="#fnref-{key}-{n}" class="fn-back" aria-label="{back}">↩</a></li>'
        for n, note in notes
    )
    return f'<ol class="footnotes" aria-label="{label}">{items}</ol>'


def footnotes_floated(rendered: str) -> str:
    """``rendered`` with each footnote a footnote of the printed page (WeasyPrint numbers
    it and sets it at the foot of the page where it falls)."""
    return _FOOTNOTE.sub(lambda m: f'<span class="fn">{m.group(1)}</span>', rendered)


def footnotes_inline(rendered: str) -> str:
    """``rendered`` with each footnote shown in place, small and marked as a note (a
    proposal's wording, a referral: no foot to set it at)."""
    return _FOOTNOTE.sub(
        lambda m: f'<span class="fn-inline"><sup aria-hidden="true">*</sup>({m.group(1)})</span>',
        rendered,
    )
