"""The one-text procedure through the services: pen, proposals, positions, adoption."""

import pytest

from accord.drafting import access, selectors, services
from accord.drafting.models import Document, Position, Proposal, Provision, Revision
from accord.drafting.tests.conftest import by_label
from accord.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.process.models import Body


@pytest.fixture
def blank(cast, islamabad):
    body = Body.objects.get(process=islamabad, code="WG-NUC")
    return services.document_create(actor=cast["pk-chair"], body_code=body.code, title="Test text")


def test_a_reference_by_wid_still_finds_its_provision_after_renumbering(cast, blank):
    chair = cast["pk-chair"]
    articles = [
        services.provision_add(
            actor=chair, document_id=blank.public_id, kind="article", heading=f"A{n}"
        )
        for n in range(1, 5)
    ]
    para = None
    for n in range(2):
        para = services.provision_add(
            actor=chair,
            document_id=blank.public_id,
            kind="paragraph",
            text=f"P{n}",
            parent_id=articles[3].wid,
        )
    assert para.label == "Article 4.2" and para.eid == "art_4__para_2"
    services.provision_delete(actor=chair, provision_id=articles[2].wid)
    found = access.provision_access(cast["us-expert"], para.wid)
    assert (found.label, found.eid, found.text) == ("Article 3.2", "art_3__para_2", "P1")


def test_a_move_keeps_identity_and_renumbers(cast, blank):
    chair = cast["pk-chair"]
    a1 = services.provision_add(actor=chair, document_id=blank.public_id, kind="article")
    a2 = services.provision_add(actor=chair, document_id=blank.public_id, kind="article")
    p = services.provision_add(
        actor=chair, document_id=blank.public_id, kind="paragraph", parent_id=a1.wid, text="x"
    )
    moved = services.provision_move(actor=chair, provision_id=p.wid, parent_id=a2.wid)
    assert (moved.wid, moved.label) == (p.wid, "Article 2.1")
    assert Event.objects.filter(kind="ProvisionMoved", subject=p.subject).exists()


def test_a_provision_cannot_go_where_the_tree_forbids(cast, blank):
    with pytest.raises(ValidationFailed, match="cannot be placed"):
        services.provision_add(
            actor=cast["pk-chair"], document_id=blank.public_id, kind="subparagraph"
        )


def test_only_the_pen_holder_edits_and_parties_cannot(cast, annex):
    provision = by_label(annex, "Article 1.1")
    with pytest.raises(PermissionDenied, match="pen-holder") as raised:
        services.provision_edit(actor=cast["us-expert"], provision_id=provision.wid, text="Mine.")
    assert raised.value.error_case is services.NOT_PEN_HOLDER
    services.document_update(
        actor=cast["pk-chair"], document_id=annex.public_id, pen_holders=["QA"]
    )
    with pytest.raises(PermissionDenied):
        services.provision_edit(actor=cast["pk-chair"], provision_id=provision.wid, text="x")


def test_unbalanced_wording_is_refused_with_its_position_and_nothing_is_written(cast, annex):
    provision = by_label(annex, "Article 1.1")
    before = Event.objects.count()
    with pytest.raises(ValidationFailed, match="character 7"):
        services.provision_edit(actor=cast["pk-chair"], provision_id=provision.wid, text="Up to [5")
    with pytest.raises(ValidationFailed, match="sponsored by parties"):
        services.provision_edit(actor=cast["pk-chair"], provision_id=provision.wid, text="[5]{PK}")
    assert Event.objects.count() == before
    assert by_label(annex, "Article 1.1").text == provision.text


def test_options_are_attributed_to_their_sponsors(cast, annex):
    provision = by_label(annex, "Article 1.1")
    updated = services.option_add(
        actor=cast["pk-chair"],
        provision_id=provision.wid,
        group=0,
        text="4.5",
        sponsors=["US", "IR"],
    )
    assert "[4.5]{US,IR}" in updated.text
    assert updated.option_sets == 2


