"""The divergence register and the escalation ladder, through the services."""

import datetime as dt

import pytest

from accord.divergences import access, selectors, services
from accord.divergences.models import Divergence, Referral
from accord.divergences.services import ladder
from accord.divergences.tests.conftest import OPENED
from accord.errors import AccordError, Conflict, PermissionDenied, ValidationFailed
from accord.events.models import Event
from accord.meetings.models import AgendaItem

DAY = dt.timedelta(days=1)


def _row(divergence) -> Divergence:
    return Divergence.objects.get(pk=divergence.pk)


def test_opening_puts_the_point_at_its_working_groups_rung_with_the_charter_deadline(divergence):
    assert divergence.rung == "WG-NUC"
    assert divergence.status == "open"
    assert divergence.rung_deadline == OPENED + 14 * DAY
    event = Event.objects.get(kind="DivergenceOpened")
    assert (event.subject, event.scope) == (f"divergence:{divergence.public_id}", "shared")


@pytest.mark.parametrize(
    ("username", "case"),
    [
        ("us-member", services.OPEN_NOT_ALLOWED),
        ("ir-observer", services.OPEN_NOT_ALLOWED),
        # The operator takes part in no process: there is no such body for them.
        ("operator", access.REGISTER_NOT_FOUND),
    ],
)
def test_only_facilitators_and_members_of_the_body_record_divergences(cast, wg_nuc, username, case):
    with pytest.raises(AccordError) as raised:
        services.divergence_open(actor=cast[username], body_code="WG-NUC", title="x")
    assert raised.value.error_case is case
    assert not Divergence.objects.exists()


def test_a_member_of_the_working_group_may_record_one(cast, wg_nuc):
    row = services.divergence_open(actor=cast["ir-expert"], body_code="WG-NUC", title="Stockpile")
    assert row.created_by == cast["ir-expert"]


