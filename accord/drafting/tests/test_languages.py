"""Equally authentic texts: language versions aligned provision by provision (issue 20,
point 5; decision 0163)."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from accord import bidi
from accord.drafting import services
from accord.drafting.language_selectors import aligned_rows, language_versions_of
from accord.drafting.models import Document, Provision
from accord.drafting.services import languages
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.testing.need_to_know import assert_learns_nothing_of_others

PERSIAN = "کشورهای عضو [باید]{US} همکاری کنند."


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def small(cast, islamabad):
    """A two-provision text of WG-NUC, its pen with the facilitators (pk-chair)."""
    document = services.document_create(
        actor=cast["pk-chair"], body_code="WG-NUC", title="Joint statement"
    )
    for text in ("The Parties [shall]{US} cooperate.", "This statement is [final]{IR}."):
        services.provision_add(
            actor=cast["pk-chair"], document_id=document.public_id, kind="paragraph", text=text
        )
    return document


def _translate_all(cast, document, version):
    for p in Provision.objects.filter(document=document):
        words = PERSIAN if "cooperate" in p.text else "این بیانیه [نهایی]{IR} است."
        languages.provision_translate(
            actor=cast["pk-chair"], version_id=version.public_id, provision_wid=p.wid, text=words
        )


def test_a_translation_is_current_until_its_original_changes_then_stale(cast, small):
    # Given a Persian version of a two-provision text, fully translated
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    _translate_all(cast, small, version)
    [state] = language_versions_of(small)
    assert (state.needed, state.current, state.stale, state.ready) == (2, 2, 0, True)

    # When the original of the first provision changes
    first = Provision.objects.filter(document=small).order_by("order").first()
    services.provision_edit(
        actor=cast["pk-chair"],
        provision_id=first.wid,
        text="The Parties [shall]{US} work together.",
    )

    # Then its translation is flagged stale, the other stays current
    rows = aligned_rows(small, version)
    assert [r.state for r in rows] == ["stale", "current"]
    assert Event.objects.filter(kind="ProvisionTranslated").count() == 2


def test_a_translation_must_keep_the_originals_brackets_and_options(cast, small):
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    first = Provision.objects.filter(document=small).order_by("order").first()
    with pytest.raises(ValidationFailed) as raised:
        languages.provision_translate(
            actor=cast["pk-chair"],
            version_id=version.public_id,
            provision_wid=first.wid,
            text="کشورهای عضو همکاری کنند.",  # the bracket dropped
        )
    assert raised.value.error_case is languages.TRANSLATION_MISALIGNED
    assert languages.bracket_shape("[a]{US} then [x][y][z]") == (1, 3)


def test_adoption_waits_for_every_language_version_complete_and_current(cast, small):
    # Given a text every party accepts, with a Persian version only half translated
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    first = Provision.objects.filter(document=small).order_by("order").first()
    languages.provision_translate(
        actor=cast["pk-chair"], version_id=version.public_id, provision_wid=first.wid, text=PERSIAN
    )
    for p in Provision.objects.filter(document=small):
        services.bracket_resolve(actor=cast["pk-chair"], provision_id=p.wid, group=0, keep=0)
    # the original lost its brackets: the translation must too
    for p in Provision.objects.filter(document=small):
        for user in ("us-expert", "ir-expert"):
            services.position_state(actor=cast[user], provision_id=p.wid, stance="accept")

    # When the pen-holder adopts, Then it is refused with the versions' case
    with pytest.raises(Conflict) as raised:
        services.document_adopt(actor=cast["pk-chair"], document_id=small.public_id)
    assert raised.value.error_case is languages.LANGUAGE_VERSIONS_NOT_READY
    assert "fa" in raised.value.message

    # And once every provision is translated from the current wording, it is adopted
    for p in Provision.objects.filter(document=small):
        languages.provision_translate(
            actor=cast["pk-chair"],
            version_id=version.public_id,
            provision_wid=p.wid,
            text=bidi.strip_isolates("متن توافق‌شده."),
        )
    adopted = services.document_adopt(actor=cast["pk-chair"], document_id=small.public_id)
    assert adopted.status == Document.Status.AGREED


def test_only_the_pen_holder_adds_a_version_and_a_language_twice_is_refused(cast, small):
    with pytest.raises(PermissionDenied):
        languages.language_version_add(
            actor=cast["us-expert"], document_id=small.public_id, language="fa"
        )
    languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="ur"
    )
    with pytest.raises(Conflict) as raised:
        languages.language_version_add(
            actor=cast["pk-chair"], document_id=small.public_id, language="ur"
        )
    assert raised.value.error_case is languages.LANGUAGE_VERSION_EXISTS


def test_the_side_by_side_page_shows_both_versions_and_marks_a_stale_one(cast, small):
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    _translate_all(cast, small, version)
    first = Provision.objects.filter(document=small).order_by("order").first()
    services.provision_edit(
        actor=cast["pk-chair"], provision_id=first.wid, text="The Parties [shall]{US} act."
    )

    client = _client(cast["ir-expert"])
    listing = client.get(reverse("drafting:languages", args=[small.public_id]))
    page = client.get(reverse("drafting:language_version", args=[version.public_id]))

    assert listing.status_code == 200
    assert 'data-version="fa" data-ready="false"' in listing.text
    assert page.status_code == 200
    assert 'lang="fa" dir="rtl"' in page.text
    assert PERSIAN.split("[")[0].strip() in page.text
    assert page.text.count("data-stale") == 1
    assert 'data-state="current"' in page.text
    assert "Translate" not in page.text.split("data-side-by-side", 1)[1]  # a party: no pen
    assert_learns_nothing_of_others(page.text)


def test_a_version_is_as_private_as_its_text(cast, small):
    # Given a version of a WG-NUC text
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    _translate_all(cast, small, version)
    # When someone outside the working group asks for it by every route
    outsider = _client(cast["ir-member"])
    routes = [
        reverse("drafting:languages", args=[small.public_id]),
        reverse("drafting:language_version", args=[version.public_id]),
        reverse("drafting:language_export", args=[version.public_id, "docx"]),
        reverse("drafting:language_export", args=[version.public_id, "pdf"]),
    ]
    missing = _client(cast["ir-member"]).get(
        reverse("drafting:language_version", args=["00000000-0000-4000-8000-000000000000"])
    )
    # Then each answers like a missing version, and the wording appears nowhere
    for route in routes:
        response = outsider.get(route)
        assert response.status_code == 404, route
        assert "همکاری" not in response.content.decode(errors="replace")
    assert missing.status_code == 404
    with pytest.raises(NotFound):
        languages.language_version_access(cast["ir-member"], str(version.public_id))


def test_the_bilingual_docx_writes_the_version_right_to_left_in_its_font(cast, small):
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    _translate_all(cast, small, version)
    response = _client(cast["ir-expert"]).get(
        reverse("drafting:language_export", args=[version.public_id, "docx"])
    )
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert xml.count("<w:gridCol") == 2  # two columns
    assert "<w:bidi/>" in xml and "<w:rtl/>" in xml
    assert 'w:cs="Vazirmatn"' in xml and 'w:bidi="fa-IR"' in xml
    assert f"{bidi.LRI}1.{bidi.PDI}" in xml  # the number kept in order in the RTL column
    assert "همکاری کنند" in xml and "cooperate" in xml


def test_the_bilingual_plain_text_isolates_labels_and_each_versions_words(cast, small):
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    _translate_all(cast, small, version)
    response = _client(cast["ir-expert"]).get(
        reverse("drafting:language_export", args=[version.public_id, "txt"])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{bidi.LRI}Paragraph 1{bidi.PDI}" in text
    assert f"[fa] {bidi.FSI}{PERSIAN}{bidi.PDI}" in text
    assert f"[en] {bidi.FSI}The Parties [shall]{{US}} cooperate.{bidi.PDI}" in text


def test_the_bilingual_pdf_is_drawn_in_two_columns_with_the_scripts_fonts(cast, small, tmp_path):
    version = languages.language_version_add(
        actor=cast["pk-chair"], document_id=small.public_id, language="fa"
    )
    _translate_all(cast, small, version)
    response = _client(cast["ir-expert"]).get(
        reverse("drafting:language_export", args=[version.public_id, "pdf"])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "bilingual.pdf"
    pdf.write_bytes(response.content)
    fonts = (
        subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        if shutil.which("pdffonts")
        else ""
    )
    if fonts:
        assert "Vazirmatn" in fonts
    if shutil.which("pdftoppm"):
        out = Path("/tmp/accord-bidi-shots")
        out.mkdir(exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(out / "bilingual-fa"),
            ],
            check=True,
        )
        assert (out / "bilingual-fa-1.png").is_file()


def test_the_demo_gives_the_framework_a_persian_version_that_holds_up_adoption(texts, islamabad):
    from accord.drafting import demo_languages

    demo_languages.demo_content_ensure(process=islamabad)
    demo_languages.demo_content_ensure(process=islamabad)  # idempotent
    [state] = language_versions_of(texts["framework"])
    assert state.version.language == "fa"
    assert 0 < state.current < state.needed and not state.misaligned