def test_the_full_proposal_lifecycle(cast, annex):
    iran, chair = cast["ir-expert"], cast["pk-chair"]
    target = by_label(annex, "Article 2.1")
    # Replace, incorporated.
    p1 = services.proposal_submit(
        actor=iran,
        document_id=annex.public_id,
        kind="replace",
        provision_id=target.wid,
        text="The stockpile shall not exceed [600 kg]{IR}.",
        justification="Fuel needs.",
    )
    services.proposal_decide(actor=chair, proposal_id=p1.public_id, decision="incorporate")
    assert by_label(annex, "Article 2.1").text == "The stockpile shall not exceed [600 kg]{IR}."
    # Add an option, merged with a reason.
    p2 = services.proposal_submit(
        actor=cast["us-expert"],
        document_id=annex.public_id,
        kind="add_option",
        provision_id=target.wid,
        group=0,
        text="300 kg",
        justification="As agreed in 2015.",
    )
    with pytest.raises(ValidationFailed, match="reason"):
        services.proposal_decide(actor=chair, proposal_id=p2.public_id, decision="merge", text="x")
    services.proposal_decide(
        actor=chair,
        proposal_id=p2.public_id,
        decision="merge",
        reason="Both figures kept.",
        text="The stockpile shall not exceed [600 kg]{IR}[300 kg]{US}.",
    )
    assert by_label(annex, "Article 2.1").option_sets == 1
    # Withdraw own option: only the sponsor may propose it.
    with pytest.raises(PermissionDenied, match="sponsors"):
        services.proposal_submit(
            actor=cast["us-expert"],
            document_id=annex.public_id,
            kind="withdraw_option",
            provision_id=target.wid,
            group=0,
            option=0,
            justification="Not ours.",
        )
    p3 = services.proposal_submit(
        actor=iran,
        document_id=annex.public_id,
        kind="withdraw_option",
        provision_id=target.wid,
        group=0,
        option=0,
        justification="We can live with it.",
    )
    services.proposal_decide(actor=chair, proposal_id=p3.public_id, decision="incorporate")
    assert by_label(annex, "Article 2.1").text == "The stockpile shall not exceed [300 kg]{US}."
    # Insert after, declined with a reason; then a delete, incorporated.
    p4 = services.proposal_submit(
        actor=iran,
        document_id=annex.public_id,
        kind="insert",
        provision_id=target.wid,
        new_kind="paragraph",
        text="New paragraph.",
        justification="Completeness.",
    )
    with pytest.raises(ValidationFailed, match="reason"):
        services.proposal_decide(actor=chair, proposal_id=p4.public_id, decision="decline")
    services.proposal_decide(
        actor=chair, proposal_id=p4.public_id, decision="decline", reason="Premature."
    )
    with pytest.raises(Conflict) as raised:
        services.proposal_decide(actor=chair, proposal_id=p4.public_id, decision="incorporate")
    assert raised.value.error_case is services.NOT_PENDING
    p5 = services.proposal_submit(
        actor=iran,
        document_id=annex.public_id,
        kind="insert",
        provision_id=target.wid,
        text="Inserted.",
        justification="Clarity.",
    )
    services.proposal_decide(actor=chair, proposal_id=p5.public_id, decision="incorporate")
    assert by_label(annex, "Article 2.2").text == "Inserted."
    p6 = services.proposal_submit(
        actor=iran,
        document_id=annex.public_id,
        kind="delete",
        provision_id=by_label(annex, "Article 2.2").wid,
        justification="Redundant after all.",
    )
    services.proposal_decide(actor=chair, proposal_id=p6.public_id, decision="incorporate")
    states = dict(
        Proposal.objects.filter(pk__in=[p.pk for p in (p1, p2, p3, p4, p5, p6)]).values_list(
            "pk", "state"
        )
    )
    assert [states[p.pk] for p in (p1, p2, p3, p4, p5, p6)] == [
        "incorporated",
        "merged",
        "incorporated",
        "declined",
        "incorporated",
        "incorporated",
    ]
    # A pending proposal can be withdrawn by its own delegation only.
    p7 = services.proposal_submit(
        actor=iran,
        document_id=annex.public_id,
        kind="delete",
        provision_id=target.wid,
        justification="x",
    )
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=cast["us-expert"], proposal_id=p7.public_id)
    assert services.proposal_withdraw(actor=iran, proposal_id=p7.public_id).state == "withdrawn"


def test_proposals_need_a_justification_and_come_from_parties(cast, annex):
    target = by_label(annex, "Article 2.1")
    with pytest.raises(ValidationFailed, match="justification"):
        services.proposal_submit(
            actor=cast["ir-expert"],
            document_id=annex.public_id,
            kind="delete",
            provision_id=target.wid,
            justification=" ",
        )
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            actor=cast["pk-chair"],
            document_id=annex.public_id,
            kind="delete",
            provision_id=target.wid,
            justification="x",
        )


def _agree_everything(cast, document, stance="accept"):
    chair = cast["pk-chair"]
    for provision in Provision.objects.filter(document=document):
        while provision.brackets:
            provision = services.bracket_resolve(
                actor=chair, provision_id=provision.wid, group=0, keep=0
            )
    for provision in Provision.objects.filter(document=document):
        for user in ("us-expert", "ir-expert"):
            services.position_state(actor=cast[user], provision_id=provision.wid, stance=stance)


