"""Turning a charter file into a validated ``Charter``, or every problem it has (no Django).

Validation runs in two passes over the same parsed document:

1. the pydantic models of ``schema`` check shape and types (unknown keys are errors);
2. the named checks of ``checks`` look at what spans several entries (duplicate codes,
   references, cycles, dates). They read the raw mapping defensively, so both passes
   report in one go even when the first has already failed.

Line numbers come from the node tree PyYAML composes (as ``yaml.compose`` does): a
problem's path is walked through the tree to the node it names.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from accord.geo.zones import Geography, geography_read
from accord.process.charter.checks import semantic_problems
from accord.process.charter.problems import (
    DOCUMENT_PATH,
    DUPLICATE_KEY,
    FILE_EMPTY,
    FILE_NOT_FOUND,
    FILE_NOT_UTF8,
    FILE_UNREADABLE,
    UNSUPPORTED_VERSION,
    YAML_SYNTAX,
    CharterInvalid,
    CharterProblem,
    describe,
    format_path,
    suggest,
)
from accord.process.charter.schema import CHARTER_VERSION, Charter

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BOOL_TAG = "tag:yaml.org,2002:bool"


class _CharterLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text and reads only true/false as booleans.

    Dates stay strings so that an impossible date (2026-02-30) becomes a located problem
    from the date validator instead of a crash inside PyYAML. YAML 1.1 also reads yes, no,
    on and off as booleans, which would turn Norway's code NO into ``False``.

    PyYAML composes nested collections recursively: a file of thousands of nested
    ``[`` reached Python's recursion limit (a traceback). Nesting is bounded here, far
    beyond any real charter's, and deeper is a located syntax problem.
    """

    MAX_NESTING = 64
    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > self.MAX_NESTING:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"collections are nested more than {self.MAX_NESTING} levels deep",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CharterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP_TAG, _BOOL_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CharterLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# --- Locating nodes ------------------------------------------------------------------------


def _line_of(root: yaml.Node, loc: Sequence[str | int]) -> int:
    """The 1-based line of the node at ``loc``.

    A mapping entry is placed at its key; a missing key at the mapping that lacks it.
    """
    node: yaml.Node = root
    line = node.start_mark.line + 1
    for step in loc:
        child: yaml.Node | None = None
        if step == "translations":
            continue  # written in place: name: {en: …, fa: …} (schema._split_translations)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                    line = key_node.start_mark.line + 1
                    child = value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            child = node.value[step]
            line = child.start_mark.line + 1
        if child is None:
            return node.start_mark.line + 1
        node = child
    return line


def _duplicate_key_problems(root: yaml.Node, filename: str) -> list[CharterProblem]:
    """Keys repeated within one mapping (PyYAML keeps the last one without a word)."""
    problems = []
    pending: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())]
    seen_nodes: set[int] = set()
    while pending:
        node, loc = pending.pop()
        if id(node) in seen_nodes:  # aliases share nodes
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in first_lines:
                    message = DUPLICATE_KEY.format(key=key, first_line=first_lines[key])
                    problems.append(
                        CharterProblem(filename, line, format_path((*loc, key)), message)
                    )
                else:
                    first_lines[key] = line
                    pending.append((value_node, (*loc, key)))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((item, (*loc, index)) for index, item in enumerate(node.value))
    return problems