@pytest.mark.parametrize(
    ("title", "provisions", "case"),
    [
        ("", [], services.TITLE_EMPTY),
        ("x" * 301, [], services.TITLE_TOO_LONG),
        ("ok", ["NUC-4.2"], services.PROVISION_INVALID),
        ("ok", ["document:1"], services.PROVISION_INVALID),
        ("ok", [f"provision:{i}" for i in range(51)], services.TOO_MANY_PROVISIONS),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(cast, wg_nuc, title, provisions, case):
    with pytest.raises(ValidationFailed) as raised:
        services.divergence_open(
            actor=cast["pk-chair"], body_code="WG-NUC", title=title, provisions=provisions
        )
    assert raised.value.error_case is case
    assert not Divergence.objects.exists()


def test_a_bad_provision_is_named_in_the_sentence(cast, wg_nuc):
    with pytest.raises(ValidationFailed) as raised:
        services.divergence_open(
            actor=cast["pk-chair"], body_code="WG-NUC", title="ok", provisions=["NUC-4.2"]
        )
    assert raised.value.message == (
        "Provisions are given as 'provision:<id>'; 'NUC-4.2' is not one."
    )


def test_a_party_keeps_a_position_internal_then_shares_it(cast, divergence):
    us = cast["us-expert"]
    services.position_set(
        actor=us, divergence_id=divergence.public_id, text="Red line: 3.67", shared=False
    )
    assert [p.text for p in selectors.position_list(actor=us, divergence=divergence)] == [
        "Red line: 3.67"
    ]
    assert not selectors.position_list(actor=cast["ir-expert"], divergence=divergence).exists()
    assert not selectors.position_list(actor=cast["pk-chair"], divergence=divergence).exists()

    shared = services.position_share(actor=cast["us-head"], divergence_id=divergence.public_id)

    assert shared.scope == "shared"
    assert [
        p.text for p in selectors.position_list(actor=cast["ir-expert"], divergence=divergence)
    ] == ["Red line: 3.67"]
    kinds = list(Event.objects.filter(subject=divergence.subject).values_list("kind", "scope"))
    assert ("PositionStated", "party:US") in kinds
    assert ("PositionShared", "shared") in kinds


def test_facilitators_do_not_state_positions_and_parties_do_not_bridge(cast, divergence):
    d = divergence.public_id
    with pytest.raises(PermissionDenied) as raised:
        services.position_set(actor=cast["pk-chair"], divergence_id=d, text="x", shared=True)
    assert raised.value.error_case is services.POSITION_PARTIES_ONLY
    with pytest.raises(PermissionDenied) as raised:
        services.bridging_propose(actor=cast["us-head"], divergence_id=d, text="x")
    assert raised.value.error_case is services.BRIDGING_FACILITATORS_ONLY
    with pytest.raises(Conflict) as raised:
        services.position_share(actor=cast["ir-head"], divergence_id=d)
    assert raised.value.error_case is services.NOTHING_TO_SHARE


def test_a_bridging_proposal_moves_an_open_divergence_to_bridging(cast, divergence):
    services.bridging_propose(
        actor=cast["qa-chair"], divergence_id=divergence.public_id, text="Phase it"
    )
    assert _row(divergence).status == "bridging"


def test_the_chair_of_the_working_group_refers_to_the_hlc_and_it_goes_on_the_agenda(
    cast, divergence
):
    row = services.divergence_refer(
        actor=cast["pk-chair"], divergence_id=divergence.public_id, note="Stuck"
    )

    assert (row.rung, row.status) == ("HLC", "referred")
    referral = Referral.objects.get()
    assert (referral.from_rung, referral.to_rung, referral.automatic) == ("WG-NUC", "HLC", False)
    event = Event.objects.get(kind="DivergenceReferred")
    assert event.payload["to_rung"] == "HLC"
    _assert_on_hlc_agenda(divergence)


def _assert_on_hlc_agenda(divergence, count: int = 1):
    """The referred point is on the HLC's next draft agenda (or queued for it)."""
    items = AgendaItem.objects.filter(subject=divergence.subject, body__code="HLC")
    assert items.count() == count
    assert items.first().title.startswith(f"Divergence {divergence.code}: ")


@pytest.mark.parametrize("username", ["us-head", "ir-expert", "us-member"])
def test_delegates_who_do_not_chair_the_rung_cannot_refer(cast, divergence, username):
    with pytest.raises(PermissionDenied) as raised:
        services.divergence_refer(actor=cast[username], divergence_id=divergence.public_id)
    assert raised.value.error_case is services.REFER_NOT_ALLOWED
    assert _row(divergence).rung == "WG-NUC"


def test_the_top_of_the_ladder_has_nowhere_to_go(cast, divergence):
    services.divergence_refer(actor=cast["pk-chair"], divergence_id=divergence.public_id)
    services.divergence_refer(actor=cast["qa-chair"], divergence_id=divergence.public_id)
    assert _row(divergence).rung == "principals"
    assert _row(divergence).rung_deadline is None
    with pytest.raises(Conflict) as raised:
        services.divergence_refer(actor=cast["qa-chair"], divergence_id=divergence.public_id)
    assert raised.value.error_case is services.AT_THE_TOP
    assert "top of the ladder" in raised.value.message


def test_resolving_stops_the_clock_and_reopening_restarts_it(cast, divergence):
    services.divergence_resolve(
        actor=cast["pk-chair"], divergence_id=divergence.public_id, resolution="Agreed"
    )
    row = _row(divergence)
    assert (row.status, row.rung_deadline, row.resolution) == ("resolved", None, "Agreed")
    with pytest.raises(Conflict) as raised:
        services.divergence_refer(actor=cast["pk-chair"], divergence_id=divergence.public_id)
    assert raised.value.error_case is services.CLOSED
    assert raised.value.message == "This divergence is resolved; reopen it first."
    with pytest.raises(PermissionDenied) as raised:
        services.divergence_reopen(actor=cast["us-head"], divergence_id=divergence.public_id)
    assert raised.value.error_case is services.CLOSE_FACILITATORS_ONLY
    row = services.divergence_reopen(actor=cast["pk-chair"], divergence_id=divergence.public_id)
    assert row.status == "open" and row.rung_deadline is not None


# --- The sweeper ---------------------------------------------------------------------------


def test_the_sweeper_escalates_exactly_once_per_rung_when_run_twice(cast, divergence):
    before = OPENED + 14 * DAY - dt.timedelta(seconds=1)
    assert services.divergences_escalate_overdue(now=before) == 0

    at = OPENED + 14 * DAY
    assert services.divergences_escalate_overdue(now=at) == 1
    assert services.divergences_escalate_overdue(now=at) == 0
    assert services.divergences_escalate_overdue(now=at + 5 * DAY) == 0

    row = _row(divergence)
    assert (row.rung, row.status, row.rung_deadline) == ("HLC", "referred", at + 21 * DAY)
    events = Event.objects.filter(kind="DivergenceEscalated")
    assert events.count() == 1
    assert events.get().actor is None
    _assert_on_hlc_agenda(divergence)

    # 21 days later the HLC refers it to the principals, once; then nothing more.
    assert services.divergences_escalate_overdue(now=at + 21 * DAY) == 1
    assert services.divergences_escalate_overdue(now=at + 100 * DAY) == 0
    assert _row(divergence).rung == "principals"
    assert list(Referral.objects.values_list("from_rung", "to_rung")) == [
        ("WG-NUC", "HLC"),
        ("HLC", "principals"),
    ]
    assert Event.objects.filter(kind="DivergenceEscalated").count() == 2


def test_a_resolved_or_parked_divergence_is_never_escalated(cast, divergence, wg_nuc):
    other = services.divergence_open(
        actor=cast["pk-chair"], body_code="WG-NUC", title="B", now=OPENED
    )
    services.divergence_resolve(
        actor=cast["pk-chair"], divergence_id=divergence.public_id, resolution="ok"
    )
    services.divergence_park(actor=cast["pk-chair"], divergence_id=other.public_id)
    assert services.divergences_escalate_overdue(now=OPENED + 60 * DAY) == 0


def test_a_crash_half_way_escalates_the_rest_on_the_next_run_and_none_twice(
    cast, wg_nuc, monkeypatch
):
    rows = [
        services.divergence_open(
            actor=cast["pk-chair"], body_code="WG-NUC", title=f"P{i}", now=OPENED
        )
        for i in range(3)
    ]
    real_climb = ladder._climb
    calls = []

    def crash_on_second(row, **kwargs):
        calls.append(row.pk)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real_climb(row, **kwargs)

    monkeypatch.setattr(ladder, "_climb", crash_on_second)
    at = OPENED + 15 * DAY
    with pytest.raises(RuntimeError):
        services.divergences_escalate_overdue(now=at)
    # The first climbed and committed; the second rolled back whole; the third never ran.
    assert [_row(r).rung for r in rows] == ["HLC", "WG-NUC", "WG-NUC"]
    assert Event.objects.filter(kind="DivergenceEscalated").count() == 1

    monkeypatch.setattr(ladder, "_climb", real_climb)
    assert services.divergences_escalate_overdue(now=at) == 2
    assert services.divergences_escalate_overdue(now=at) == 0
    assert [_row(r).rung for r in rows] == ["HLC", "HLC", "HLC"]
    assert Event.objects.filter(kind="DivergenceEscalated").count() == 3
    assert Referral.objects.count() == 3


def test_the_sweeper_runs_from_the_registry_when_registered(cast, divergence, settings):
    from accord import sweeper

    settings.ACCORD_SWEEPS = ("accord.divergences.services.divergences_escalate_overdue",)
    counts = sweeper.run_sweep(now=OPENED + 20 * DAY)
    assert counts == {"accord.divergences.services.divergences_escalate_overdue": 1, "errors": 0}
    assert sweeper.run_sweep(now=OPENED + 20 * DAY)["errors"] == 0
    assert Event.objects.filter(kind="DivergenceEscalated").count() == 1


def test_the_board_groups_by_rung_with_ages(cast, divergence, wg_nuc):
    services.divergence_open(
        actor=cast["pk-chair"], body_code="WG-NUC", title="Later", now=OPENED + DAY
    )
    services.divergence_refer(actor=cast["pk-chair"], divergence_id=divergence.public_id)

    board = selectors.divergence_board(actor=cast["ir-head"], now=OPENED + 10 * DAY)

    assert [c.rung for c in board] == ["working_groups", "HLC", "principals"]
    wgs, hlc, top = board
    assert [card.divergence.title for card in wgs.cards] == ["Later"]
    assert wgs.cards[0].age_days == 9 and wgs.cards[0].days_left == 5
    assert [card.divergence.pk for card in hlc.cards] == [divergence.pk]
    assert top.cards == []


def test_the_open_history_counts_per_working_group_by_day(cast, divergence, wg_nuc):
    other = services.divergence_open(
        actor=cast["pk-chair"], body_code="WG-NUC", title="B", now=OPENED + 2 * DAY
    )
    services.divergence_resolve(
        actor=cast["pk-chair"], divergence_id=other.public_id, resolution="ok"
    )
    history = selectors.divergence_open_history(actor=cast["us-head"])
    assert history[0] == (OPENED.date(), "WG-NUC", 1)
    assert history[1] == ((OPENED + 2 * DAY).date(), "WG-NUC", 2)
    assert history[-1][2] == 1
