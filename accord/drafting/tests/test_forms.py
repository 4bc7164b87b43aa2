"""A refused form keeps what was typed and says what is wrong beside the field
(decision 0076): the proposal, new-text, add-provision, edit, revision, decision and
referral forms."""

from django.test import Client
from django.urls import reverse

from accord.drafting import services
from accord.drafting.models import Document, Proposal, Revision
from accord.drafting.tests.conftest import by_label


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_refused_proposal_comes_back_with_its_text_and_the_error_beside_it(cast, annex):
    # Given a US expert proposing wording with an unbalanced bracket
    client = _client(cast["us-expert"])
    provision = by_label(annex, "Article 2.2")
    typed = {
        "kind": "replace",
        "provision": provision.wid,
        "text": "Uranium in excess shall be [down-blended",
        "justification": "Keeps the stockpile low.",
    }
    # When the form is submitted
    page = client.post(reverse("drafting:proposal_submit", args=[annex.public_id]), typed)
    # Then the page answers 422 with every value kept and the sentence under the wording
    assert page.status_code == 422
    assert "Uranium in excess shall be [down-blended</textarea>" in page.text
    assert "Keeps the stockpile low.</textarea>" in page.text
    assert f'<option value="{provision.wid}" selected>' in page.text
    assert '<option value="replace" selected>' in page.text
    assert 'aria-describedby="propose-text-error"' in page.text
    assert 'id="propose-text-error" role="alert">The brackets do not balance' in page.text
    assert not Proposal.objects.filter(document=annex, text__startswith="Uranium in excess shall")


def test_a_proposal_without_justification_names_that_field(cast, annex):
    client = _client(cast["ir-expert"])
    page = client.post(
        reverse("drafting:proposal_submit", args=[annex.public_id]),
        {"kind": "replace", "provision": by_label(annex, "Article 2.2").wid, "text": "Less."},
    )
    assert page.status_code == 422
    assert 'id="propose-justification-error" role="alert">A proposal needs a justification.' in (
        page.text
    )
    assert ">Less.</textarea>" in page.text


def test_a_refused_new_text_keeps_the_title_and_the_chosen_status(cast, texts):
    client = _client(cast["pk-chair"])
    page = client.post(
        reverse("drafting:create"), {"title": "x" * 301, "body": "WG-NUC", "status": "non_paper"}
    )
    assert page.status_code == 422
    assert 'value="' + "x" * 301 + '"' in page.text
    assert '<option value="non_paper" selected>' in page.text
    assert '<option value="WG-NUC" selected>' in page.text
    assert 'id="start-title-error" role="alert">A document needs a title' in page.text


def test_an_htmx_provision_refused_comes_back_as_its_form_in_place(cast, annex):
    client = _client(cast["pk-chair"])
    response = client.post(
        reverse("drafting:provision_add", args=[annex.public_id]),
        {"kind": "paragraph", "text": "Access [daily", "heading": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#add-provision-form"
    assert "<html" not in response.text and 'id="add-provision-form"' in response.text
    assert ">Access [daily</textarea>" in response.text
    assert 'id="add-provision-text-error" role="alert">The brackets do not balance' in response.text


def test_an_htmx_edit_refused_keeps_the_wording_as_typed(cast, annex):
    client = _client(cast["pk-chair"])
    provision = by_label(annex, "Article 3.1")
    response = client.post(
        reverse("drafting:provision_edit", args=[provision.wid]),
        {"text": "daily [access"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#body-{provision.wid}"
    assert ">daily [access</textarea>" in response.text
    assert f'id="edit-{provision.wid}-text-error" role="alert">' in response.text


def test_a_revision_with_no_change_is_refused_beside_its_note(cast, annex):
    client = _client(cast["pk-chair"])
    page = client.post(
        reverse("drafting:revision_issue", args=[annex.public_id]), {"note": "Same again"}
    )
    assert page.status_code == 422
    assert 'value="Same again"' in page.text
    assert 'id="revise-error" role="alert">Nothing has changed since Rev.2' in page.text
    assert Revision.objects.filter(document=annex).count() == 2


def test_a_refused_decision_keeps_the_merged_wording_on_its_own_card(cast, annex):
    proposal = Proposal.objects.filter(document=annex, state="pending").first()
    client = _client(cast["pk-chair"])
    page = client.post(
        reverse("drafting:proposal_decide", args=[proposal.public_id]),
        {"decision": "merge", "text": "Merged [wording]{US}", "reason": ""},
    )
    assert page.status_code == 422
    assert ">Merged [wording]{US}</textarea>" in page.text
    assert f'id="decide-{proposal.public_id}-reason-error" role="alert">' in page.text


def test_a_referral_without_a_note_is_refused_beside_the_note(cast, annex):
    provision = by_label(annex, "Article 3.1")
    page = _client(cast["pk-chair"]).post(
        reverse("drafting:refer", args=[provision.wid]), {"note": "   "}
    )
    assert page.status_code == 422
    assert 'id="refer-note-error" role="alert">A referral needs a note' in page.text


def test_a_refused_referral_decision_keeps_the_settled_wording(cast, annex):
    referral = services.referral_create(
        actor=cast["pk-chair"], provision_id=by_label(annex, "Article 3.1").wid, note="Settle."
    )
    page = _client(cast["pk-chair"]).post(
        reverse("drafting:referral_decide", args=[referral.public_id]),
        {"decision": "", "text": "Access on [request]"},
    )
    assert page.status_code == 422
    assert ">Access on [request]</textarea>" in page.text
    assert f'id="decide-{referral.public_id}-decision-error" role="alert">' in page.text


def test_a_party_is_offered_only_a_non_paper_and_a_duty_officer_no_form(cast, texts):
    # Given the list of texts
    url = reverse("drafting:list")
    # When a party's expert, a facilitator and a duty officer open it
    party = _client(cast["us-expert"]).get(url)
    chair = _client(cast["pk-chair"]).get(url)
    duty = _client(cast["ir-duty"]).get(url)
    # Then the expert may start only a non-paper, the chair any text, the duty officer none
    assert party.status_code == chair.status_code == duty.status_code == 200
    assert 'id="start-form"' in party.text
    assert '<option value="non_paper" selected>' in party.text
    assert 'value="facilitators_text"' not in party.text
    assert '<option value="facilitators_text" selected>' in chair.text
    assert 'value="agreed"' not in chair.text
    assert 'id="start-form"' not in duty.text and "Import a draft" not in duty.text
    assert Document.objects.filter(status="facilitators_text").count() == 2
