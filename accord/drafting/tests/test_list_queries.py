"""Drafting's lists cost the same queries for 5 items or 50 (issue 18), and the texts
list and a document's proposals and revisions are read a page at a time by cursor."""

from django.test import Client

from accord.drafting import services
from accord.testing.queries import link_to, queries_of


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _paper(cast, title="Working paper"):
    document = services.document_create(
        actor=cast["pk-rapporteur"], body_code="WG-NUC", title=title
    )
    provision = services.provision_add(
        actor=cast["pk-rapporteur"],
        document_id=document.public_id,
        kind="article",
        heading="Article 1",
        text="The Parties shall [cooperate] [consult] in good faith.",
    )
    return document, provision


def _grow(cast, document, provision, start: int, stop: int) -> None:
    """Revisions ``start``..``stop`` and as many proposals, alternately by each party."""
    for n in range(start, stop):
        services.provision_edit(
            actor=cast["pk-rapporteur"],
            provision_id=provision.wid,
            text=f"The Parties shall [cooperate] [consult] in good faith ({n}).",
        )
        services.revision_issue(
            actor=cast["pk-rapporteur"], document_id=document.public_id, note=f"Note of {n}."
        )
        services.proposal_submit(
            actor=cast["us-expert" if n % 2 else "ir-expert"],
            document_id=document.public_id,
            kind="replace",
            provision_id=provision.wid,
            text=f"The Parties shall cooperate fully, proposal {n:02d}.",
            justification="Clearer.",
        )


def test_every_drafting_list_costs_the_same_queries_for_5_items_or_50(cast):
    # Given a working paper with five revisions and five proposals, among five texts
    document, provision = _paper(cast)
    _grow(cast, document, provision, 0, 5)
    for n in range(4):
        _paper(cast, f"Another paper {n}")
    doc = document.public_id
    urls = [
        "/drafting/",
        f"/drafting/{doc}/",
        "/drafting/referrals/",
        "/api/drafting/documents",
        f"/api/drafting/documents/{doc}",
        f"/api/drafting/documents/{doc}/proposals",
        f"/api/drafting/documents/{doc}/revisions",
        "/api/drafting/referrals",
    ]

    # When 45 more of each are written
    def grow() -> None:
        _grow(cast, document, provision, 5, 50)
        for n in range(4, 49):
            _paper(cast, f"Another paper {n}")

    # Then each list costs what it did, for the pen-holder and for a party's delegate
    clients = {name: _client(cast[name]) for name in ("pk-rapporteur", "us-expert")}
    before = {name: _counted(client, urls) for name, client in clients.items()}
    grow()
    after = {name: _counted(client, urls) for name, client in clients.items()}
    assert after == before


def _counted(client: Client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url)  # warm per-process caches
        status, counts[url] = queries_of(client, url)
        assert status == 200, url
    return counts


def test_a_documents_second_pages_of_proposals_and_revisions_show_what_the_first_did_not(cast):
    # Given a working paper with 55 revisions and 55 proposals, and 52 other texts
    document, provision = _paper(cast)
    _grow(cast, document, provision, 0, 55)
    client = _client(cast["us-expert"])
    url = f"/drafting/{document.public_id}/"
    first = client.get(url)
    assert first.status_code == 200
    proposals = [n for n in range(55) if f"proposal {n:02d}." in first.text]
    revisions = [n for n in range(55) if f"Note of {n}." in first.text]
    # Then the first page shows the newest 50 of each
    assert proposals == list(range(5, 55))
    assert revisions == list(range(5, 55))
    # When the delegate follows "Older" under the proposals, then under the revisions
    older = first.text.split('href="?proposals=')[1].split('"')[0].replace("&amp;", "&")
    on_proposals = client.get(f"{url}?proposals={older}")
    older = first.text.split('href="?revisions=')[1].split('"')[0].replace("&amp;", "&")
    on_revisions = client.get(f"{url}?revisions={older}")
    # Then each second page shows the five the first did not
    assert (on_proposals.status_code, on_revisions.status_code) == (200, 200)
    assert [n for n in range(55) if f"proposal {n:02d}." in on_proposals.text] == [0, 1, 2, 3, 4]
    assert [n for n in range(55) if f"Note of {n}." in on_revisions.text] == [0, 1, 2, 3, 4]


def test_the_texts_list_shows_the_rest_on_its_second_page_and_a_new_text_moves_nothing(cast):
    # Given more texts than a page holds (the rapporteur's working papers)
    for n in range(52):
        _paper(cast, f"Numbered paper {n:02d}")
    client = _client(cast["us-expert"])
    first = client.get("/drafting/")
    assert first.status_code == 200
    on_first = {n for n in range(52) if f"Numbered paper {n:02d}<" in first.text}
    assert len(on_first) == 50
    # When another text is started meanwhile, and the delegate follows "Older"
    _paper(cast, "Written meanwhile")
    second = client.get(link_to_page(first.text))
    # Then the second page shows the two the first did not, none twice
    assert second.status_code == 200
    on_second = {n for n in range(52) if f"Numbered paper {n:02d}<" in second.text}
    assert on_second == set(range(52)) - on_first
    assert 'rel="prev"' in second.text


def link_to_page(html: str) -> str:
    return "/drafting/" + html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")


def test_the_proposals_api_pages_with_a_link_header(cast):
    document, provision = _paper(cast)
    _grow(cast, document, provision, 0, 3)
    client = _client(cast["us-expert"])
    url = f"/api/drafting/documents/{document.public_id}/proposals"
    first = client.get(url, {"limit": 2})
    second = client.get(link_to(first, "next"))
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(first.json()) == 2 and len(second.json()) == 1
