"""Documents in right-to-left languages: the PDF set right to left in fonts that cover
the script (issue 20, point 4; decision 0162). Pages are rendered to PNG with pdftoppm
(poppler-utils, ``scripts/system-deps.sh``) into /tmp/accord-bidi-shots to be looked at."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accord import fonts
from accord.drafting.models import Provision
from accord.drafting.services import languages


@pytest.fixture(autouse=True)
def _language_reset():
    """A page asked for in another language leaves it active in this thread (Django's
    LocaleMiddleware activates without deactivating): back to English for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


SHOTS = Path("/tmp/accord-bidi-shots")
URDU = "فریقین [تعاون]{US} کریں گے\u06d4"


def _client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _fonts_of(pdf: Path) -> str:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed: scripts/system-deps.sh")
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def _page_png(pdf: Path, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf), str(SHOTS / name)],
        check=True,
    )
    return SHOTS / f"{name}-1.png"


def test_vazirmatn_is_found_for_persian_and_each_script_has_its_face():
    assert fonts.vazirmatn_files(), "Vazirmatn: npm ci (node_modules/vazirmatn) or fonts-vazirmatn"
    assert fonts.family_for("fa").startswith('"Vazirmatn"')
    assert fonts.family_for("ur").startswith('"Noto Nastaliq Urdu"')
    assert fonts.family_for("ar").startswith('"Noto Naskh Arabic"')
    assert (
        "Vazirmatn" in fonts.font_faces_css()
        or Path("/usr/share/fonts/truetype/vazirmatn").is_dir()
    )


def test_a_text_and_its_urdu_version_print_right_to_left_in_nastaliq(cast, islamabad, tmp_path):
    # Given a WG-NUC text with an Urdu version, read by a facilitator in Urdu
    from accord.drafting import services

    document = services.document_create(
        actor=cast["pk-chair"], body_code="WG-NUC", title="Joint statement"
    )
    services.provision_add(
        actor=cast["pk-chair"],
        document_id=document.public_id,
        kind="paragraph",
        text="The Parties [shall cooperate]{US} under Article 4.2.",
    )
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=document.public_id, language="ur"
    )
    for p in Provision.objects.filter(document=document):
        languages.provision_translate(
            actor=cast["pk-chair"], version_id=version.public_id, provision_wid=p.wid, text=URDU
        )
    client = _client(cast["pk-chair"], "ur")

    # When the text and the bilingual version are exported as PDF
    single = client.get(reverse("drafting:export", args=[document.public_id, "pdf"]))
    both = client.get(reverse("drafting:language_export", args=[version.public_id, "pdf"]))

    # Then both are PDFs whose Urdu is set in Noto Nastaliq Urdu, pages looked at as PNG
    assert single.status_code == 200 and both.status_code == 200
    (tmp_path / "single.pdf").write_bytes(single.content)
    (tmp_path / "both.pdf").write_bytes(both.content)
    assert "Nastaliq" in _fonts_of(tmp_path / "both.pdf")
    assert _page_png(tmp_path / "single.pdf", "text-ur").is_file()
    assert _page_png(tmp_path / "both.pdf", "bilingual-ur").is_file()
