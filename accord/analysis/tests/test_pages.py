"""The pages: a party's sliders and consent, the facilitators' frontier and tabling."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accord.analysis import selectors
from accord.analysis.demo import demo_content_ensure
from accord.analysis.models import NonPaper, Preference, SharedPreference
from accord.analysis.tests.conftest import state
from accord.drafting.models import Document


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_party_saves_its_sliders_and_sees_its_weights_as_shares(cast, annex):
    # Given the US head on the preferences page
    client = _client(cast["us-head"])
    url = reverse("analysis:preferences", args=[annex.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'type="range"' in page.text
    found = selectors.document_issues(actor=cast["us-head"], document=annex)
    # when they move the sliders and save
    data = {f"w-{i.key}": 10 * (n + 1) for n, i in enumerate(found)}
    data.update({f"s-{o.key}": 100 for o in found[0].options[:1]})
    data["reservation"] = 35
    saved = client.post(url, data)
    # then the page shows the weights normalised for them: 10/60, 20/60, 30/60
    assert saved.status_code == 302
    page = client.get(url)
    assert "17% of your weight" in page.text
    assert "50% of your weight" in page.text
    assert Preference.objects.get().reservation == 35


def test_a_party_consents_and_withdraws_on_its_page(cast, annex):
    # Given the US preferences stated
    state(cast["us-head"], annex, favour_first=True, share=False)
    client = _client(cast["us-head"])
    share = reverse("analysis:share", args=[annex.public_id])
    # when they consent, then the facilitators' copy exists and the page says so
    assert client.post(share, {"consent": "1"}).status_code == 302
    assert SharedPreference.objects.count() == 1
    page = client.get(reverse("analysis:preferences", args=[annex.public_id]))
    assert 'data-consent="given"' in page.text
    # when they withdraw, then it is gone
    assert client.post(share, {"consent": "0"}).status_code == 302
    assert SharedPreference.objects.count() == 0


def test_the_facilitators_page_shows_the_chart_solutions_and_zopa(cast, annex):
    # Given both parties' preferences shared
    state(cast["us-head"], annex, favour_first=True, reservation=20)
    state(cast["ir-head"], annex, favour_first=False, reservation=20)
    client = _client(cast["pk-rapporteur"])
    # when the rapporteur opens the frontier
    page = client.get(reverse("analysis:frontier", args=[annex.public_id]))
    # then there is one chart, the three solutions, the ZOPA and the frontier table
    assert page.status_code == 200
    assert page.text.count("<svg") == 1
    for key in ("nash", "kalai_smorodinsky", "egalitarian"):
        assert f'data-solution="{key}"' in page.text
    assert 'data-zopa="yes"' in page.text
    assert "data-frontier" in page.text


def test_no_zopa_is_stated_when_the_reservations_are_too_high(cast, annex):
    # Given opposed preferences and reservation values no package can meet
    state(cast["us-head"], annex, favour_first=True, reservation=95)
    state(cast["ir-head"], annex, favour_first=False, reservation=95)
    page = _client(cast["pk-rapporteur"]).get(reverse("analysis:frontier", args=[annex.public_id]))
    # then the page says there is no zone of possible agreement
    assert page.status_code == 200
    assert 'data-zopa="no"' in page.text


def test_tabling_a_package_leads_to_the_new_non_paper(cast, annex):
    # Given both parties' preferences shared
    state(cast["us-head"], annex, favour_first=True)
    found = state(cast["ir-head"], annex, favour_first=False)
    client = _client(cast["pk-rapporteur"])
    # when the rapporteur tables the text as it stands
    response = client.post(
        reverse("analysis:table", args=[annex.public_id]),
        {"package": ",".join("0" for _ in found), "solution": ""},
    )
    # then it goes to the non-paper
    assert response.status_code == 302
    paper = Document.objects.get(status=Document.Status.NON_PAPER)
    assert str(paper.public_id) in response["Location"]
    assert NonPaper.objects.count() == 1
    frontier = client.get(reverse("analysis:frontier", args=[annex.public_id]))
    assert "data-non-papers" in frontier.text


def test_the_nav_links_to_the_analysis_only_for_parties_and_facilitators(cast, annex):
    # Given a party, a facilitator and the operator, when they open a page of theirs
    for username, page_name, shown in (
        ("us-head", "drafting:list", True),
        ("pk-rapporteur", "drafting:list", True),
        ("operator", "ops:home", False),
    ):
        page = _client(cast[username]).get(reverse(page_name))
        # then only the first two see the link
        assert page.status_code == 200
        assert (reverse("analysis:index") in page.text) is shown, username


def test_the_demo_content_is_idempotent_and_feeds_the_frontier(cast, texts, islamabad):
    # Given the demo texts, when the demo content is ensured twice
    demo_content_ensure(process=islamabad)
    demo_content_ensure(process=islamabad)
    # then each party has one row per text, shared, and the frontier has points
    assert Preference.objects.count() == 4
    assert SharedPreference.objects.count() == 4
    page = _client(cast["pk-rapporteur"]).get(
        reverse("analysis:frontier", args=[texts["framework"].public_id])
    )
    assert page.status_code == 200
    assert "<svg" in page.text


def test_pairwise_comparisons_set_the_weights(cast, annex):
    # Given the US head, when they say the first issue matters much more than the others
    client = _client(cast["us-head"])
    page = client.get(reverse("analysis:preferences", args=[annex.public_id]))
    assert "data-pairwise" in page.text
    answer = client.post(
        reverse("analysis:pairwise", args=[annex.public_id]),
        {"pair-0-1": "0", "pair-0-2": "0", "pair-1-2": "2"},
    )
    # then the weights are set from them: the first at 100, the others at 11
    assert answer.status_code == 302
    row = Preference.objects.get()
    found = selectors.document_issues(actor=cast["us-head"], document=annex)
    assert [row.weights[i.key]["w"] for i in found] == [100, 11, 11]
