"""The divergence API and pages over HTTP (Django's test client)."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accord.divergences import services
from accord.divergences.models import Divergence, Position
from accord.events.models import Event


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_the_api_walks_a_divergence_up_the_ladder(cast):
    chair = _client(cast["pk-chair"])
    created = _post(
        chair,
        "/api/divergences/",
        {"body": "WG-SAN", "title": "Oil relief", "provisions": ["provision:SAN-2.1"]},
    )
    assert created.status_code == 201
    d = created.json()
    assert (d["code"], d["rung"], d["status"]) == ("D-1", "WG-SAN", "open")
    assert Divergence.objects.get().public_id == uuid.UUID(d["id"])

    us = _client(cast["us-expert"])
    put = us.put(
        f"/api/divergences/{d['id']}/position",
        {"text": "After the second report", "shared": False},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["shared"] is False
    assert _post(us, f"/api/divergences/{d['id']}/position/share").json()["shared"] is True
    assert (
        _post(chair, f"/api/divergences/{d['id']}/bridging", {"text": "Stage it"}).status_code
        == 201
    )

    referred = _post(
        _client(cast["qa-chair"]), f"/api/divergences/{d['id']}/refer", {"text": "Stuck"}
    )
    assert referred.status_code == 200
    assert referred.json()["rung"] == "HLC"
    assert referred.json()["referrals"][0]["to_rung"] == "HLC"

    board = _client(cast["ir-head"]).get("/api/divergences/board").json()
    hlc = next(c for c in board if c["rung"] == "HLC")
    assert [card["id"] for card in hlc["cards"]] == [d["id"]]

    resolved = _post(chair, f"/api/divergences/{d['id']}/resolve", {"text": "Two tranches"})
    assert resolved.json()["status"] == "resolved"
    kinds = set(
        Event.objects.filter(subject=f"divergence:{d['id']}").values_list("kind", flat=True)
    )
    assert kinds >= {
        "DivergenceOpened",
        "PositionStated",
        "PositionShared",
        "BridgingProposed",
        "DivergenceReferred",
        "DivergenceResolved",
    }


# An id no divergence has: fixed, so every test process collects the same test names.
NO_SUCH_ID = uuid.UUID("00000000-0000-4000-8000-00000000dead")


@pytest.mark.parametrize(
    ("method", "url", "data", "status"),
    [
        ("post", "/api/divergences/", {"body": "WG-XYZ", "title": "x"}, 404),
        ("post", "/api/divergences/", {"body": "WG-NUC", "title": ""}, 422),
        ("post", "/api/divergences/", {"body": "WG-NUC", "title": "x", "provisions": ["x"]}, 422),
        ("post", "/api/divergences/", {"title": "x"}, 422),
        ("get", f"/api/divergences/{NO_SUCH_ID}", None, 404),
        ("get", "/api/divergences/not-a-uuid", None, 404),
        ("get", "/api/divergences/1", None, 404),
        ("post", f"/api/divergences/{NO_SUCH_ID}/refer", {}, 404),
    ],
)
def test_bad_requests_are_clear_4xx_and_write_nothing(cast, method, url, data, status):
    client = _client(cast["pk-chair"])
    response = _post(client, url, data) if method == "post" else client.get(url)
    assert response.status_code == status
    assert "code" in response.json()
    assert not Divergence.objects.exists()


def test_a_party_cannot_bridge_or_resolve_by_the_api(cast, divergence):
    us = _client(cast["us-head"])
    detail = us.get(f"/api/divergences/{divergence.public_id}")
    assert detail.status_code == 200
    assert detail.json()["may"] == {
        "state_position": True,
        "share_position": False,
        "propose_bridge": False,
        "refer": False,
        "resolve": False,
        "park": False,
        "reopen": False,
    }
    chair = _client(cast["pk-chair"]).get(f"/api/divergences/{divergence.public_id}").json()
    assert {name for name, may in chair["may"].items() if may} == {
        "propose_bridge",
        "refer",
        "resolve",
        "park",
    }
    d = divergence.public_id
    for action, code in [
        ("bridging", "bridging_proposal.facilitators_only"),
        ("resolve", "divergence.close_facilitators_only"),
        ("refer", "divergence.refer_not_allowed"),
    ]:
        refused = _post(us, f"/api/divergences/{d}/{action}", {"text": "x"})
        assert refused.status_code == 403, action
        assert refused.json()["code"] == code


def test_the_board_page_shows_columns_by_rung_and_the_cards(cast, divergence):
    page = _client(cast["ir-expert"]).get(reverse("divergences:board")).text
    assert 'data-rung="working_groups"' in page
    assert 'data-rung="HLC"' in page
    assert 'data-rung="principals"' in page
    assert f'data-divergence="{divergence.public_id}"' in page
    assert "Enrichment ceiling" in page


def test_the_detail_page_forms_call_the_services(cast, divergence):
    us = _client(cast["us-expert"])
    url = reverse("divergences:act", args=[divergence.public_id, "position"])
    assert us.post(url, {"text": "Keep 3.67"}).status_code == 302
    page = us.get(reverse("divergences:detail", args=[divergence.public_id])).text
    assert "Keep 3.67" in page and "internal: US only" in page
    # A refused form goes back to its page with the sentence as a message, never a 500.
    detail = reverse("divergences:detail", args=[divergence.public_id])
    bridging = reverse("divergences:act", args=[divergence.public_id, "bridging"])
    response = us.post(bridging, {"text": "x", "next": detail}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(detail, 302)]
    assert "Only the facilitators table bridging proposals." in response.text
    # Without a page to go back to, the error page says it with the status.
    response = us.post(bridging, {"text": "x"})
    assert response.status_code == 403
    assert "Only the facilitators table bridging proposals." in response.text
    assert (
        us.post(reverse("divergences:act", args=[divergence.public_id, "explode"])).status_code
        == 404
    )
    assert us.get(reverse("divergences:detail", args=[uuid.uuid4()])).status_code == 404


def test_a_new_divergence_from_the_board_form(cast):
    client = _client(cast["qa-chair"])
    response = client.post(
        reverse("divergences:create"),
        {"body": "WG-VER", "title": "Notice periods", "provisions": "provision:VER-1.1"},
    )
    assert response.status_code == 302
    row = Divergence.objects.get()
    assert row.provisions == ["provision:VER-1.1"]
    bad = client.post(reverse("divergences:create"), {"body": "WG-VER", "title": ""}, follow=True)
    assert "A divergence needs a title." in bad.text


def test_the_operator_sees_no_register(cast, divergence):
    client = _client(cast["operator"])
    assert client.get(reverse("divergences:board")).status_code == 404
    listed = client.get("/api/divergences/")
    assert listed.status_code == 200
    assert listed.json() == []
    assert client.get(f"/api/divergences/{divergence.public_id}").status_code == 404


def test_the_demo_content_is_idempotent(islamabad, cast):
    from accord.divergences.demo import demo_content_ensure

    demo_content_ensure(process=islamabad)
    count = Divergence.objects.count()
    events = Event.objects.count()
    demo_content_ensure(process=islamabad)
    assert Divergence.objects.count() == count >= 5
    assert Event.objects.count() == events
    assert Divergence.objects.filter(rung="HLC").exists()


def test_the_body_page_lists_its_unresolved_divergences(cast, divergence):
    page = _client(cast["us-expert"]).get(reverse("process:body", args=["WG-NUC"])).text
    assert "data-body-divergences" in page
    assert f'<bdi dir="ltr">{divergence.code}</bdi> · <bdi>Enrichment ceiling' in page


def test_the_register_reads_in_a_fixed_number_of_queries(
    cast, wg_nuc, django_assert_max_num_queries
):
    for i in range(12):
        row = services.divergence_open(actor=cast["pk-chair"], body_code="WG-NUC", title=f"P{i}")
        services.position_set(
            actor=cast["us-expert"], divergence_id=row.public_id, text="x", shared=True
        )
    client = _client(cast["ir-head"])
    client.get("/api/divergences/")  # warm the session and clearance
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/divergences/").json()) == 12
    # 24, whatever the number of rows: the page layout checks once whether to offer the
    # HLC briefing, analysis and security links, and reads the viewer's alerts once
    # (channels.selectors.alerts_for: 6 for a head on watch, and 1 for the clocks run
    # out of accord.page_alerts, decision 0151).
    with django_assert_max_num_queries(24):
        assert client.get(reverse("divergences:board")).status_code == 200


def test_an_agenda_item_about_a_divergence_links_to_its_page(divergence):
    from accord.meetings.templatetags.meetings_tags import subject_url

    page = reverse("divergences:detail", args=[divergence.public_id])
    assert subject_url(divergence.subject) == page


def test_reading_the_register_changes_nothing(cast, divergence):
    """Every GET, page or API, can be repeated, prefetched and fuzzed: it writes nothing."""
    services.position_set(
        actor=cast["us-expert"], divergence_id=divergence.public_id, text="x", shared=False
    )

    def state():
        return (
            list(Event.objects.values_list("seq", "hash")),
            list(Divergence.objects.values()),
            list(Position.objects.values()),
        )

    before = state()
    for username in ("us-expert", "ir-head", "pk-chair"):
        client = _client(cast[username])
        for url in [
            reverse("divergences:board"),
            reverse("divergences:detail", args=[divergence.public_id]),
            "/api/divergences/",
            "/api/divergences/board",
            f"/api/divergences/{divergence.public_id}",
            reverse("notes:list"),
            "/api/notes/",
        ]:
            assert client.get(url).status_code == 200, url
    assert state() == before


def test_a_refused_new_divergence_keeps_what_was_typed_beside_the_error(cast):
    # Given a chair recording a divergence with a malformed provision reference
    typed = {
        "body": "WG-SAN",
        "title": "Oil relief",
        "description": "Which barrels first.",
        "provisions": "SAN-2.1",
    }
    # When the board's form is submitted
    page = _client(cast["pk-chair"]).post(reverse("divergences:create"), typed)
    # Then the board comes back (422) with the form open, every value kept, the sentence
    # under the provisions field, and nothing recorded
    assert page.status_code == 422
    assert '<details class="card" id="open-divergence" open>' in page.text
    assert 'value="Oil relief"' in page.text and ">Which barrels first.</textarea>" in page.text
    assert '<option value="WG-SAN" selected>' in page.text
    assert 'aria-describedby="open-provisions-error"' in page.text
    assert 'id="open-provisions-error" role="alert">' in page.text
    assert not Divergence.objects.exists()


def test_a_refused_action_keeps_its_text_on_the_divergence_page(cast, divergence):
    url = reverse("divergences:act", args=[divergence.public_id, "bridging"])
    page = _client(cast["pk-chair"]).post(url, {"text": "x" * 20_001})
    assert page.status_code == 422
    assert "x" * 20_001 + "</textarea>" in page.text
    assert 'id="bridging-text-error" role="alert">' in page.text
    blank = _client(cast["pk-chair"]).post(url, {"text": "   "})
    assert blank.status_code == 422
    assert 'id="bridging-text-error" role="alert">' in blank.text
