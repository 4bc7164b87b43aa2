"""The agenda form picks what an item is about from a searchable list of what the user
may see: no "document:ID" to type, and nothing of the other party's in the list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts import access
from accord.divergences import services as divergences
from accord.drafting.demo import ANNEX, demo_content_ensure
from accord.drafting.models import Document
from accord.testing.need_to_know import assert_learns_nothing_of_others

HTMX = {"HTTP_HX_REQUEST": "true"}
US_SECRET = "our fallback is five per cent"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def annex(cast, islamabad) -> Document:
    demo_content_ensure(process=islamabad)
    return Document.objects.get(title=ANNEX)


@pytest.fixture
def d1(cast, islamabad):
    row = divergences.divergence_open(
        actor=cast["pk-chair"], body_code="WG-NUC", title="Enrichment ceiling"
    )
    divergences.position_set(
        actor=cast["us-head"], divergence_id=row.public_id, text=US_SECRET, shared=False
    )
    return row


def _options(user, session, query: str = ""):
    return _client(user).get(
        reverse("meetings:agenda-subjects", args=[session.pk]), {"subject_q": query}, **HTMX
    )


def test_the_agenda_form_offers_a_search_not_a_code_to_type(cast, schedule):
    session = schedule("HLC")
    page = _client(cast["pk-chair"]).get(reverse("meetings:session", args=[session.pk]))
    assert page.status_code == 200
    assert 'name="subject_q"' in page.text and '<select name="subject"' in page.text
    assert "document:ID" not in page.text


def test_the_picker_finds_a_divergence_by_its_number_and_a_provision_by_its_label(
    cast, schedule, d1, annex
):
    session = schedule("HLC")
    chair = cast["pk-chair"]
    answer = _options(chair, session, "D-1")
    assert answer.status_code == 200
    assert f'<option value="{d1.subject}">D-1: Enrichment ceiling</option>' in answer.text
    provision = annex.provisions.get(label="Article 1.1")
    answer = _options(chair, session, f"Article 1.1 {ANNEX}")
    assert answer.status_code == 200
    assert f'value="{provision.subject}"' in answer.text
    # With nothing typed yet: the texts and open divergences the user sees.
    answer = _options(chair, session)
    assert f'value="{annex.subject}"' in answer.text and f'value="{d1.subject}"' in answer.text


def test_the_picker_never_lists_what_the_user_may_not_see(cast, schedule, d1, annex):
    session = schedule("HLC")
    # Iran searches the words of the United States' internal position: no divergence.
    answer = _options(cast["ir-head"], session, "five per cent")
    assert answer.status_code == 200
    assert d1.subject not in answer.text and US_SECRET not in answer.text
    assert_learns_nothing_of_others(answer.content)
    # Someone who may not read the annex finds it neither listed nor by its title.
    outsider = next(
        u
        for u in cast.values()
        if access.clearance(u).process_id == annex.process_id
        and not access.can_see(u, process_id=annex.process_id, scope=annex.scope)
        and access.can_see(u, process_id=session.process_id, scope=session.scope)
    )
    for query in ["", ANNEX, "Article 1.1"]:
        answer = _options(outsider, session, query)
        assert answer.status_code == 200
        assert annex.subject not in answer.text and ANNEX not in answer.text
        assert_learns_nothing_of_others(answer.content, hidden=[annex, *annex.provisions.all()])


def test_an_item_about_a_picked_subject_shows_its_name_as_a_link(cast, schedule, d1):
    session = schedule("HLC")
    panel = _client(cast["pk-chair"]).post(
        reverse("meetings:agenda-add", args=[session.pk]),
        {"title": "Ceiling", "subject": d1.subject},
        **HTMX,
    )
    assert panel.status_code == 200
    link = reverse("divergences:detail", args=[d1.public_id])
    assert f'<a class="subject" href="{link}">D-1: Enrichment ceiling</a>' in panel.text
    assert d1.subject not in panel.text.replace(f'value="{d1.subject}"', "")
