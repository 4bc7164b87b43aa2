"""A party learns nothing of another's preferences by any route; consent reaches the
facilitators only; the frontier and the tabled packages' provenance are theirs only."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accord.accounts.demo import demo_accounts_ensure
from accord.accounts.models import User
from accord.analysis import services
from accord.analysis.models import NonPaper, Preference, SharedPreference
from accord.analysis.tests.conftest import state
from accord.drafting import services as drafting_services
from accord.drafting.demo import FRAMEWORK
from accord.drafting.demo import demo_content_ensure as drafting_demo
from accord.drafting.models import Document
from accord.process.services import charter_load
from accord.testing.need_to_know import assert_learns_nothing_of_others

_VARYING = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'),
    re.compile(r"last_event_id=[^\"'&]+"),
    re.compile(r'"X-CSRFToken": "[^"]+"'),
    re.compile(r'"csrf": "[^"]+"'),  # the alerts' configuration (masked anew each page)
]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _normalised(text: str) -> str:
    for pattern in _VARYING:
        text = pattern.sub("", text)
    return text


def _routes(client: Client, document) -> list[str]:
    """What each route the other party can reach answers (each must be 200)."""
    doc = document.public_id
    responses = [
        client.get(reverse("analysis:index")),
        client.get(reverse("analysis:preferences", args=[doc])),
        client.get(reverse("drafting:document", args=[doc])),
        client.get(reverse("web:search"), {"q": "preferences"}),
        client.get(reverse("web:search"), {"q": "90"}),
        client.get(f"/api/analysis/documents/{doc}/issues"),
        client.get(f"/api/analysis/documents/{doc}/preferences"),
        client.get("/api/events/"),
    ]
    for response in responses:
        assert response.status_code == 200, response.request["PATH_INFO"]
    export = client.get("/api/events/export")
    assert export.status_code == 200
    texts = [r.text for r in responses] + [b"".join(export.streaming_content).decode()]
    return [_normalised(t) for t in texts]


def _refused(client: Client, document) -> None:
    doc = document.public_id
    assert client.get(reverse("analysis:frontier", args=[doc])).status_code == 404
    assert client.get(f"/api/analysis/documents/{doc}/frontier").status_code == 404


@pytest.mark.parametrize(
    ("username", "text", "us"),
    [("ir-head", "framework", "us-head"), ("ir-expert", "annex", "us-expert")],
)
def test_the_other_party_sees_exactly_the_same_whether_the_us_shared_or_not(
    cast, texts, username, text, us
):
    # Given what an Iranian account sees on every route of a text
    annex = texts[text]
    client = _client(cast[username])
    before = _routes(client, annex)
    _refused(client, annex)
    # when the US states its preferences and shares them with the facilitators
    state(cast[us], annex, favour_first=True, reservation=40)
    after = _routes(client, annex)
    # then every route answers byte for byte as before, and the frontier is still not
    # there for them
    assert after == before
    _refused(client, annex)
    hidden = [*Preference.objects.filter(scope="party:US"), *SharedPreference.objects.all()]
    for text in after:
        assert_learns_nothing_of_others(text, hidden=hidden)
        assert "party:US" not in text


def test_the_us_reads_its_own_preferences_but_not_the_frontier(cast, annex):
    # Given the US preferences shared
    state(cast["us-head"], annex, favour_first=True, reservation=40)
    client = _client(cast["us-head"])
    # when the US delegation reads its preferences, then they are there
    own = client.get(f"/api/analysis/documents/{annex.public_id}/preferences")
    assert own.status_code == 200
    assert own.json()["party"] == "US"
    assert own.json()["reservation"] == 40
    # and the frontier is still the facilitators' only
    _refused(client, annex)


def test_consent_reaches_the_facilitators_only_and_withdrawal_takes_it_back(cast, annex):
    # Given the US preferences stated but not shared, and Iran's shared
    state(cast["us-head"], annex, favour_first=True, share=False)
    state(cast["ir-head"], annex, favour_first=False)
    facilitator = _client(cast["pk-rapporteur"])
    url = f"/api/analysis/documents/{annex.public_id}/frontier"
    # then the facilitators see the US left out
    body = facilitator.get(url).json()
    assert body["parties"] == ["IR"]
    assert "US" in body["missing"]
    # when the US consents, then the facilitators see its preferences
    services.preference_share(actor=cast["us-head"], document_id=str(annex.public_id), consent=True)
    assert facilitator.get(url).json()["parties"] == ["US", "IR"]
    # and when it withdraws, they no longer do
    services.preference_share(
        actor=cast["us-head"], document_id=str(annex.public_id), consent=False
    )
    assert facilitator.get(url).json()["parties"] == ["IR"]


def test_the_facilitators_never_read_a_partys_own_row(cast, annex):
    # Given the US preferences stated, not shared
    state(cast["us-head"], annex, favour_first=True, share=False)
    # when a facilitator reads the events and the admin, then nothing of them is there
    row = Preference.objects.get()
    facilitator = _client(cast["pk-rapporteur"])
    events = facilitator.get("/api/events/").text
    assert str(row.public_id) not in events
    assert "PreferencesStated" not in events


def test_the_tabled_packages_provenance_is_the_facilitators_only(cast, annex):
    # Given a package tabled from both parties' shared preferences
    state(cast["us-head"], annex, favour_first=True)
    found = state(cast["ir-head"], annex, favour_first=False)
    row = services.package_table(
        actor=cast["pk-rapporteur"], document_id=str(annex.public_id), package=[1] * len(found)
    )
    # then a party reads the non-paper's text, but not where it came from
    party = _client(cast["ir-head"])
    assert party.get(f"/api/analysis/non-papers/{row.public_id}").status_code == 404
    assert party.get(reverse("drafting:document", args=[row.document.public_id])).status_code == 200
    events = party.get("/api/events/").text
    assert "PackageTabled" not in events
    assert_learns_nothing_of_others(events, hidden=[NonPaper.objects.get()])
    # and the facilitators do
    facilitator = _client(cast["pk-rapporteur"])
    answer = facilitator.get(f"/api/analysis/non-papers/{row.public_id}")
    assert answer.status_code == 200
    assert answer.json()["source"] == str(annex.public_id)


def test_the_admin_shows_a_party_only_its_own_preferences(cast, annex):
    # Given both parties' preferences stated
    state(cast["us-head"], annex, favour_first=True)
    state(cast["ir-head"], annex, favour_first=False)
    us_row = Preference.objects.get(delegation__code="US")
    for username in ("ir-head", "pk-rapporteur"):
        user = cast[username]
        user.is_staff = True
        user.is_superuser = True
        user.save()
        page = _client(user).get(reverse("admin:analysis_preference_changelist"))
        assert page.status_code == 200
        assert str(us_row.public_id) not in page.text


@pytest.fixture
def live_cast(transactional_db):
    process = charter_load(path=settings.ACCORD_DEFAULT_CHARTER).process
    demo_accounts_ensure(process=process)
    drafting_demo(process=process)
    return Document.objects.get(title=FRAMEWORK), {u.username: u for u in User.objects.all()}


@pytest.mark.usefixtures("fast_feed")
def test_an_open_iran_stream_never_carries_the_us_preferences_or_their_sharing(
    live_cast, open_feed
):
    # Given Iran's and a facilitator's live feeds open
    document, cast = live_cast
    with open_feed(cast["ir-head"]) as iran, open_feed(cast["pk-rapporteur"]) as facilitator:
        # when the US states and shares its preferences, then a shared event follows
        state(cast["us-head"], document, favour_first=True)
        # (a shared change to the text both feeds carry, after the preferences' events)
        marker = drafting_services.document_update(
            actor=cast["pk-rapporteur"],
            document_id=str(document.public_id),
            title=f"{document.title} (marker)",
        )
        subject = f"document:{document.public_id}"
        seen_iran = iran.events_until(subject)
        seen_facilitator = facilitator.events_until(subject)
    assert marker is not None
    # then Iran's stream carries nothing of them, the facilitators' only the sharing
    hidden = [*Preference.objects.all(), *SharedPreference.objects.all()]
    for event in seen_iran:
        assert "Preferences" not in str(event.data)
        assert_learns_nothing_of_others(event.data, hidden=hidden)
    kinds = " ".join(str(e.data) for e in seen_facilitator)
    assert "PreferencesStated" not in kinds
    assert "PreferencesShared" in kinds