def test_adoption_is_refused_while_any_party_has_not_accepted_everything(cast, annex):
    chair = cast["pk-chair"]
    with pytest.raises(Conflict, match="bracket"):
        services.document_adopt(actor=chair, document_id=annex.public_id)
    _agree_everything(cast, annex)
    last = by_label(annex, "Article 3.1")
    assert last.status == "agreed"
    services.position_state(actor=cast["ir-expert"], provision_id=last.wid, stance="ad_referendum")
    assert by_label(annex, "Article 3.1").status == "agreed_ad_ref"
    with pytest.raises(Conflict, match="not accepted by IR"):
        services.document_adopt(actor=chair, document_id=annex.public_id)
    services.position_state(actor=cast["ir-expert"], provision_id=last.wid, stance="accept")
    # Changing the words reopens the provision: the acceptance was of other words.
    services.provision_edit(actor=chair, provision_id=last.wid, text="Other words.")
    assert by_label(annex, "Article 3.1").status == "converging"
    with pytest.raises(Conflict, match="not accepted by US, IR"):
        services.document_adopt(actor=chair, document_id=annex.public_id)
    for user in ("us-expert", "ir-expert"):
        services.position_state(actor=cast[user], provision_id=last.wid, stance="accept")
    adopted = services.document_adopt(actor=chair, document_id=annex.public_id)
    assert adopted.status == Document.Status.AGREED and adopted.frozen
    with pytest.raises(Conflict, match="frozen") as raised:
        services.provision_edit(actor=chair, provision_id=last.wid, text="Late change.")
    assert raised.value.error_case is services.FROZEN
    with pytest.raises(Conflict, match="frozen"):
        services.position_state(actor=cast["ir-expert"], provision_id=last.wid, stance="reject")
    assert Revision.objects.filter(document=annex).last().note == "Adopted text"


def test_positions_are_per_party_and_refused_from_facilitators(cast, annex):
    provision = by_label(annex, "Article 1.1")
    services.position_state(actor=cast["us-expert"], provision_id=provision.wid, stance="reject")
    services.position_state(actor=cast["us-expert"], provision_id=provision.wid, stance="reserve")
    assert Position.objects.get(provision=provision, delegation__code="US").stance == "reserve"
    with pytest.raises(PermissionDenied):
        services.position_state(actor=cast["pk-chair"], provision_id=provision.wid, stance="accept")
    with pytest.raises(ValidationFailed):
        services.position_state(actor=cast["us-expert"], provision_id=provision.wid, stance="maybe")


def test_revisions_are_numbered_snapshots_that_do_not_change(cast, annex):
    chair = cast["pk-chair"]
    rev = services.revision_issue(actor=chair, document_id=annex.public_id, note="Rev. 3")
    assert rev.number == 3
    frozen_text = rev.snapshot["provisions"][1]["text"]
    services.provision_edit(
        actor=chair, provision_id=by_label(annex, "Article 1.1").wid, text="New."
    )
    rev.refresh_from_db()
    assert rev.snapshot["provisions"][1]["text"] == frozen_text
    assert rev.brackets == sum(p["brackets"] for p in rev.snapshot["provisions"])


def test_a_non_papers_author_is_hidden_from_the_other_party(cast, islamabad):
    body = Body.objects.get(process=islamabad, code="WG-NUC")
    paper = services.document_create(
        actor=cast["us-expert"],
        body_code=body.code,
        title="Ideas on breakout time",
        status="non_paper",
    )
    assert selectors.document_author(actor=cast["us-expert"], document=paper).code == "US"
    assert selectors.document_author(actor=cast["pk-rapporteur"], document=paper).code == "US"
    assert selectors.document_author(actor=cast["ir-expert"], document=paper) is None
    # The body-scope event neither names nor points at the author.
    created = Event.objects.get(kind="DocumentCreated", subject=paper.subject)
    assert created.actor is None and "US" not in str(created.payload)
    recorded = Event.objects.get(kind="NonPaperAuthorRecorded")
    assert recorded.scope == "caucus:US"
    # A party may start only non-papers.
    with pytest.raises(PermissionDenied):
        services.document_create(actor=cast["us-expert"], body_code=body.code, title="x")


