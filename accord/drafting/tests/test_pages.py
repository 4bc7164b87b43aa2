"""The pages: the text with brackets and counts, htmx editing, diff, exports, referrals."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.drafting import services
from accord.drafting.models import Provision
from accord.drafting.tests.conftest import by_label


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_document_page_renders_brackets_options_sponsors_and_counts(cast, annex):
    page = _client(cast["us-expert"]).get(reverse("drafting:document", args=[annex.public_id]))
    assert page.status_code == 200
    total = sum(p.brackets for p in Provision.objects.filter(document=annex))
    assert f"<strong data-bracket-total>{total}</strong>" in page.text
    assert 'class="br-group br-choice"' in page.text
    assert "--sponsor:#1f4e9c" in page.text  # the US colour from the charter
    assert "Article 1.2(a)" in page.text  # the sub-paragraph's label, as a title
    assert "Keep option" not in page.text  # a party does not hold the pen
    assert "State position" in page.text


def test_the_list_shows_counts_per_body_and_the_chart(cast, texts):
    page = _client(cast["pk-rapporteur"]).get(reverse("drafting:list"))
    assert page.status_code == 200
    assert 'data-body-count="WG-NUC"' in page.text and 'data-body-count="HLC"' in page.text
    assert "<polyline" in page.text


def test_a_facilitator_resolves_a_bracket_with_htmx_and_gets_the_text_back(cast, annex):
    client = _client(cast["pk-chair"])
    provision = by_label(annex, "Article 1.1")
    page = client.get(reverse("drafting:document", args=[annex.public_id]))
    assert "Keep option" in page.text
    response = client.post(
        reverse("drafting:bracket_resolve", args=[provision.wid]),
        {"group": "0", "keep": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="document-text"' in response.text and "<html" not in response.text
    assert by_label(annex, "Article 1.1").text.startswith("Enrichment shall not exceed 3.67")


def test_the_inline_edit_form_saves_and_bad_brackets_answer_422(cast, annex):
    client = _client(cast["pk-chair"])
    provision = by_label(annex, "Article 3.1")
    form = client.get(reverse("drafting:provision_edit", args=[provision.wid]))
    assert 'name="text"' in form.text
    bad = client.post(
        reverse("drafting:provision_edit", args=[provision.wid]),
        {"text": "daily [access"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 422 and "do not balance" in bad.text
    good = client.post(
        reverse("drafting:provision_edit", args=[provision.wid]),
        {"text": "The verifier shall have access."},
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 200 and "The verifier shall have access." in good.text


def test_a_party_states_a_position_and_proposes(cast, annex):
    client = _client(cast["ir-expert"])
    provision = by_label(annex, "Article 3.1")
    client.post(reverse("drafting:position", args=[provision.wid]), {"stance": "reserve"})
    assert provision.positions.get().stance == "reserve"
    response = client.post(
        reverse("drafting:proposal_submit", args=[annex.public_id]),
        {
            "kind": "replace",
            "provision": provision.wid,
            "text": "Access on request.",
            "justification": "Proportionality.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("drafting:document", args=[annex.public_id]))
    assert "Access on request." in page.text and "Proportionality." in page.text


def test_the_diff_page_shows_word_and_bracket_changes(cast, annex):
    chair = cast["pk-chair"]
    services.bracket_resolve(
        actor=chair, provision_id=by_label(annex, "Article 1.1").wid, group=0, keep=0
    )
    services.revision_issue(actor=chair, document_id=annex.public_id)
    client = _client(cast["us-expert"])
    for mode in ("inline", "side"):
        page = client.get(
            reverse("drafting:diff", args=[annex.public_id]), {"a": 1, "b": 3, "mode": mode}
        )
        assert page.status_code == 200
        assert "<del>[</del>" in page.text or "<del>" in page.text
        assert "bracket removed" in page.text
    assert client.get(reverse("drafting:diff", args=[annex.public_id]), {"a": 9}).status_code == 404


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xml", "txt"])
def test_every_export_downloads(cast, annex, fmt):
    client = _client(cast["us-expert"])
    response = client.get(reverse("drafting:export", args=[annex.public_id, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    magic = {"docx": b"PK", "pdf": b"%PDF", "xml": b"<?xml", "txt": b"Title:"}[fmt]
    assert response.content.startswith(magic)
    rev = client.get(reverse("drafting:export", args=[annex.public_id, fmt]), {"rev": 1})
    assert rev.status_code == 200


def test_the_pdf_carries_a_legend_the_revision_its_date_and_note_on_every_page(
    cast, annex, monkeypatch
):
    # Given the PDF maker replaced by one that keeps the HTML it is handed
    from accord.drafting import exports

    printed = []
    monkeypatch.setattr(exports, "pdf_from_html", lambda html: printed.append(html) or b"%PDF")
    revision = annex.revisions.get(number=2)
    # When a delegate downloads Rev.2 as a PDF
    response = _client(cast["us-expert"]).get(
        reverse("drafting:export", args=[annex.public_id, "pdf"]), {"rev": 2}
    )
    # Then the page margins name the revision and its date, and a legend explains the marks
    assert response.status_code == 200
    (html,) = printed
    line = f"Rev.2 · {revision.issued_at:%-d %b %Y}"
    assert f'@top-right {{ content: "{line}"' in html
    assert "counter(page)" in html
    assert "Rev. after WG-NUC session 2" in html
    assert "Bracketed: wording not yet agreed." in html
    assert "Wording sponsored by United States, in its colour." in html
    assert 'class="br-label">Option 1:</span>' in html
    assert "{US}" not in html


def test_revision_notes_are_shown_beside_each_revision(cast, annex):
    page = _client(cast["ir-expert"]).get(reverse("drafting:document", args=[annex.public_id]))
    assert page.status_code == 200
    assert 'data-revision-note="1">First facilitators&#x27; draft</td>' in page.text
    assert 'data-revision-note="2">Rev. after WG-NUC session 2</td>' in page.text


def test_proposal_cards_and_the_diff_render_brackets_not_markup(cast, annex):
    client = _client(cast["pk-chair"])
    page = client.get(reverse("drafting:document", args=[annex.public_id]))
    assert page.status_code == 200
    cards = page.text[page.text.index('id="proposals"') :]
    assert "[down-blended]{US}" not in cards
    assert 'data-sponsors="US"' in cards
    services.provision_edit(
        actor=cast["pk-chair"],
        provision_id=by_label(annex, "Article 3.1").wid,
        text="The designated verifier shall have [daily]{US}[scheduled]{IR} access.",
    )
    diff = client.get(reverse("drafting:diff", args=[annex.public_id]), {"a": 2})
    assert diff.status_code == 200
    assert "{US}" not in diff.text and "{IR}" not in diff.text
    assert "Option 2: scheduled" in diff.text


def test_importing_a_text_file_creates_a_document_or_reports_errors(cast, islamabad):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(cast["qa-chair"])
    good = SimpleUploadedFile("draft.txt", "Article 1 — Scope\n1. Relief [now]{IR}.\n".encode())
    response = client.post(reverse("drafting:import"), {"file": good, "body": "WG-SAN"})
    assert response.status_code == 302
    bad = SimpleUploadedFile("draft.txt", b"(a) Relief.\n")
    response = client.post(reverse("drafting:import"), {"file": bad, "body": "WG-SAN"})
    assert response.status_code == 422
    assert "Line 1: a sub-paragraph needs a paragraph or an article before it." in response.text


def test_the_hlc_view_lists_referrals_and_records_a_decision(cast, annex):
    provision = by_label(annex, "Article 1.1")
    services.referral_create(
        actor=cast["pk-chair"], provision_id=provision.wid, note="Political call."
    )
    page = _client(cast["us-head"]).get(reverse("drafting:referrals"))
    assert "Political call." in page.text and "Record the decision" not in page.text
    client = _client(cast["qa-chair"])
    referral = provision.referrals.get()
    client.post(
        reverse("drafting:referral_decide", args=[referral.public_id]),
        {"decision": "Keep both options for now."},
    )
    referral.refresh_from_db()
    assert referral.state == "decided"
    history = _client(cast["us-expert"]).get(reverse("drafting:provision", args=[provision.wid]))
    assert "Referral decided" in history.text


def test_provision_page_carries_the_delegations_internal_notes(cast, annex):
    provision = by_label(annex, "Article 1.1")
    from accord.notes.services import note_write

    note_write(actor=cast["us-expert"], text="Hold at 3.67", subject=provision.subject)
    # A US delegation member who sits in no body: the provision is not theirs.
    assert (
        _client(cast["us-member"])
        .get(reverse("drafting:provision", args=[provision.wid]))
        .status_code
        == 404
    )
    page = _client(cast["us-expert"]).get(reverse("drafting:provision", args=[provision.wid]))
    assert "Hold at 3.67" in page.text
    other = _client(cast["ir-expert"]).get(reverse("drafting:provision", args=[provision.wid]))
    assert other.status_code == 200 and "Hold at 3.67" not in other.text


def test_the_proposal_form_numbers_groups_and_options_from_one(cast, annex):
    client = _client(cast["us-expert"])
    provision = by_label(annex, "Article 1.1")
    client.post(
        reverse("drafting:proposal_submit", args=[annex.public_id]),
        {
            "kind": "withdraw_option",
            "provision": provision.wid,
            "group": "2",
            "option": "1",
            "justification": "We can accept ten years.",
        },
    )
    proposal = provision.proposals.get()
    assert (proposal.group, proposal.option) == (1, 0)


def test_an_adopted_text_is_shown_frozen_without_any_editing(cast, annex):
    from accord.drafting.tests.test_services import _agree_everything

    _agree_everything(cast, annex)
    services.document_adopt(actor=cast["pk-chair"], document_id=annex.public_id)
    page = _client(cast["pk-chair"]).get(reverse("drafting:document", args=[annex.public_id]))
    assert "frozen" in page.text and "Agreed text" in page.text
    assert "Edit</button>" not in page.text and "State position" not in page.text
    assert "Issue the next revision" not in page.text


def test_the_document_page_makes_as_many_queries_for_a_long_text_as_for_a_short_one(cast, annex):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cast["pk-chair"])
    url = reverse("drafting:document", args=[annex.public_id])
    client.get(url)  # warm caches (session, clearance)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    article = by_label(annex, "Article 3")
    for n in range(15):
        services.provision_add(
            actor=cast["pk-chair"],
            document_id=annex.public_id,
            kind="paragraph",
            parent_id=article.wid,
            text=f"Extra [{n}]{{US}} paragraph.",
        )
    for username in ("us-expert", "ir-expert"):
        services.position_state(
            actor=cast[username], provision_id=by_label(annex, "Article 3.9").wid, stance="reject"
        )
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(long.captured_queries) == len(short.captured_queries)


def test_a_facilitator_moves_a_provision_by_labels_and_it_is_renumbered(cast, annex):
    client = _client(cast["pk-chair"])
    provision = by_label(annex, "Article 3.1")
    response = client.post(
        reverse("drafting:provision_move", args=[provision.wid]),
        {"parent": "Article 1", "after": "Article 1.1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    provision.refresh_from_db()
    assert provision.label == "Article 1.2"
    assert by_label(annex, "Article 1.3").text.startswith("Enrichment activities")
    missing = client.post(
        reverse("drafting:provision_move", args=[provision.wid]),
        {"parent": "Article 99"},
        HTTP_HX_REQUEST="true",
    )
    assert missing.status_code == 404 and "Article 99" in missing.text


def test_no_page_or_api_read_of_the_texts_writes_anything(cast, annex):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cast["pk-chair"])
    wid = by_label(annex, "Article 1.1").wid
    ident = annex.public_id
    revision = annex.revisions.first().public_id
    urls = [
        reverse("drafting:list"),
        reverse("drafting:referrals"),
        reverse("drafting:document", args=[ident]),
        reverse("drafting:document_live", args=[ident]),
        reverse("drafting:diff", args=[ident]),
        reverse("drafting:export", args=[ident, "txt"]),
        reverse("drafting:provision", args=[wid]),
        reverse("drafting:provision_edit", args=[wid]),
        "/api/drafting/documents",
        f"/api/drafting/documents/{ident}",
        f"/api/drafting/documents/{ident}/proposals",
        f"/api/drafting/documents/{ident}/revisions",
        f"/api/drafting/documents/{ident}/revisions/1",
        f"/api/drafting/documents/{ident}/diff?a=1",
        f"/api/drafting/documents/{ident}/export.txt",
        f"/api/drafting/revisions/{revision}",
        f"/api/drafting/provisions/{wid}",
        "/api/drafting/referrals",
        "/api/drafting/counts",
    ]
    client.get(urls[0])  # the session and clearance are read once
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
        ]
        assert writes == [], url


def test_search_snippets_show_brackets_and_sponsors_not_markup(cast, annex):
    from accord.drafting.search import search_hits

    hits = search_hits(actor=cast["us-expert"], query="daily", limit=10)
    (hit,) = [h for h in hits if "Article 3.1" in h.title]
    assert "[daily] (US)" in hit.snippet
    assert "{US}" not in hit.snippet
