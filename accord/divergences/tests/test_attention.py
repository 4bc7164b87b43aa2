"""The register's desk item: a divergence escalated to a body waits on the desks of those
who sit in it, and carries nothing of a party's internal position."""

from django.test import Client
from django.urls import reverse

from accord.attention import attention_for
from accord.divergences import services
from accord.divergences.attention import DIVERGENCE_ESCALATED, divergences_escalated
from accord.testing.need_to_know import assert_learns_nothing_of_others

INTERNAL = "We could live with 5 percent for two years."


def _kinds(user) -> dict[str, int]:
    return {group.kind.code: group.count for group in attention_for(user)}


def test_a_divergence_in_its_own_register_is_on_nobody_s_desk(cast, divergence):
    # Given a divergence still in the working group's register
    # Then nobody is told it was escalated
    for username in ("us-head", "ir-head", "pk-chair", "ir-expert"):
        assert DIVERGENCE_ESCALATED.code not in _kinds(cast[username]), username


def test_a_referred_divergence_waits_on_the_desks_of_the_body_it_reached(cast, divergence):
    # Given the chair refers the divergence from WG-NUC to the HLC
    referred = services.divergence_refer(actor=cast["pk-chair"], divergence_id=divergence.public_id)
    assert referred.rung == "HLC"
    # Then the heads of delegation (in the HLC) have it on their desk, with its deadline
    for username in ("us-head", "ir-head"):
        items = divergences_escalated(cast[username])
        assert [i.subject for i in items] == [divergence.subject], username
        assert items[0].sentence.startswith("D-")
        assert items[0].deadline == referred.rung_deadline
        assert str(divergence.public_id) in items[0].url
    # And an expert who sits only in the working group does not
    assert DIVERGENCE_ESCALATED.code not in _kinds(cast["us-expert"])


def test_the_desk_shows_nothing_of_a_party_s_internal_position(cast, divergence):
    # Given Iran's internal (unshared) position, then a referral to the HLC
    services.position_set(
        actor=cast["ir-head"], divergence_id=divergence.public_id, text=INTERNAL, shared=False
    )
    internal = divergence.positions.get()
    services.divergence_refer(actor=cast["pk-chair"], divergence_id=divergence.public_id)
    # When the US head opens the home page (the desk is on it)
    client = Client()
    client.force_login(cast["us-head"])
    response = client.get(reverse("process:home"))
    # Then the divergence is there and nothing of Iran's position is
    assert response.status_code == 200
    assert divergence.code in response.text
    assert INTERNAL not in response.text
    assert_learns_nothing_of_others(response.text, hidden=[internal])
