"""A party's internal position is never visible to the other party, nor to the facilitators.

Routes tried: the board and detail pages, search, the API (list, detail, board), the event
log and its export, the admin, and the live feed (a real ASGI server, further down).
"""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.divergences import services
from accord.divergences.models import Position
from accord.events.models import Event
from accord.process.models import Body
from accord.process.services import charter_load
from accord.testing.need_to_know import assert_learns_nothing_of_others, leaks_of

SECRET = "Fallback: accept 5 per cent for two years"
SHARED = "Public position: 3.67 per cent"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def us_internal(cast, divergence):
    services.position_set(
        actor=cast["us-expert"], divergence_id=divergence.public_id, text=SHARED, shared=True
    )
    services.position_set(
        actor=cast["us-expert"], divergence_id=divergence.public_id, text=SECRET, shared=False
    )
    return divergence


def _routes(client: Client, divergence) -> list[str]:
    """What each route answers; every one must answer 200 (a refusal proves nothing)."""
    responses = [
        client.get(reverse("divergences:board")),
        client.get(reverse("divergences:detail", args=[divergence.public_id])),
        client.get(reverse("web:search"), {"q": "fallback"}),
        client.get(reverse("web:search"), {"q": "5 per cent"}),
        client.get("/api/divergences/"),
        client.get(f"/api/divergences/{divergence.public_id}"),
        client.get("/api/divergences/board"),
        client.get("/api/divergences/", {"status": "open"}),
        client.get("/api/events/"),
    ]
    for response in responses:
        assert response.status_code == 200, response.request["PATH_INFO"]
    export = client.get("/api/events/export")
    assert export.status_code == 200
    return [r.text for r in responses] + [b"".join(export.streaming_content).decode()]


def test_the_us_delegation_reads_its_internal_position_on_every_route(cast, us_internal):
    """The positive control: the same routes do carry the text to its owners."""
    client = _client(cast["us-head"])
    texts = _routes(client, us_internal)
    assert SECRET in texts[1]  # detail page
    assert SECRET in texts[2]  # search
    assert SECRET in texts[5]  # API detail
    assert SECRET in texts[8] and SECRET in texts[9]  # event log and export
    assert 'data-shared="false"' in texts[1]


@pytest.mark.parametrize(
    "username", ["ir-head", "ir-expert", "ir-observer", "pk-chair", "qa-rapporteur", "pk-verifier"]
)
def test_no_route_leads_anyone_else_to_the_internal_position(cast, us_internal, username):
    client = _client(cast[username])
    for text in _routes(client, us_internal):
        assert SECRET not in text
        assert "Fallback" not in text
    detail = client.get(f"/api/divergences/{us_internal.public_id}").json()
    # The shared one is visible; nothing hints at an internal one.
    assert [(p["party"], p["shared"]) for p in detail["positions"]] == [("US", True)]
    assert SHARED in client.get(reverse("divergences:detail", args=[us_internal.public_id])).text
    assert "party:US" not in client.get("/api/events/").text


def test_the_admin_shows_no_internal_position(cast, us_internal):
    for username in ("operator", "ir-head"):
        user = cast[username]
        user.is_staff = user.is_superuser = True
        user.save()
        client = _client(user)
        page = client.get(reverse("admin:divergences_position_changelist"))
        assert page.status_code == 200
        assert SECRET not in page.text
        assert "party:US" not in page.text


def test_an_internal_position_never_takes_another_partys_scope(cast, us_internal):
    own = services.position_set(
        actor=cast["ir-expert"],
        divergence_id=us_internal.public_id,
        text="Our fallback",
        shared=False,
    )
    assert own.scope == "party:IR"
    assert (
        "Our fallback"
        not in _client(cast["us-head"]).get(f"/api/divergences/{us_internal.public_id}").text
    )


def test_another_party_cannot_share_the_us_position_by_the_api(cast, us_internal):
    response = _client(cast["ir-head"]).post(
        f"/api/divergences/{us_internal.public_id}/position/share"
    )
    assert response.status_code == 409  # Iran holds no internal position: nothing of the US's
    assert SECRET not in response.text


# --- The live feed -------------------------------------------------------------------------


@pytest.fixture
def live_cast(transactional_db):
    process = charter_load(path=settings.ACCORD_DEFAULT_CHARTER).process
    demo_accounts_ensure(process=process)
    return process, {u.username: u for u in User.objects.all()}