def test_non_members_of_the_body_cannot_see_or_touch_its_texts(cast, annex):
    with pytest.raises(NotFound) as raised:
        access.document_access(cast["us-member"], annex.public_id)
    assert raised.value.error_case is access.DOCUMENT_NOT_FOUND
    for malformed in (annex.pk, "not-an-id", ""):
        with pytest.raises(NotFound) as raised:
            access.document_access(cast["pk-chair"], malformed)
        assert raised.value.error_case is access.DOCUMENT_NOT_FOUND
    with pytest.raises(NotFound):
        services.position_state(
            actor=cast["us-member"],
            provision_id=by_label(annex, "Article 1.1").wid,
            stance="accept",
        )


def test_a_working_group_refers_a_provision_and_the_hlc_decides(cast, annex):
    provision = by_label(annex, "Article 1.1")
    referral = services.referral_create(
        actor=cast["pk-chair"],
        provision_id=provision.wid,
        note="Enrichment level needs a political call.",
    )
    # Qatar's chair, of the HLC and not of WG-NUC, sees what is referred to the HLC only.
    assert list(selectors.referral_list(actor=cast["qa-chair"], to_body_code="HLC")) == [referral]
    with pytest.raises(NotFound):
        access.document_access(cast["qa-chair"], annex.public_id)
    with pytest.raises(PermissionDenied):
        services.referral_decide(
            actor=cast["us-head"], referral_id=referral.public_id, decision="x"
        )
    decided = services.referral_decide(
        actor=cast["qa-chair"],
        referral_id=referral.public_id,
        decision="Settled at 3.67 per cent.",
        text="Enrichment shall not exceed 3.67 per cent uranium-235 for [15]{US}[10]{IR} years.",
    )
    assert decided.state == "decided"
    assert by_label(annex, "Article 1.1").text.startswith("Enrichment shall not exceed 3.67")
    history = [e.kind for e in selectors.document_history(actor=cast["us-expert"], document=annex)]
    assert "ProvisionReferred" in history and "ReferralDecided" in history
    with pytest.raises(Conflict):
        services.referral_decide(
            actor=cast["qa-chair"], referral_id=referral.public_id, decision="Again"
        )


def test_a_hlc_text_cannot_be_referred_further(cast, texts):
    provision = by_label(texts["framework"], "Article 2.1")
    with pytest.raises(ValidationFailed, match="reports to no other body") as raised:
        services.referral_create(actor=cast["pk-chair"], provision_id=provision.wid, note="x")
    assert raised.value.error_case is services.NO_BODY_ABOVE


def test_bracket_counts_by_body_and_history_follow_what_the_actor_sees(cast, texts):
    expert = selectors.bracket_counts_by_body(actor=cast["us-expert"])
    head = selectors.bracket_counts_by_body(actor=cast["qa-chair"])  # HLC, not WG-NUC
    assert set(expert) == {"WG-NUC"} and set(head) == {"HLC"}
    assert expert["WG-NUC"] == sum(
        p.brackets for p in Provision.objects.filter(document=texts["annex"])
    )
    history = selectors.bracket_count_history(actor=cast["pk-rapporteur"])
    assert [(code, n) for _, code, n in history][:2] == [
        ("HLC", history[0][2]),
        ("WG-NUC", history[1][2]),
    ]
    assert len(history) == 4
    assert selectors.bracket_counts_by_body(actor=cast["operator"]) == {}


def test_resolving_a_bracket_drops_the_count_and_appends_an_event(cast, annex):
    provision = by_label(annex, "Article 1.1")
    before = selectors.bracket_counts_by_body(actor=cast["us-expert"])["WG-NUC"]
    services.bracket_resolve(actor=cast["pk-chair"], provision_id=provision.wid, group=0, keep=0)
    assert selectors.bracket_counts_by_body(actor=cast["us-expert"])["WG-NUC"] == before - 1
    event = Event.objects.filter(kind="BracketResolved").last()
    assert (event.scope, event.payload["brackets"]) == ("body:WG-NUC", 1)
    with pytest.raises(ValidationFailed, match="no bracket group 9"):
        services.bracket_resolve(
            actor=cast["pk-chair"], provision_id=provision.wid, group=8, keep=0
        )


def test_a_referral_goes_on_the_receiving_bodys_next_agenda(cast, annex):
    from accord.meetings.models import AgendaItem

    provision = by_label(annex, "Article 2.1")
    services.referral_create(
        actor=cast["pk-chair"], provision_id=provision.wid, note="Stockpile cap."
    )
    services.referral_create(actor=cast["pk-chair"], provision_id=provision.wid, note="Again.")
    items = AgendaItem.objects.filter(subject=provision.subject)
    assert items.count() == 1
    assert items.get().body.code == "HLC" and "Article 2.1" in items.get().title
