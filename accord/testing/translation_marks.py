"""Find user-facing text that is not marked for translation (the checks that are reliable).

- ``error_case_problems``: every ``ErrorCase`` (``Kind.case(code, sentence)``) has a
  literal dotted code and a sentence that is one lazy translation of one literal, with
  named placeholders only (``{holders}``, never ``{}`` or ``%s``).
- ``eager_translation_problems``: no ``gettext`` (not lazy) runs at import time (module
  or class level), where it would fix the language of the process's first import.
- ``untranslated_template_text``: visible text and user-facing attributes (``title``,
  ``aria-label``, ``placeholder``, ``alt``) of a template outside ``{% translate %}`` /
  ``{% blocktranslate %}``. A heuristic: text is "visible" if it has a letter once tags,
  variables and scripts are removed; names that are not translated (Accord, UTC) are
  allowed by ``ALLOWED_TEXT``.

Not checked, because no check would be reliable: whether a plain string in Python is
shown to a user (a label in a dict, a ``help=`` of a command) or is a code, a kind or a
key; whether a sentence is assembled from pieces at run time.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

LAZY = {"gettext_lazy", "pgettext_lazy", "ngettext_lazy", "npgettext_lazy"}
EAGER = {"gettext", "pgettext", "ngettext", "npgettext"}
TRANSLATION_MODULE = "django.utils.translation"
CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
# A placeholder without a name, or printf style: translators cannot reorder them.
UNNAMED = re.compile(r"\{\}|\{\d*[:!][^}]*\}|%[sdr]|%\(")


def python_sources(root: Path) -> Iterator[Path]:
    """The project's Python, without tests and migrations."""
    for path in sorted(root.rglob("*.py")):
        parts = set(path.relative_to(root).parts)
        if parts & {"tests", "migrations", "node_modules", ".venv"}:
            continue
        yield path


def _translation_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The local names bound to lazy and to eager translation functions."""
    lazy, eager = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION_MODULE:
            for alias in node.names:
                name = alias.asname or alias.name
                if alias.name in LAZY:
                    lazy.add(name)
                elif alias.name in EAGER:
                    eager.add(name)
    return lazy, eager


def _called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return None


def _case_arguments(node: ast.Call) -> tuple[str, ast.AST | None] | None:
    """(code, sentence) of ``Kind.case(code, sentence)`` or ``ErrorCase(kind, code,
    sentence)`` with a literal code; None for any other call."""
    if isinstance(node.func, ast.Attribute) and node.func.attr == "case":
        positional = list(node.args)
    elif isinstance(node.func, ast.Name) and node.func.id == "ErrorCase":
        positional = list(node.args[1:])
    else:
        return None
    keywords = {k.arg: k.value for k in node.keywords}
    code = positional[0] if positional else keywords.get("code")
    sentence = positional[1] if len(positional) > 1 else keywords.get("sentence")
    if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
        return None
    return code.value, sentence


def _literal_message(call: ast.AST | None, lazy: set[str]) -> str | None:
    """The literal message of a lazy translation call, or None if ``call`` is not one."""
    name = _called_name(call) if call is not None else None
    if name not in lazy or not isinstance(call, ast.Call):
        return None
    # pgettext_lazy(context, message): the message comes second.
    index = 1 if name.startswith(("pgettext", "npgettext")) else 0
    if len(call.args) <= index:
        return None
    message = call.args[index]
    if isinstance(message, ast.Constant) and isinstance(message.value, str):
        return message.value
    return None


def error_case_problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lazy, _eager = _translation_names(tree)
    problems = []
    for node in ast.walk(tree):
        found = _case_arguments(node) if isinstance(node, ast.Call) else None
        if found is None:
            continue
        code, sentence = found
        where = f"{path}:{node.lineno}"
        if not CODE.fullmatch(code):
            problems.append(f"{where}: {code!r} is not a dotted lower-case code")
        text = _literal_message(sentence, lazy)
        if text is None:
            problems.append(f"{where}: {code}: the sentence is not gettext_lazy of a literal")
        elif UNNAMED.search(text):
            problems.append(f"{where}: {code}: the sentence has an unnamed placeholder")
    return problems


def eager_translation_problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    _lazy, eager = _translation_names(tree)
    if not eager:
        return []
    problems = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if not inside and _called_name(child) in eager:
                problems.append(f"{path}:{child.lineno}: gettext at import time (use gettext_lazy)")
            visit(child, inside)

    visit(tree, False)
    return problems


# Names shown as they are in every language (formats are named as their makers name them).
ALLOWED_TEXT = {"Accord", "UTC", "API", "HLC", "PDF", "Akoma", "Ntoso"}
# Identifiers, not words: a subject (provision:NUC-4.2), a time zone (Europe/Zurich), a
# file extension (.docx). They read the same in every language.
_IDENTIFIER = re.compile(r"^(?:[\w.-]+[/:][\w./:-]+|\.[a-z0-9]+)$")
_DROPPED = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktrans(late)?\b.*?\{%\s*endblocktrans(late)?\s*%\}", re.S),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"<!--.*?-->", re.S),
]
_VISIBLE_ATTRIBUTE = re.compile(
    r"""\b(title|aria-label|placeholder|alt)\s*=\s*("([^"]*)"|'([^']*)')""", re.I
)
_TAG = re.compile(r"<[^>]*>", re.S)
_LETTER = re.compile(r"[^\W\d_]")
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def _visible(text: str) -> bool:
    pieces = [p for p in _ENTITY.sub(" ", text).split() if not _IDENTIFIER.match(p)]
    words = [w for w in re.split(r"[\s·|,;:()\[\]/]+", " ".join(pieces)) if w]
    return any(_LETTER.search(w) and w not in ALLOWED_TEXT for w in words)


def untranslated_template_text(source: str) -> list[str]:
    """The pieces of visible text in ``source`` (a template) not marked for translation."""
    for pattern in _DROPPED[:5]:
        source = pattern.sub(" ", source)
    found = []
    for match in _VISIBLE_ATTRIBUTE.finditer(source):
        value = match.group(3) if match.group(3) is not None else match.group(4)
        for pattern in _DROPPED[5:]:
            value = pattern.sub(" ", value)
        if _visible(value):
            found.append(value.strip())
    text = _VISIBLE_ATTRIBUTE.sub(" ", source)
    for pattern in _DROPPED[5:]:
        text = pattern.sub(" ", text)
    for piece in _TAG.split(text):
        if _visible(piece):
            found.append(" ".join(piece.split()))
    return found
