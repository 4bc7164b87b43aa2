"""The translation catalogues (``accord/locale/<lang>/LC_MESSAGES/django.po``): compiled,
counted, and translated in chunks.

Pure Python over polib, no Django: ``make setup`` compiles the catalogues with it on a
machine that has no GNU gettext, and the translators' tool works outside a project.

    python -m accord.catalogues compile            # every .po to its .mo
    python -m accord.catalogues status             # translated / untranslated / fuzzy
    python -m accord.catalogues export fa DIR      # what is left to translate, in chunks
    python -m accord.catalogues import fa FILE...  # translations back, every one checked

A chunk is a JSON list of entries to translate; the translator answers with the same list,
each entry given a ``msgstr`` (or ``msgstr_plural``, one string per plural form of the
language). ``import`` refuses an answer whose placeholders (``{name}``, ``%(name)s``, ``%s``)
or HTML tags differ from the English, or that has the wrong number of plural forms, and
says which entry and why; the others are written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# Each language's plural rule, as GNU gettext and CLDR give it. Arabic has six forms:
# zero, one, two, few (3 to 10), many (11 to 99), other.
PLURAL_FORMS = {
    "fa": "nplurals=2; plural=(n > 1);",
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5);"
    ),
    "ur": "nplurals=2; plural=(n != 1);",
}
LANGUAGE_NAMES = {"fa": "Persian", "ar": "Arabic", "ur": "Urdu"}

_PLACEHOLDER = re.compile(
    r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}"  # {name}, {name!r}, {limit:,}
    r"|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|%[sdif]"  # %(name)s, %s
)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def nplurals(language: str) -> int:
    return int(PLURAL_FORMS[language].split(";")[0].split("=")[1])


@dataclass(frozen=True)
class Status:
    language: str
    translated: int
    untranslated: int
    fuzzy: int

    def __str__(self) -> str:
        return (
            f"{self.language}: {self.translated} translated, "
            f"{self.untranslated} untranslated, {self.fuzzy} fuzzy"
        )


def _is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _live(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue if not e.obsolete]


def status(language: str) -> Status:
    catalogue = polib.pofile(str(catalogue_path(language)))
    entries = _live(catalogue)
    fuzzy = sum(1 for e in entries if "fuzzy" in e.flags)
    translated = sum(1 for e in entries if _is_translated(e) and "fuzzy" not in e.flags)
    return Status(language, translated, len(entries) - translated - fuzzy, fuzzy)


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write every catalogue's .mo beside it; return the files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        polib.pofile(str(po)).save_as_mofile(str(mo))
        written.append(mo)
    return written


def _shape(text: str) -> tuple[Counter[str], Counter[str]]:
    return Counter(_PLACEHOLDER.findall(text)), Counter(_TAG.findall(text))


def translation_problems(
    language: str, msgid: str, msgid_plural: str, translations: list[str]
) -> list[str]:
    """Why these translations of one entry cannot be used (nothing when they can)."""
    problems = []
    if msgid_plural and len(translations) != nplurals(language):
        problems.append(
            f"{len(translations)} plural forms given, {LANGUAGE_NAMES[language]} has "
            f"{nplurals(language)}"
        )
    if any(not t.strip() for t in translations):
        problems.append("an empty translation")
    english = [_shape(msgid)] + ([_shape(msgid_plural)] if msgid_plural else [])
    placeholders = set().union(*(set(p) for p, _ in english))
    tags = english[0][1]
    for number, text in enumerate(translations):
        found, found_tags = _shape(text)
        # Never a placeholder the English lacks. A plural form other than the last may
        # leave one out (Arabic's "one" and "two" forms often drop the count); the last,
        # the general form, keeps them all.
        unknown = set(found) - placeholders
        if unknown:
            problems.append(f"form {number}: placeholders not in the English: {sorted(unknown)}")
        general = not msgid_plural or number == len(translations) - 1
        missing = placeholders - set(found) if general else set()
        if missing:
            problems.append(f"form {number}: placeholders missing: {sorted(missing)}")
        if found_tags != tags:
            problems.append(f"form {number}: HTML tags differ from the English")
    return problems


def catalogue_problems(language: str) -> list[str]:
    """Every translation in the catalogue that ``import`` would refuse, with its reason."""
    problems = []
    for entry in _live(polib.pofile(str(catalogue_path(language)))):
        if not _is_translated(entry):
            continue
        translations = (
            [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            if entry.msgid_plural
            else [entry.msgstr]
        )
        for reason in translation_problems(language, entry.msgid, entry.msgid_plural, translations):
            problems.append(f"{language} {entry.msgid[:60]!r}: {reason}")
    return problems


def export_chunks(language: str, out_dir: Path, size: int = 200) -> list[Path]:
    """Write what is left to translate (untranslated or fuzzy) as JSON chunks."""
    catalogue = polib.pofile(str(catalogue_path(language)))
    todo = [e for e in _live(catalogue) if not _is_translated(e) or "fuzzy" in e.flags]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for start in range(0, len(todo), size):
        chunk = []
        for entry in todo[start : start + size]:
            item: dict[str, object] = {"msgid": entry.msgid}
            if entry.msgctxt:
                item["msgctxt"] = entry.msgctxt
            if entry.msgid_plural:
                item["msgid_plural"] = entry.msgid_plural
                item["msgstr_plural"] = [""] * nplurals(language)
            else:
                item["msgstr"] = ""
            if entry.occurrences:
                item["where"] = entry.occurrences[0][0]
            if entry.comment:
                item["comment"] = entry.comment
            chunk.append(item)
        path = out_dir / f"{language}-{start // size + 1:03d}.json"
        path.write_text(json.dumps(chunk, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    return written


def import_translations(language: str, files: list[Path]) -> tuple[int, list[str]]:
    """Fill the catalogue from answered chunks; return how many were written and why the
    others were refused."""
    path = catalogue_path(language)
    catalogue = polib.pofile(str(path))
    by_key = {(e.msgctxt or "", e.msgid): e for e in _live(catalogue)}
    written, refused = 0, []
    for file in files:
        for number, item in enumerate(json.loads(file.read_text(encoding="utf-8")), start=1):
            where = f"{file.name} entry {number}"
            entry = by_key.get((item.get("msgctxt") or "", item.get("msgid", "")))
            if entry is None:
                refused.append(f"{where}: no such msgid in the catalogue: {item.get('msgid')!r}")
                continue
            translations = (
                list(item.get("msgstr_plural") or [])
                if entry.msgid_plural
                else [item.get("msgstr") or ""]
            )
            if not any(t.strip() for t in translations):
                continue  # left for later
            problems = translation_problems(language, entry.msgid, entry.msgid_plural, translations)
            if problems:
                refused.append(f"{where} ({entry.msgid[:60]!r}): " + "; ".join(problems))
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(translations))
            else:
                entry.msgstr = translations[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            written += 1
    catalogue.metadata["Plural-Forms"] = PLURAL_FORMS[language]
    catalogue.metadata["Language"] = language
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save(str(path))
    return written, refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accord.catalogues", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("compile", help="write every catalogue's .mo")
    commands.add_parser("status", help="count translated, untranslated and fuzzy entries")
    commands.add_parser("check", help="every translation checked as import checks it")
    export = commands.add_parser("export", help="what is left to translate, as JSON chunks")
    export.add_argument("language", choices=sorted(PLURAL_FORMS))
    export.add_argument("directory", type=Path)
    export.add_argument("--size", type=int, default=200)
    answer = commands.add_parser("import", help="answered chunks back into the catalogue")
    answer.add_argument("language", choices=sorted(PLURAL_FORMS))
    answer.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)

    if args.command == "compile":
        for mo in compile_all():
            print(f"compiled {mo.relative_to(LOCALE_DIR.parent)}")
        return 0
    if args.command == "status":
        for language in sorted(PLURAL_FORMS):
            if catalogue_path(language).exists():
                print(status(language))
        return 0
    if args.command == "check":
        found = [
            problem
            for language in sorted(PLURAL_FORMS)
            if catalogue_path(language).exists()
            for problem in catalogue_problems(language)
        ]
        print("\n".join(found) or "every translation keeps its placeholders, tags and plurals")
        return 1 if found else 0
    if args.command == "export":
        for path in export_chunks(args.language, args.directory, args.size):
            print(path)
        return 0
    written, refused = import_translations(args.language, args.files)
    print(f"{written} translations written, {len(refused)} refused")
    for reason in refused:
        print(f"refused: {reason}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
