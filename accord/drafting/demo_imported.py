"""Demo content: a draft pasted as a secretariat publishes it (issue 14).

Kept apart from ``drafting.demo`` (which the drafting tests seed for every test) so the
tests' demo texts stay small; ``accord demo`` seeds both (``DEMO_CONTENT``).
"""

from __future__ import annotations

from pathlib import Path

from accord.accounts.models import User
from accord.drafting import services
from accord.drafting.models import Document
from accord.drafting.reading import parse_text
from accord.process.models import Body, Process

IMPORTED_TITLE = "Draft agreement on transboundary freshwater ecosystems (imported)"
SAMPLE = Path(__file__).parent / "samples" / "un_style_draft.txt"


def demo_content_ensure(*, process: Process) -> None:
    """Import the sample draft once: "2 bis" articles, "(i)" and "(A)" levels, options, a
    bracket over two sub-paragraphs, a stray bracket and footnotes, without an edit; its
    warnings are on the text's page ("As imported")."""
    if Document.objects.filter(process=process, title=IMPORTED_TITLE).exists():
        return
    chair = User.objects.filter(delegation__process=process, username="pk-rapporteur").first()
    if chair is None or not Body.objects.filter(process=process, code="HLC").exists():
        return
    services.document_import(
        actor=chair, body_code="HLC", title=IMPORTED_TITLE, report=parse_text(SAMPLE.read_text())
    )
