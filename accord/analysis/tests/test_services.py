"""Preferences, consent and the frontier through the services and selectors."""

from __future__ import annotations

import pytest

from accord.analysis import access, selectors, services
from accord.analysis.models import NonPaper, Preference, SharedPreference
from accord.analysis.tests.conftest import state
from accord.divergences import services as divergence_services
from accord.drafting import services as drafting_services
from accord.drafting.models import Document, Provision
from accord.errors import AccordError


def test_the_annex_option_sets_are_its_issues(cast, annex):
    # Given the demo annex, when its issues are read
    found = selectors.document_issues(actor=cast["us-head"], document=annex)
    # then each open option set is one, with its options' wording
    assert len(found) == 3
    review = found[-1]
    assert [o.text for o in review.options] == ["90", "180"]
    assert review.options[0].sponsors == ("US",)


def test_a_party_states_preferences_kept_in_its_own_scope(cast, annex):
    # Given the US head, when they state preferences without sharing
    state(cast["us-head"], annex, favour_first=True, share=False)
    # then the row carries the party's scope and there is no shared copy
    row = Preference.objects.get(document=annex)
    assert row.scope == "party:US"
    assert not SharedPreference.objects.exists()


def test_consent_shares_a_copy_with_the_facilitators_and_withdrawal_deletes_it(cast, annex):
    # Given the US preferences shared
    state(cast["us-head"], annex, favour_first=True)
    shared = SharedPreference.objects.get(document=annex)
    assert shared.scope == "facilitators"
    # when consent is withdrawn
    services.preference_share(
        actor=cast["us-head"], document_id=str(annex.public_id), consent=False
    )
    # then the copy is gone
    assert not SharedPreference.objects.exists()


def test_the_facilitators_see_the_frontier_once_two_parties_share(cast, annex):
    # Given both parties' opposed preferences shared
    state(cast["us-head"], annex, favour_first=True, reservation=20)
    state(cast["ir-head"], annex, favour_first=False, reservation=20)
    facilitator = cast["pk-rapporteur"]
    document = access.analysis_access(facilitator, str(annex.public_id))
    # when the analysis is read
    analysis = selectors.analysis_of(actor=facilitator, document=document)
    # then it has a frontier, the three solutions, and a ZOPA
    assert analysis.ready
    assert analysis.parties == ["US", "IR"]
    assert len(analysis.frontier) >= 2
    assert all(s.point is not None for s in analysis.solutions)
    assert analysis.zopa
    # and the text as it stands (the US's first options) is the US's best
    assert analysis.current_shares[0] == pytest.approx(1.0)


def test_a_party_is_answered_as_if_there_were_no_analysis(cast, annex):
    # Given the IR head, when they ask for the analysis, then it is not found
    with pytest.raises(AccordError) as raised:
        access.analysis_access(cast["ir-head"], str(annex.public_id))
    assert raised.value.error_case is access.ANALYSIS_NOT_FOUND


def test_a_resolved_option_set_leaves_the_analysis_and_a_new_option_is_marked_new(cast, annex):
    # Given both parties' preferences shared
    state(cast["us-head"], annex, favour_first=True)
    state(cast["ir-head"], annex, favour_first=False)
    chair = cast["pk-rapporteur"]
    before = selectors.document_issues(actor=chair, document=annex)
    first = Provision.objects.get(wid=before[0].wid)
    # when the chair resolves the first option set and adds an option to the next one
    drafting_services.bracket_resolve(
        actor=chair, provision_id=first.wid, group=before[0].group, keep=0
    )
    after = selectors.document_issues(actor=chair, document=annex)
    nxt = after[0]
    drafting_services.option_add(
        actor=chair, provision_id=nxt.wid, group=nxt.group, text="twelve", sponsors=[]
    )
    analysis = selectors.analysis_of(actor=chair, document=annex)
    # then the resolved set is gone, and the new option is unscored for both parties
    assert before[0].key not in {i.key for i in analysis.issues} or len(analysis.issues) < len(
        before
    )
    new = [o.key for i in analysis.issues for o in i.options if o.text == "twelve"]
    assert len(new) == 1
    assert new[0] in analysis.unscored["US"]
    assert new[0] in analysis.unscored["IR"]


def test_a_package_becomes_a_facilitators_non_paper_with_its_provenance(cast, annex):
    # Given both parties' preferences shared and the Nash package
    state(cast["us-head"], annex, favour_first=True)
    state(cast["ir-head"], annex, favour_first=False)
    chair = cast["pk-rapporteur"]
    analysis = selectors.analysis_of(actor=chair, document=annex)
    nash = analysis.solutions[0].point
    assert nash is not None
    # when the chair tables it
    row = services.package_table(
        actor=chair, document_id=str(annex.public_id), package=list(nash.package), solution="nash"
    )
    # then a non-paper exists in the annex's body with one provision per issue's provision
    paper = Document.objects.get(pk=row.document_id)
    assert paper.status == Document.Status.NON_PAPER
    assert paper.body_id == annex.body_id
    wids = {i.wid for i in analysis.issues}
    assert Provision.objects.filter(document=paper).count() == len(wids)
    # and its provenance is the facilitators' only
    assert NonPaper.objects.get().scope == "facilitators"
    assert row.provenance["solution"] == "nash"
    assert set(row.provenance["utilities"]) == {"US", "IR"}


def test_a_party_cannot_table_a_package(cast, annex):
    # Given shared preferences, when a party tries to table a package, then it is refused
    found = state(cast["us-head"], annex, favour_first=True)
    state(cast["ir-head"], annex, favour_first=False)
    with pytest.raises(AccordError):
        services.package_table(
            actor=cast["us-head"], document_id=str(annex.public_id), package=[0] * len(found)
        )
    assert not NonPaper.objects.exists()


def test_an_open_divergence_with_shared_positions_is_an_issue_and_joins_the_non_paper(cast, annex):
    # Given an open divergence of the HLC with both parties' shared positions
    chair = cast["pk-rapporteur"]
    row = divergence_services.divergence_open(
        actor=cast["pk-chair"], body_code="HLC", title="Sequencing of relief"
    )
    for username, text in (("us-head", "Relief after verification"), ("ir-head", "Relief first")):
        divergence_services.position_set(
            actor=cast[username], divergence_id=row.public_id, text=text, shared=True
        )
    # when the issues are read, then it is one, its options the two positions
    found = selectors.document_issues(actor=cast["us-head"], document=annex)
    issue = found[-1]
    assert issue.source == "divergence"
    assert issue.label == f"{row.code}: Sequencing of relief"
    assert [o.text for o in issue.options] == [
        "US: Relief after verification",
        "IR: Relief first",
    ]
    # and when a package with the Iranian position is tabled, the non-paper says so
    state(cast["us-head"], annex, favour_first=True)
    state(cast["ir-head"], annex, favour_first=False)
    package = [0] * (len(found) - 1) + [1]
    tabled = services.package_table(actor=chair, document_id=str(annex.public_id), package=package)
    texts = list(
        Provision.objects.filter(document_id=tabled.document_id).values_list("text", "heading")
    )
    assert ("IR: Relief first", issue.label) in texts