def _section_model(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class of the section at ``loc`` (to suggest keys), if ``loc`` names one."""
    model: type[BaseModel] = Charter
    for step in loc:
        if isinstance(step, int):
            continue
        field = model.model_fields.get(step)
        if field is None:
            return None
        annotation = field.annotation
        # list[Spec] -> Spec; a plain field is not a section.
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        else:
            return None
    return model


def _sentence(error: ErrorDetails) -> str:
    kind = error["type"]
    loc = error["loc"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    key = loc[-1] if loc else ""
    if kind == "missing":
        return f"The required key {key!r} is missing."
    if kind == "extra_forbidden":
        model = _section_model(loc[:-1])
        allowed = (
            sorted(field.alias or name for name, field in model.model_fields.items())
            if model
            else []
        )
        hint = suggest(key, allowed)
        known = f" Known keys here: {', '.join(allowed)}." if allowed and not hint else ""
        return f"{key!r} is not a key of this section.{hint}{known}"
    if kind in ("literal_error", "enum"):
        if loc == ("charter_version",):
            return UNSUPPORTED_VERSION.format(version=value)
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'([^']*)'", expected)
        hint = suggest(value, options)
        return f"{describe(value)} is not allowed here; expected {expected}.{hint}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_type":
        return f"Expected text here, got {describe(value)}."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"Expected a whole number here, got {describe(value)}."
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        relation = "at least" if kind == "greater_than_equal" else "greater than"
        return f"The number must be {relation} {bound}, got {describe(value)}."
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        relation = "at most" if kind == "less_than_equal" else "less than"
        return f"The number must be {relation} {bound}, got {describe(value)}."
    if kind == "string_too_short":
        return "This must not be empty."
    if kind == "string_too_long":
        return f"This is too long: at most {ctx.get('max_length')} characters."
    if kind == "list_type":
        return f"Expected a list here, got {describe(value)}."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"Expected a mapping (key: value entries) here, got {describe(value)}."
    if kind in ("bool_type", "bool_parsing"):
        return f"Expected true or false here, got {describe(value)}."
    message = error["msg"].rstrip(".")
    return f"{message[:1].upper()}{message[1:]} (got {describe(value)})."


def _validation_problems(
    error: ValidationError, root: yaml.Node, filename: str
) -> list[CharterProblem]:
    return [
        CharterProblem(
            file=filename,
            line=_line_of(root, detail["loc"]),
            path=format_path(detail["loc"]),
            message=_sentence(detail),
        )
        for detail in error.errors(include_url=False)
    ]


def _geography_read(
    charter: Charter, base_dir: str
) -> tuple[dict[str, Geography], list[tuple[tuple[str | int, ...], str]]]:
    """Each mechanism's area and zones from the GeoJSON files it names, and their problems
    located at the key that names the file."""
    geography: dict[str, Geography] = {}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for index, mechanism in enumerate(charter.mechanisms):
        if not mechanism.area_file and not mechanism.zones:
            continue
        found, by_key = geography_read(
            area_file=mechanism.area_file, zone_files=mechanism.zones, base_dir=base_dir
        )
        geography[mechanism.code] = found
        for key, file_problems in by_key.items():
            loc = (
                ("mechanisms", index, "area_file")
                if key == "area_file"
                else ("mechanisms", index, "zones", key)
            )
            problems.extend((loc, str(problem)) for problem in file_problems)
    return geography, problems


# --- Entry points --------------------------------------------------------------------------


def _sorted(problems: list[CharterProblem]) -> list[CharterProblem]:
    unique = dict.fromkeys(problems)
    return sorted(unique, key=lambda problem: (problem.line, problem.path))


def charter_parse(
    text: str, *, filename: str, base_dir: str | os.PathLike[str] | None = None
) -> Charter:
    """Parse and validate the charter ``text``; ``filename`` is only used in problems.

    With ``base_dir`` (``charter_read`` passes the file's folder), the GeoJSON files the
    mechanisms name (``area_file``, ``zones``) are read from there and checked too;
    without it the charter has no geography.

    Raise ``CharterInvalid`` with every problem found, in file order.
    """
    loader = _CharterLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = "; ".join(part for part in (error.context, error.problem) if part)
        message = YAML_SYNTAX.format(problem=problem or "syntax error")
        raise CharterInvalid([CharterProblem(filename, line, DOCUMENT_PATH, message)]) from None
    except yaml.YAMLError as error:
        message = YAML_SYNTAX.format(problem=str(error).strip() or "syntax error")
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, message)]) from None
    finally:
        loader.dispose()
    if root is None:
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, FILE_EMPTY)])

    # A different version may be a different format altogether: say only that.
    version = data.get("charter_version") if isinstance(data, dict) else None
    if version is not None and version != CHARTER_VERSION:
        line = _line_of(root, ("charter_version",))
        message = UNSUPPORTED_VERSION.format(version=version)
        raise CharterInvalid([CharterProblem(filename, line, "charter_version", message)])

    problems = _duplicate_key_problems(root, filename)
    charter: Charter | None = None
    try:
        charter = Charter.model_validate(data)
    except ValidationError as error:
        problems.extend(_validation_problems(error, root, filename))
    if isinstance(data, dict):
        problems.extend(
            CharterProblem(filename, _line_of(root, loc), format_path(loc), message)
            for loc, message in semantic_problems(data)
        )
    if charter is not None and base_dir is not None:
        geography, geo_problems = _geography_read(charter, os.fspath(base_dir))
        charter._geography = geography
        problems.extend(
            CharterProblem(filename, _line_of(root, loc), format_path(loc), message)
            for loc, message in geo_problems
        )
    if problems or charter is None:
        raise CharterInvalid(_sorted(problems))
    charter._filename = filename
    charter._sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return charter


def charter_read(path: str | os.PathLike[str]) -> Charter:
    """Read and validate the charter file at ``path`` (UTF-8; a leading BOM is allowed).

    Raise ``CharterInvalid`` for a missing or unreadable file as for an invalid charter;
    problems name the file as ``path`` was given.
    """
    filename = os.fspath(path)
    try:
        with open(filename, "rb") as file:
            raw = file.read()
    except FileNotFoundError:
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, FILE_NOT_FOUND)]) from None
    except OSError as error:
        message = FILE_UNREADABLE.format(reason=error.strerror or error)
        raise CharterInvalid([CharterProblem(filename, 1, DOCUMENT_PATH, message)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = FILE_NOT_UTF8.format(offset=error.start)
        raise CharterInvalid([CharterProblem(filename, line, DOCUMENT_PATH, message)]) from None
    return charter_parse(text, filename=filename, base_dir=os.path.dirname(filename) or ".")
