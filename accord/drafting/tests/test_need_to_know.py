"""Deliberate leak tests: a working group's text stays inside the working group, and a
non-paper's author stays unknown to the other party, by every route."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.drafting import services
from accord.drafting.models import Document, Proposal, Referral, Revision
from accord.drafting.search import search_hits
from accord.drafting.tests.conftest import by_label
from accord.events import stream
from accord.events.models import Event
from accord.process.models import Body
from accord.testing.need_to_know import assert_learns_nothing_of_others

SECRET_WORDING = "breakout time of no less than twelve months"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def paper(cast, islamabad):
    body = Body.objects.get(process=islamabad, code="WG-NUC")
    document = services.document_create(
        actor=cast["us-expert"],
        body_code=body.code,
        title="Non-paper on breakout",
        status="non_paper",
    )
    services.provision_add(
        actor=cast["pk-chair"],
        document_id=document.public_id,
        kind="paragraph",
        text=f"A {SECRET_WORDING} [shall]{{US}} be kept.",
    )
    return document


@pytest.mark.parametrize("username", ["ir-expert", "qa-rapporteur"])
def test_the_non_paper_author_is_not_shown_to_the_other_party(cast, paper, username):
    client = _client(cast[username])
    page = client.get(reverse("drafting:document", args=[paper.public_id]))
    api = client.get(f"/api/drafting/documents/{paper.public_id}").json()
    events = client.get("/api/events/").text
    export = b"".join(client.get("/api/events/export").streaming_content).decode()
    if username == "ir-expert":
        assert "data-author" not in page.text
        assert api["author"] is None
        assert "NonPaperAuthorRecorded" not in events + export
        created = [line for line in export.splitlines() if "DocumentCreated" in line]
        assert created and all("us-expert" not in line and '"US"' not in line for line in created)
    else:
        assert api["author"] == "US"  # the facilitators know


def test_the_author_delegation_sees_its_own_authorship(cast, paper):
    assert (
        _client(cast["us-expert"])
        .get(f"/api/drafting/documents/{paper.public_id}")
        .json()["author"]
        == "US"
    )


@pytest.mark.parametrize("username", ["qa-chair", "ir-member", "us-member", "ir-duty", "operator"])
def test_no_route_leads_outside_the_working_group_to_its_text(cast, paper, username):
    client = _client(cast[username])
    wid = paper.provisions.get().wid
    responses = [
        client.get(reverse("drafting:document", args=[paper.public_id])),
        client.get(reverse("drafting:provision", args=[wid])),
        client.get(reverse("drafting:export", args=[paper.public_id, "docx"])),
        client.get(reverse("drafting:export", args=[paper.public_id, "txt"])),
        client.get(reverse("drafting:diff", args=[paper.public_id])),
        client.get(reverse("drafting:document_live", args=[paper.public_id])),
        client.get(f"/api/drafting/documents/{paper.public_id}"),
        client.get(f"/api/drafting/provisions/{wid}"),
        client.get(f"/api/drafting/documents/{paper.public_id}/revisions"),
        client.get(f"/api/drafting/documents/{paper.public_id}/export.txt"),
    ]
    assert all(r.status_code == 404 for r in responses), [r.status_code for r in responses]
    for page in (client.get(reverse("drafting:list")), client.get("/api/drafting/documents")):
        assert SECRET_WORDING not in page.text and "breakout" not in page.text
    assert SECRET_WORDING not in client.get("/api/events/").text
    assert client.get("/api/drafting/counts").json()["by_body"].get("WG-NUC") is None


def test_a_referral_shows_the_hlc_the_referred_wording_only(cast, annex):
    provision = by_label(annex, "Article 1.1")
    services.referral_create(actor=cast["pk-chair"], provision_id=provision.wid, note="Decide.")
    head = _client(cast["qa-chair"])  # of the HLC, not of WG-NUC
    assert "Enrichment shall not exceed" in head.get(reverse("drafting:referrals")).text
    other = by_label(annex, "Article 2.1").text
    assert other[:30] not in head.get(reverse("drafting:referrals")).text
    assert head.get(reverse("drafting:document", args=[annex.public_id])).status_code == 404


def test_search_finds_wording_for_members_only(cast, paper):
    members = _client(cast["ir-expert"]).get(reverse("web:search"), {"q": "twelve months"})
    assert SECRET_WORDING in members.text
    outsider = _client(cast["ir-member"]).get(reverse("web:search"), {"q": "twelve months"})
    assert SECRET_WORDING not in outsider.text and "breakout" not in outsider.text


def test_the_admin_shows_no_author_and_nothing_outside_the_viewers_scopes(cast, paper):
    iran = cast["ir-expert"]
    iran.is_staff = iran.is_superuser = True
    iran.save()
    client = _client(iran)
    listing = client.get(reverse("admin:drafting_document_changelist"))
    assert listing.status_code == 200 and "Non-paper on breakout" in listing.text
    detail = client.get(reverse("admin:drafting_document_change", args=[paper.public_id]))
    assert detail.status_code == 200
    assert "us-expert" not in detail.text and "United States" not in detail.text
    assert_learns_nothing_of_others(detail.content)
    assert client.get(reverse("admin:drafting_document_change", args=[paper.pk])).status_code in (
        302,
        404,
    )
    proposal = services.proposal_submit(
        actor=iran,
        document_id=paper.public_id,
        kind="delete",
        provision_id=paper.provisions.get().wid,
        justification="Not needed.",
    )
    page = client.get(reverse("admin:drafting_proposal_change", args=[proposal.public_id]))
    assert page.status_code == 200 and paper.title in page.text
    assert_learns_nothing_of_others(page.content)
    listing = client.get(reverse("admin:drafting_proposal_changelist"))
    assert listing.status_code == 200
    assert_learns_nothing_of_others(listing.content)
    operator = _client(cast["operator"])
    assert (
        "Non-paper on breakout"
        not in operator.get(reverse("admin:drafting_document_changelist")).text
    )


@pytest.fixture
def three_texts(cast, texts):
    """The demo texts (HLC, WG-NUC) and a third in WG-SAN, with a revision and a
    referral to the HLC. (A referral shows the HLC the referred wording and its
    document's title by design, so WG-NUC refers nothing here.)"""
    sanctions = services.document_create(
        actor=cast["qa-chair"], body_code="WG-SAN", title="Sanctions relief"
    )
    services.provision_add(
        actor=cast["qa-chair"],
        document_id=sanctions.public_id,
        kind="paragraph",
        text="Relief shall not exceed [the agreed phases]{IR}.",
    )
    services.revision_issue(actor=cast["qa-chair"], document_id=sanctions.public_id)
    wid = sanctions.provisions.get().wid
    services.referral_create(actor=cast["qa-chair"], provision_id=wid, note="Decide, please.")
    return {**texts, "sanctions": sanctions}


def _hidden_from(document):
    return [
        document,
        *Proposal.objects.filter(document=document),
        *Revision.objects.filter(document=document),
        *Referral.objects.filter(document=document),
    ]


def test_a_facilitator_outside_a_working_group_learns_nothing_of_its_text(cast, three_texts):
    """qa-chair sits on the HLC and WG-SAN, not WG-NUC: it sees two of the three texts,
    and nothing it is shown (no key, no subject, no link, no total) tells it of the third."""
    reader = cast["qa-chair"]
    client = _client(reader)
    hidden = _hidden_from(three_texts["annex"])
    visible = [three_texts["framework"], three_texts["sanctions"]]
    assert {d.pk for d in Document.objects.all()} > {d.pk for d in visible}

    page = client.get(reverse("drafting:list"))
    assert page.status_code == 200
    assert all(d.title in page.text for d in visible)
    assert three_texts["annex"].title not in page.text
    assert_learns_nothing_of_others(page.content, hidden=hidden)

    listed = client.get("/api/drafting/documents")
    assert listed.status_code == 200
    assert {d["id"] for d in listed.json()} == {str(d.public_id) for d in visible}
    assert_learns_nothing_of_others(listed.content, hidden=hidden, shown=len(visible))
    for document in visible:
        base = f"/api/drafting/documents/{document.public_id}"
        for url in (base, f"{base}/proposals", f"{base}/revisions"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_learns_nothing_of_others(
                response.content, hidden=hidden, allowed_integer_keys=["number"]
            )
        detail = client.get(reverse("drafting:document", args=[document.public_id]))
        assert detail.status_code == 200
        assert_learns_nothing_of_others(detail.content, hidden=hidden)
    referrals = client.get("/api/drafting/referrals")
    assert referrals.status_code == 200 and referrals.json()
    assert_learns_nothing_of_others(referrals.content, hidden=hidden)
    page = client.get(reverse("drafting:referrals"))
    assert page.status_code == 200
    assert_learns_nothing_of_others(page.content, hidden=hidden)

    # Drafting's own search source (the search page gathers every app's): its hits link
    # by public id and find nothing of the hidden text.
    hits = search_hits(actor=reader, query="shall not exceed", limit=50)
    assert any("Sanctions relief" in h.title for h in hits)
    assert_learns_nothing_of_others(
        [{"title": h.title, "snippet": h.snippet, "url": h.url} for h in hits], hidden=hidden
    )
    assert all(three_texts["annex"].title not in h.title for h in hits)
    links = "".join(f'<a href="{h.url}">' for h in hits)
    assert_learns_nothing_of_others(links, hidden=hidden)


def test_the_live_feed_and_the_event_log_name_drafting_rows_by_public_id_only(cast, three_texts):
    reader = cast["qa-chair"]
    client = _client(reader)
    hidden = _hidden_from(three_texts["annex"])
    log = client.get("/api/events/", {"limit": 500})
    assert log.status_code == 200
    drafting = [e for e in log.json()["events"] if e["subject"].split(":")[0] in SUBJECTS]
    assert {e["kind"] for e in drafting} >= {"DocumentCreated", "RevisionIssued"}
    assert_learns_nothing_of_others(
        {"events": drafting}, hidden=hidden, allowed_integer_keys=["revision"]
    )
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    batch = stream.read_batch(
        session_key=client.session.session_key, user_id=reader.pk, after_seq=0, up_to=last
    )
    assert batch.signed_in and batch.frames
    frames = b"".join(frame for _seq, frame in batch.frames).decode()
    for line in frames.splitlines():
        if line.startswith("data: ") and '"subject": "' in line:
            data = line.removeprefix("data: ")
            if data.split('"subject": "')[1].split(":")[0] in SUBJECTS:
                assert_learns_nothing_of_others(
                    data, hidden=hidden, allowed_integer_keys=["revision"]
                )


SUBJECTS = {"document", "provision", "proposal", "referral"}


def test_an_integer_key_names_nothing_by_any_route(cast, annex):
    client = _client(cast["pk-chair"])
    proposal = annex.proposals.first()
    for url in (
        f"/drafting/{annex.pk}/",
        f"/api/drafting/documents/{annex.pk}",
        f"/api/drafting/proposals/{proposal.pk}/withdraw",
        f"/api/drafting/revisions/{annex.revisions.first().pk}",
    ):
        response = client.post(url) if "withdraw" in url else client.get(url)
        assert response.status_code == 404, url
    assert client.get(f"/drafting/{annex.public_id}/").status_code == 200
