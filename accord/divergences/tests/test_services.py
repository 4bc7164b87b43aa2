"""The divergence register and the escalation ladder, through the services."""

import datetime as dt

import pytest

from accord.divergences import selectors, services
from accord.divergences.models import Divergence, Referral
from accord.divergences.tests.conftest import OPENED
from accord.errors import Conflict, PermissionDenied, ValidationFailed
from accord.events.models import Event

DAY = dt.timedelta(days=1)


def _row(divergence) -> Divergence:
    return Divergence.objects.get(pk=divergence.pk)


def test_opening_puts_the_point_at_its_working_groups_rung_with_the_charter_deadline(divergence):
    assert divergence.rung == "WG-NUC"
    assert divergence.status == "open"
    assert divergence.rung_deadline == OPENED + 14 * DAY
    event = Event.objects.get(kind="DivergenceOpened")
    assert (event.subject, event.scope) == (f"divergence:{divergence.pk}", "shared")


@pytest.mark.parametrize("username", ["us-member", "ir-observer", "operator"])
def test_only_facilitators_and_members_of_the_body_record_divergences(cast, wg_nuc, username):
    with pytest.raises(PermissionDenied):
        services.divergence_open(actor=cast[username], body=wg_nuc, title="x")


def test_a_member_of_the_working_group_may_record_one(cast, wg_nuc):
    row = services.divergence_open(actor=cast["ir-expert"], body=wg_nuc, title="Stockpile")
    assert row.created_by == cast["ir-expert"]


