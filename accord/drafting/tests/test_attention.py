"""The negotiating texts' desk items: proposals awaiting the pen-holder's decision, and
provisions awaiting a delegation's position; nothing of either on other desks."""

from accord.attention import attention_for
from accord.drafting import services
from accord.drafting.attention import (
    POSITION_TO_STATE,
    PROPOSAL_TO_DECIDE,
    positions_to_state,
    proposals_to_decide,
)
from accord.drafting.tests.conftest import by_label


def _kinds(user) -> dict[str, int]:
    return {group.kind.code: group.count for group in attention_for(user)}


def _propose(cast, annex, username="ir-expert"):
    return services.proposal_submit(
        actor=cast[username],
        document_id=annex.public_id,
        kind="replace",
        provision_id=by_label(annex, "Article 2.1").wid,
        text="The stockpile shall not exceed [600 kg]{IR}.",
        justification="Fuel needs of the Tehran research reactor.",
    )


def test_a_pending_proposal_waits_on_the_pen_holders_desk(cast, annex):
    # Given Iran proposes a change to the annex (the facilitators hold its pen)
    proposal = _propose(cast, annex)
    # When the WG-NUC chair reads the desk
    items = {i.subject: i for i in proposals_to_decide(cast["pk-chair"])}
    # Then the proposal waits there, with what it is about and a link to the text
    item = items[proposal.subject]
    assert "Article 2.1" in item.sentence
    assert item.about.startswith("Fuel needs")
    assert str(annex.public_id) in item.url


def test_parties_are_not_asked_to_decide_proposals(cast, annex):
    # Given a pending Iranian proposal
    _propose(cast, annex)
    # Then neither party's delegates (who may not decide it) have it on their desk
    for username in ("ir-expert", "us-expert", "us-head", "ir-head"):
        assert PROPOSAL_TO_DECIDE.code not in _kinds(cast[username]), username


def test_a_decided_proposal_leaves_the_desk(cast, annex):
    # Given a pending proposal the pen-holder then declines
    proposal = _propose(cast, annex)
    services.proposal_decide(
        actor=cast["pk-chair"], proposal_id=proposal.public_id, decision="decline", reason="No."
    )
    # Then it no longer waits on the desk
    assert proposal.subject not in {i.subject for i in proposals_to_decide(cast["pk-chair"])}


def test_provisions_wait_for_the_delegations_position_until_it_is_stated(cast, annex):
    # Given the annex, on which no position is stated yet
    target = by_label(annex, "Article 2.1")
    before = {i.subject: i for i in positions_to_state(cast["ir-expert"])}
    assert target.subject in before
    # (what it is about: its wording as read, brackets without sponsor tags)
    assert "{US}" not in before[target.subject].about
    assert "[300 kg]" in before[target.subject].about
    # When Iran states its position on Article 2.1
    services.position_state(actor=cast["ir-expert"], provision_id=target.wid, stance="reserve")
    # Then it leaves Iran's desk, and still waits on the United States' desk
    assert target.subject not in {i.subject for i in positions_to_state(cast["ir-expert"])}
    assert target.subject in {i.subject for i in positions_to_state(cast["us-expert"])}


def test_a_new_wording_asks_for_the_position_again(cast, annex):
    # Given Iran stated a position on Article 2.1, then its wording changed
    target = by_label(annex, "Article 2.1")
    services.position_state(actor=cast["ir-expert"], provision_id=target.wid, stance="accept")
    proposal = _propose(cast, annex, username="us-expert")
    services.proposal_decide(
        actor=cast["pk-chair"], proposal_id=proposal.public_id, decision="incorporate"
    )
    # Then Article 2.1 waits for Iran's position again
    assert target.subject in {i.subject for i in positions_to_state(cast["ir-expert"])}


def test_facilitators_and_delegates_off_the_body_are_not_asked_for_positions(cast, annex):
    # The facilitators take no positions; an observer sits in no working group
    for username in ("pk-chair", "qa-rapporteur", "us-observer", "ir-observer"):
        assert POSITION_TO_STATE.code not in _kinds(cast[username]), username