@pytest.mark.usefixtures("fast_feed")
def test_an_open_iran_or_facilitator_stream_never_carries_the_internal_position(
    live_cast, open_feed
):
    process, cast = live_cast
    body = Body.objects.get(process=process, code="WG-NUC")
    row = services.divergence_open(actor=cast["pk-chair"], body_code=body.code, title="Ceiling")
    with (
        open_feed(cast["ir-expert"]) as iran,
        open_feed(cast["qa-chair"]) as qatar,
        open_feed(cast["us-head"]) as us,
    ):
        services.position_set(
            actor=cast["us-expert"], divergence_id=row.public_id, text=SECRET, shared=False
        )
        # A later shared event proves each stream was live past the position.
        marker = services.divergence_open(
            actor=cast["pk-chair"], body_code=body.code, title="Marker"
        )
        seen = {
            "iran": iran.events_until(marker.subject),
            "qatar": qatar.events_until(marker.subject),
            "us": us.events_until(marker.subject),
        }
    assert all(SECRET not in str(e.data) for e in seen["iran"] + seen["qatar"])
    hidden = list(Position.objects.filter(scope="party:US"))
    for event in seen["iran"] + seen["qatar"]:
        assert_learns_nothing_of_others(event.data, hidden=hidden)
    assert any(SECRET in str(e.data) for e in seen["us"])


# --- Lists, search and the feed learn nothing of the others' -------------------------------


@pytest.mark.parametrize("username", ["ir-head", "ir-expert", "pk-chair", "qa-rapporteur"])
def test_the_lists_and_search_give_no_trace_of_the_us_internal_position(
    cast, us_internal, username
):
    """Not its text, not its id, not a count: the reader sees one divergence and one
    (shared) US position, and every list and search answers as if nothing else existed."""
    hidden = list(Position.objects.filter(scope="party:US"))
    assert len(hidden) == 1
    client = _client(cast[username])
    for url, params in [
        (reverse("divergences:board"), {}),
        (reverse("divergences:detail", args=[us_internal.public_id]), {}),
        (reverse("web:search"), {"q": "fallback"}),
        (reverse("web:search"), {"q": "per cent"}),
        ("/api/divergences/", {}),
        ("/api/divergences/", {"status": "unresolved"}),
        ("/api/divergences/board", {}),
        (f"/api/divergences/{us_internal.public_id}", {}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert_learns_nothing_of_others(response.content, hidden=hidden, shown=1)
        assert SECRET not in response.text
    positions = client.get(f"/api/divergences/{us_internal.public_id}").json()["positions"]
    assert [p["id"] for p in positions] == [str(Position.objects.get(scope="shared").public_id)]


def test_the_us_delegation_is_shown_its_internal_position_by_id(cast, us_internal):
    """The positive control for the check above: the same API names it to its owners."""
    hidden_from_others = Position.objects.get(scope="party:US")
    body = _client(cast["us-expert"]).get(f"/api/divergences/{us_internal.public_id}").json()
    assert str(hidden_from_others.public_id) in {p["id"] for p in body["positions"]}
    problems = leaks_of(json.dumps(body), hidden=[hidden_from_others])
    assert problems, "the leak check would not notice the position's id"


def test_no_page_or_answer_names_a_divergence_by_its_row_key(cast, us_internal):
    client = _client(cast["ir-expert"])
    for url in [
        reverse("divergences:board"),
        reverse("divergences:detail", args=[us_internal.public_id]),
        reverse("process:body", args=["WG-NUC"]),
        "/api/divergences/",
        "/api/divergences/board",
        f"/api/divergences/{us_internal.public_id}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_learns_nothing_of_others(response.content)
    assert client.get(f"/divergences/{us_internal.pk}/").status_code == 404
    assert client.get(f"/api/divergences/{us_internal.pk}").status_code == 404
    events = Event.objects.filter(subject=us_internal.subject)
    assert events.exists()
    for event in events:
        assert_learns_nothing_of_others({"subject": event.subject, **event.payload})


def test_the_admin_names_rows_by_public_id_only(cast, us_internal):
    iran = cast["ir-head"]
    iran.is_staff = iran.is_superuser = True
    iran.save()
    client = _client(iran)
    shared = Position.objects.get(scope="shared")
    changelist = client.get(reverse("admin:divergences_position_changelist"))
    assert changelist.status_code == 200
    assert_learns_nothing_of_others(
        changelist.content, hidden=list(Position.objects.filter(scope="party:US"))
    )
    assert str(shared.public_id) in changelist.text
    change = client.get(reverse("admin:divergences_position_change", args=[shared.public_id]))
    assert change.status_code == 200
    assert_learns_nothing_of_others(change.content)
    for model, row in [("divergence", us_internal), ("position", shared)]:
        by_key = client.get(reverse(f"admin:divergences_{model}_change", args=[row.pk]))
        assert by_key.status_code == 302  # "does not exist": back to the admin's index
    hidden = Position.objects.get(scope="party:US")
    by_id = client.get(reverse("admin:divergences_position_change", args=[hidden.public_id]))
    assert by_id.status_code == 302
    page = client.get(reverse("admin:divergences_divergence_change", args=[us_internal.public_id]))
    assert page.status_code == 200
    assert_learns_nothing_of_others(page.content)
