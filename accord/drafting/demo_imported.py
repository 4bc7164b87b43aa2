"""Demo content: a draft pasted as a secretariat publishes it (issue 14).

Kept apart from ``drafting.demo`` (which the drafting tests seed for every test) so the
tests' demo texts stay small; ``accord demo`` seeds both (``DEMO_CONTENT``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from accord.accounts.models import User
from accord.drafting import services
from accord.drafting.models import Document
from accord.drafting.reading import parse_text
from accord.drafting.wordfile import read_docx
from accord.process.models import Body, Process

IMPORTED_TITLE = "Draft agreement on transboundary freshwater ecosystems (imported)"
SAMPLE = Path(__file__).parent / "samples" / "un_style_draft.txt"
REVIEWED_TITLE = "Relief schedule, as reviewed in Word (imported)"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def demo_content_ensure(*, process: Process) -> None:
    """Import the sample draft once: "2 bis" articles, "(i)" and "(A)" levels, options, a
    bracket over two sub-paragraphs, a stray bracket and footnotes, without an edit; its
    warnings are on the text's page ("As imported")."""
    reviewed_ensure(process=process)
    if Document.objects.filter(process=process, title=IMPORTED_TITLE).exists():
        return
    chair = User.objects.filter(delegation__process=process, username="pk-rapporteur").first()
    if chair is None or not Body.objects.filter(process=process, code="HLC").exists():
        return
    services.document_import(
        actor=chair, body_code="HLC", title=IMPORTED_TITLE, report=parse_text(SAMPLE.read_text())
    )


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _change(tag: str, author: str, date: str, text: str) -> str:
    t = "delText" if tag == "del" else "t"
    return (
        f'<w:{tag} w:id="{len(text)}" w:author="{author}" '
        f'w:date="{date}"><w:r><w:{t} xml:space="preserve">{escape(text)}</w:{t}></w:r></w:{tag}>'
    )


def reviewed_docx() -> bytes:
    """A small Word draft as it comes back from two delegations' reviewers: tracked
    changes by "Ana (United States)" and "Reza (Iran)", and a footnote."""
    paragraphs = [
        _run("Relief schedule, as reviewed"),
        _run("Article 1 — Relief"),
        _run("1. Relief shall be ")
        + _change("del", "Ana (United States)", "2026-11-02T10:00:00Z", "staged")
        + _change("ins", "Ana (United States)", "2026-11-02T10:00:00Z", "phased in three tranches")
        + _run(" and reviewed")
        + '<w:r><w:footnoteReference w:id="2"/></w:r>'
        + _run("."),
        _run("2. Each tranche follows a ")
        + _change("ins", "Reza (Iran)", "2026-11-03T08:30:00Z", "[verified] ")
        + _run("step of the other Party."),
        _change("del", "Reza (Iran)", "2026-11-03T08:31:00Z", "3. Relief may be suspended."),
    ]
    styles = ['<w:pPr><w:pStyle w:val="Title"/></w:pPr>'] + [""] * (len(paragraphs) - 1)
    body = "".join(f"<w:p>{style}{p}</w:p>" for style, p in zip(styles, paragraphs, strict=True))
    parts = {
        "word/document.xml": f"<w:document {_W}><w:body>{body}</w:body></w:document>",
        "word/styles.xml": (
            f'<w:styles {_W}><w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
            "</w:styles>"
        ),
        "word/footnotes.xml": (
            f'<w:footnotes {_W}><w:footnote w:id="2"><w:p><w:r><w:t>As agreed at the second '
            "round.</w:t></w:r></w:p></w:footnote></w:footnotes>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def reviewed_ensure(*, process: Process) -> None:
    """Import the reviewed Word draft once, each reviewer's changes a proposal of their
    delegation (decision 0135): pending on the text's page for the pen-holder."""
    if Document.objects.filter(process=process, title=REVIEWED_TITLE).exists():
        return
    chair = User.objects.filter(delegation__process=process, username="qa-chair").first()
    if chair is None or not Body.objects.filter(process=process, code="WG-SAN").exists():
        return
    services.document_import(
        actor=chair,
        body_code="WG-SAN",
        title=REVIEWED_TITLE,
        report=read_docx(reviewed_docx(), changes="propose"),
        authors={"Ana (United States)": "US", "Reza (Iran)": "IR"},
    )
