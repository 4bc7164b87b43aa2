"""Tracked changes of an imported Word file become proposals of their authors'
delegations (decision 0135), and a file chosen for a preview is kept for its import
(decision 0136)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accord.drafting import import_views, services
from accord.drafting.models import Document, Proposal
from accord.drafting.services.imports import AUTHOR_DELEGATION_INVALID
from accord.drafting.tests.test_reading import _docx, _p
from accord.drafting.wordfile import read_docx
from accord.errors import ValidationFailed
from accord.testing.need_to_know import assert_learns_nothing_of_others


def _ins(author: str, text: str, date: str = "2026-11-03T09:30:00Z") -> str:
    return (
        f'<w:ins w:id="1" w:author="{author}" w:date="{date}"><w:r>'
        f'<w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
    )


def _del(author: str, text: str, date: str = "2026-11-02T08:00:00Z") -> str:
    return (
        f'<w:del w:id="2" w:author="{author}" w:date="{date}"><w:r>'
        f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _draft() -> bytes:
    """Two delegations' reviewers edit one article: Ana (United States) replaces a word
    and deletes a whole paragraph; Reza (IR) inserts a word and a new paragraph."""
    return _docx(
        "".join(
            [
                _p("Article 1 — Relief"),
                _p(
                    "",
                    inner=_run("1. Relief shall be ")
                    + _del("Ana (United States)", "staged")
                    + _ins("Ana (United States)", "phased")
                    + _run(" and ")
                    + _ins("Reza IR", "[prompt] ")
                    + _run("reviewed."),
                ),
                _p("", inner=_del("Ana (United States)", "2. Reports are annual.")),
                _p("", inner=_ins("Reza IR", "3. Each Party shall report.")),
                _p("4. Untouched by anyone."),
            ]
        )
    )


def test_reading_for_proposals_keeps_the_text_before_the_changes_and_each_authors_changes():
    report = read_docx(_draft(), changes="propose")
    assert report.ok, report.errors
    texts = [p.text for p in report.provisions]
    assert texts == [
        "",
        "Relief shall be staged and reviewed.",
        "Reports are annual.",
        "Untouched by anyone.",
    ]
    assert report.authors == {"Ana (United States)": 3, "Reza IR": 2}
    found = {(t.author, t.kind, t.provision, t.text) for t in report.tracked}
    assert found == {
        ("Ana (United States)", "replace", 1, "Relief shall be phased and reviewed."),
        ("Ana (United States)", "delete", 2, ""),
        ("Reza IR", "replace", 1, "Relief shall be staged and [prompt] reviewed."),
        ("Reza IR", "insert", 2, "Each Party shall report."),
    }
    # One author's deletion and insertion in one provision: one proposal, dated by the later.
    ana = next(t for t in report.tracked if t.author.startswith("Ana") and t.kind == "replace")
    assert ana.date == "2026-11-03T09:30:00Z"


def test_without_proposals_the_authors_are_still_listed_and_nothing_is_proposed():
    report = read_docx(_draft())
    assert report.authors == {"Ana (United States)": 3, "Reza IR": 2}
    assert report.tracked == []
    assert report.provisions[1].text == "Relief shall be staged and reviewed."


def _import(actor, authors):
    report = read_docx(_draft(), changes="propose", parties=["US", "IR"])
    return services.document_import(
        actor=actor, body_code="WG-SAN", title="Relief", report=report, authors=authors
    )


def test_each_mapped_authors_changes_become_pending_proposals_of_their_delegation(cast, islamabad):
    document = _import(cast["qa-chair"], {"Ana (United States)": "US", "Reza IR": "IR"})
    proposals = Proposal.objects.filter(document=document).order_by("delegation__code", "kind")
    shape = [(p.delegation.code, p.kind, p.state, p.source_author) for p in proposals]
    assert shape == [
        ("IR", "insert", "pending", "Reza IR"),
        ("IR", "replace", "pending", "Reza IR"),
        ("US", "delete", "pending", "Ana (United States)"),
        ("US", "replace", "pending", "Ana (United States)"),
    ]
    replace = proposals.get(delegation__code="US", kind="replace")
    assert replace.provision.text == "Relief shall be staged and reviewed."
    assert replace.text == "Relief shall be phased and reviewed."
    assert replace.source_date.isoformat() == "2026-11-03T09:30:00+00:00"
    assert replace.justification == "A tracked change in the imported Word file."
    insert = proposals.get(kind="insert")
    assert (insert.provision.label, insert.new_kind) == ("Article 1.2", "paragraph")
    assert document.import_report["proposals"] == 4
    # The pen-holder can decide it like any proposal: the wording becomes the author's.
    services.proposal_decide(
        actor=cast["qa-chair"], proposal_id=str(replace.public_id), decision="incorporate"
    )
    replace.provision.refresh_from_db()
    assert replace.provision.text == "Relief shall be phased and reviewed."


def test_an_author_left_without_a_delegation_has_their_changes_rejected(cast, islamabad):
    document = _import(cast["qa-chair"], {"Ana (United States)": "US", "Reza IR": ""})
    assert set(
        Proposal.objects.filter(document=document).values_list("delegation__code", flat=True)
    ) == {"US"}


@pytest.mark.parametrize("code", ["QA", "XX"])
def test_tracked_changes_are_attributed_only_to_a_partys_delegation(cast, islamabad, code):
    with pytest.raises(ValidationFailed) as raised:
        _import(cast["qa-chair"], {"Reza IR": code})
    assert raised.value.error_case is AUTHOR_DELEGATION_INVALID
    assert not Document.objects.exists()


def test_the_proposals_are_seen_as_any_proposal_and_by_no_one_outside_the_text(cast, islamabad):
    # Given a text of the sanctions group imported with Reza's changes as Iran's proposals
    document = _import(cast["qa-chair"], {"Reza IR": "IR"})
    url = f"/api/drafting/documents/{document.public_id}/proposals"
    # When the other party's member of the group reads them, then they are Iran's proposals,
    # as every proposal on a text is shown to the text's readers
    us = Client()
    us.force_login(cast["us-expert"])
    seen = us.get(url)
    assert seen.status_code == 200
    assert {p["delegation"] for p in seen.json()} == {"IR"}
    assert_learns_nothing_of_others(seen.json())
    # and someone outside the group learns nothing of the text or its proposals
    outsider = Client()
    outsider.force_login(cast["us-member"])
    refused = outsider.get(url)
    assert refused.status_code == 404
    assert_learns_nothing_of_others(
        refused.content, hidden=[document, *Proposal.objects.filter(document=document)]
    )


# --- The import page: choose the file once ----------------------------------------------


def _upload():
    return SimpleUploadedFile("relief.docx", _draft())


def test_the_page_lists_the_authors_then_imports_the_kept_file_as_proposals(cast, islamabad):
    client = Client()
    client.force_login(cast["qa-chair"])
    url = reverse("drafting:import_page")
    # Given a preview of a Word file with tracked changes, to become proposals
    preview = client.post(
        url, {"body": "WG-SAN", "file": _upload(), "changes": "propose", "preview": "1"}
    )
    assert preview.status_code == 200
    # then its authors are listed, each with the delegation its name names preselected
    assert "Ana (United States) (3 changes, 2 proposals)" in preview.text
    assert '<option value="US" selected>' in preview.text
    assert "The file relief.docx is kept for the import" in preview.text
    token = preview.context["form"].values["upload"]
    assert not Document.objects.exists()
    # When the pen-holder imports without choosing the file again, Reza mapped to Iran
    done = client.post(
        url,
        {
            "body": "WG-SAN",
            "changes": "propose",
            "upload": token,
            "upload_name": "relief.docx",
            "author-0": "US",
            "author-1": "IR",
        },
    )
    # then the text is imported from the kept file, with four proposals
    assert done.status_code == 302
    document = Document.objects.get()
    assert Proposal.objects.filter(document=document).count() == 4
    # and the kept file is gone: the same token is refused
    again = client.post(url, {"body": "WG-SAN", "upload": token, "upload_name": "relief.docx"})
    assert again.status_code == 422
    assert "The file chosen for the preview is kept for an hour: choose it again." in again.text


def test_a_kept_file_is_refused_once_expired_or_from_another_session(cast, islamabad, monkeypatch):
    client = Client()
    client.force_login(cast["qa-chair"])
    url = reverse("drafting:import_page")
    preview = client.post(url, {"body": "WG-SAN", "file": _upload(), "preview": "1"})
    token = preview.context["form"].values["upload"]
    # Another session (the same person elsewhere, or anyone else) cannot use the token
    other = Client()
    other.force_login(cast["qa-rapporteur"])
    stolen = other.post(url, {"body": "WG-SAN", "upload": token})
    assert stolen.status_code == 422
    assert "kept for an hour: choose it again" in stolen.text
    # and after the hour it is refused, with the file field to choose again
    monkeypatch.setattr(import_views, "UPLOAD_MAX_AGE", -1)
    late = client.post(url, {"body": "WG-SAN", "upload": token, "upload_name": "relief.docx"})
    assert late.status_code == 422
    assert 'id="import-file-error"' in late.text
    assert 'name="upload"' not in late.text
    assert not Document.objects.exists()


def test_the_api_lists_the_authors_on_a_dry_run_and_imports_their_proposals(cast, islamabad):
    import base64

    client = Client()
    client.force_login(cast["qa-chair"])
    content = base64.b64encode(_draft()).decode()
    given = {"body": "WG-SAN", "format": "docx", "content": content}
    dry = client.post(
        "/api/drafting/import", {**given, "dry_run": True}, content_type="application/json"
    )
    assert dry.status_code == 200
    assert dry.json()["authors"] == {"Ana (United States)": 3, "Reza IR": 2}
    done = client.post(
        "/api/drafting/import",
        {**given, "authors": {"Reza IR": "IR"}},
        content_type="application/json",
    )
    assert done.status_code == 201
    listed = client.get(f"/api/drafting/documents/{done.json()['document']}/proposals")
    assert listed.status_code == 200
    assert sorted((p["kind"], p["delegation"], p["source_author"]) for p in listed.json()) == [
        ("insert", "IR", "Reza IR"),
        ("replace", "IR", "Reza IR"),
    ]
    assert all(p["source_date"].startswith("2026-11-03") for p in listed.json())


def test_the_demo_imports_a_reviewed_word_draft_with_each_reviewers_proposals_once(cast, islamabad):
    from accord.drafting import demo_imported

    demo_imported.reviewed_ensure(process=islamabad)
    demo_imported.reviewed_ensure(process=islamabad)
    document = Document.objects.get(title=demo_imported.REVIEWED_TITLE)
    shape = sorted((p.delegation.code, p.kind, p.source_author) for p in document.proposals.all())
    assert shape == [
        ("IR", "delete", "Reza (Iran)"),
        ("IR", "replace", "Reza (Iran)"),
        ("US", "replace", "Ana (United States)"),
    ]
    assert document.provisions.get(label="Article 1.1").text == (
        "Relief shall be staged and reviewed{^As agreed at the second round.}."
    )