@pytest.mark.parametrize(
    ("title", "provisions", "message"),
    [
        ("", [], services.TITLE_EMPTY),
        ("x" * 301, [], services.TITLE_TOO_LONG),
        ("ok", ["NUC-4.2"], "is not one"),
        ("ok", ["document:1"], "is not one"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(cast, wg_nuc, title, provisions, message):
    with pytest.raises(ValidationFailed, match=message[:20]):
        services.divergence_open(
            actor=cast["pk-chair"], body=wg_nuc, title=title, provisions=provisions
        )
    assert not Divergence.objects.exists()


def test_a_party_keeps_a_position_internal_then_shares_it(cast, divergence):
    us = cast["us-expert"]
    services.position_set(actor=us, divergence=divergence, text="Red line: 3.67", shared=False)
    assert [p.text for p in selectors.position_list(actor=us, divergence=divergence)] == [
        "Red line: 3.67"
    ]
    assert not selectors.position_list(actor=cast["ir-expert"], divergence=divergence).exists()
    assert not selectors.position_list(actor=cast["pk-chair"], divergence=divergence).exists()

    shared = services.position_share(actor=cast["us-head"], divergence=divergence)

    assert shared.scope == "shared"
    assert [
        p.text for p in selectors.position_list(actor=cast["ir-expert"], divergence=divergence)
    ] == ["Red line: 3.67"]
    kinds = list(Event.objects.filter(subject=divergence.subject).values_list("kind", "scope"))
    assert ("PositionStated", "party:US") in kinds
    assert ("PositionShared", "shared") in kinds


def test_facilitators_do_not_state_positions_and_parties_do_not_bridge(cast, divergence):
    with pytest.raises(PermissionDenied):
        services.position_set(actor=cast["pk-chair"], divergence=divergence, text="x", shared=True)
    with pytest.raises(PermissionDenied):
        services.bridging_propose(actor=cast["us-head"], divergence=divergence, text="x")
    with pytest.raises(Conflict):
        services.position_share(actor=cast["ir-head"], divergence=divergence)


def test_a_bridging_proposal_moves_an_open_divergence_to_bridging(cast, divergence):
    services.bridging_propose(actor=cast["qa-chair"], divergence=divergence, text="Phase it")
    assert _row(divergence).status == "bridging"


def test_the_chair_of_the_working_group_refers_to_the_hlc_and_it_goes_on_the_agenda(
    cast, divergence
):
    row = services.divergence_refer(actor=cast["pk-chair"], divergence=divergence, note="Stuck")

    assert (row.rung, row.status) == ("HLC", "referred")
    referral = Referral.objects.get()
    assert (referral.from_rung, referral.to_rung, referral.automatic) == ("WG-NUC", "HLC", False)
    event = Event.objects.get(kind="DivergenceReferred")
    assert event.payload["to_rung"] == "HLC"
    _assert_on_hlc_agenda(divergence)


def _assert_on_hlc_agenda(divergence, count: int = 1):
    """The referred point is on the HLC's next draft agenda (or queued for it)."""
    meetings = pytest.importorskip(
        "accord.meetings.models", reason="the meetings app has no models yet"
    )
    if not hasattr(meetings, "AgendaItem"):
        pytest.skip("meetings.AgendaItem does not exist yet: agenda_item_queue is not there")
    items = meetings.AgendaItem.objects.filter(subject=divergence.subject, body__code="HLC")
    assert items.count() == count
    assert items.first().title.startswith(f"Divergence D-{divergence.pk}")


@pytest.mark.parametrize("username", ["us-head", "ir-expert", "us-member"])
def test_delegates_who_do_not_chair_the_rung_cannot_refer(cast, divergence, username):
    with pytest.raises(PermissionDenied):
        services.divergence_refer(actor=cast[username], divergence=divergence)
    assert _row(divergence).rung == "WG-NUC"


def test_the_top_of_the_ladder_has_nowhere_to_go(cast, divergence):
    services.divergence_refer(actor=cast["pk-chair"], divergence=divergence)
    services.divergence_refer(actor=cast["qa-chair"], divergence=divergence)
    assert _row(divergence).rung == "principals"
    assert _row(divergence).rung_deadline is None
    with pytest.raises(Conflict, match="top of the ladder"):
        services.divergence_refer(actor=cast["qa-chair"], divergence=divergence)


def test_resolving_stops_the_clock_and_reopening_restarts_it(cast, divergence):
    services.divergence_resolve(actor=cast["pk-chair"], divergence=divergence, resolution="Agreed")
    row = _row(divergence)
    assert (row.status, row.rung_deadline, row.resolution) == ("resolved", None, "Agreed")
    with pytest.raises(Conflict):
        services.divergence_refer(actor=cast["pk-chair"], divergence=divergence)
    with pytest.raises(PermissionDenied):
        services.divergence_reopen(actor=cast["us-head"], divergence=divergence)
    row = services.divergence_reopen(actor=cast["pk-chair"], divergence=divergence)
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
    other = services.divergence_open(actor=cast["pk-chair"], body=wg_nuc, title="B", now=OPENED)
    services.divergence_resolve(actor=cast["pk-chair"], divergence=divergence, resolution="ok")
    services.divergence_park(actor=cast["pk-chair"], divergence=other)
    assert services.divergences_escalate_overdue(now=OPENED + 60 * DAY) == 0


def test_a_crash_half_way_escalates_the_rest_on_the_next_run_and_none_twice(
    cast, wg_nuc, monkeypatch
):
    rows = [
        services.divergence_open(actor=cast["pk-chair"], body=wg_nuc, title=f"P{i}", now=OPENED)
        for i in range(3)
    ]
    real_climb = services._climb
    calls = []

    def crash_on_second(row, **kwargs):
        calls.append(row.pk)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real_climb(row, **kwargs)

    monkeypatch.setattr(services, "_climb", crash_on_second)
    at = OPENED + 15 * DAY
    with pytest.raises(RuntimeError):
        services.divergences_escalate_overdue(now=at)
    # The first climbed and committed; the second rolled back whole; the third never ran.
    assert [_row(r).rung for r in rows] == ["HLC", "WG-NUC", "WG-NUC"]
    assert Event.objects.filter(kind="DivergenceEscalated").count() == 1

    monkeypatch.setattr(services, "_climb", real_climb)
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
    services.divergence_open(actor=cast["pk-chair"], body=wg_nuc, title="Later", now=OPENED + DAY)
    services.divergence_refer(actor=cast["pk-chair"], divergence=divergence)

    board = selectors.divergence_board(actor=cast["ir-head"], now=OPENED + 10 * DAY)

    assert [c.rung for c in board] == ["working_groups", "HLC", "principals"]
    wgs, hlc, top = board
    assert [card.divergence.title for card in wgs.cards] == ["Later"]
    assert wgs.cards[0].age_days == 9 and wgs.cards[0].days_left == 5
    assert [card.divergence.pk for card in hlc.cards] == [divergence.pk]
    assert top.cards == []


def test_the_open_history_counts_per_working_group_by_day(cast, divergence, wg_nuc):
    other = services.divergence_open(
        actor=cast["pk-chair"], body=wg_nuc, title="B", now=OPENED + 2 * DAY
    )
    services.divergence_resolve(actor=cast["pk-chair"], divergence=other, resolution="ok")
    history = selectors.divergence_open_history(actor=cast["us-head"])
    assert history[0] == (OPENED.date(), "WG-NUC", 1)
    assert history[1] == ((OPENED + 2 * DAY).date(), "WG-NUC", 2)
    assert history[-1][2] == 1
