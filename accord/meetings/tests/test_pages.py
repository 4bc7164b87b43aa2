"""Meetings pages: lists, the session page, its htmx actions, scheduling, and the demo."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.meetings import services
from accord.meetings.demo import demo_content_ensure
from accord.meetings.models import ActionItem, AgendaItem, CaucusNote, Minutes, Round, Session

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_rapporteur_drafts_and_circulates_and_each_party_approves_on_the_page(cast, schedule):
    session = schedule("HLC", title="HLC plenary")
    url = lambda name: reverse(f"meetings:{name}", args=[session.pk])  # noqa: E731
    rapporteur = _client(cast["pk-rapporteur"])
    page = rapporteur.get(url("session")).text
    assert "Save the draft" in page
    panel = rapporteur.post(url("minutes-save"), {"text": "The HLC met."}, **HTMX)
    assert panel.status_code == 200 and 'id="minutes-panel"' in panel.text
    assert "<html" not in panel.text  # a fragment for htmx
    rapporteur.post(url("decision-add"), {"text": "Roadmap adopted."}, **HTMX)
    rapporteur.post(
        url("action-add"),
        {"text": "Name liaison officers", "owner": "ir-head", "due_on": "2027-02-01"},
        **HTMX,
    )
    panel = rapporteur.post(url("minutes-circulate"), **HTMX).text
    assert "Circulated for approval" in panel and panel.count("awaiting approval") == 2
    us = _client(cast["us-head"])
    assert "Approve for" in us.get(url("session")).text
    panel = us.post(url("minutes-approve"), **HTMX).text
    assert panel.count("awaiting approval") == 1 and 'data-action="approve"' not in panel
    panel = _client(cast["ir-head"]).post(url("minutes-approve"), **HTMX).text
    assert "Approved" in panel and "awaiting approval" not in panel
    assert Minutes.objects.get().status == Minutes.Status.APPROVED
    item = ActionItem.objects.get()
    panel = _client(cast["ir-head"]).post(
        reverse("meetings:action-complete", args=[session.pk, item.pk]), **HTMX
    )
    assert "Done" in panel.text


def test_a_refused_htmx_action_shows_the_reason_in_the_panel(cast, schedule):
    session = schedule("HLC")
    answer = _client(cast["us-head"]).post(
        reverse("meetings:minutes-save", args=[session.pk]), {"text": "Ours"}, **HTMX
    )
    assert answer.status_code == 403
    assert services.MINUTES_NOT_RAPPORTEUR.text() in answer.text
    assert not Minutes.objects.exists()
    answer = _client(cast["pk-chair"]).post(
        reverse("meetings:agenda-add", args=[session.pk]), {"title": "x", "subject": "bad"}, **HTMX
    )
    assert answer.status_code == 422 and "may point at" in answer.text


def test_a_plain_form_post_redirects_back_with_a_message(cast, schedule):
    session = schedule("HLC")
    client = _client(cast["pk-chair"])
    answer = client.post(reverse("meetings:agenda-add", args=[session.pk]), {"title": "AOB"})
    assert answer.status_code == 302
    back = reverse("meetings:session", args=[session.pk])
    refused = client.post(
        reverse("meetings:agenda-add", args=[session.pk]),
        {"title": ""},
        HTTP_REFERER=f"http://testserver{back}",
    )
    assert refused.status_code == 302 and refused["Location"].endswith(back)
    page = client.get(back).text
    assert services.AGENDA_ITEM_TITLE_REQUIRED.text() in page
    assert AgendaItem.objects.count() == 1


def test_a_facilitator_schedules_a_caucus_from_the_form(cast):
    client = _client(cast["qa-chair"])
    assert client.get(reverse("meetings:session-new")).status_code == 200
    answer = client.post(
        reverse("meetings:session-new"),
        {
            "target": "caucus:US",
            "title": "Caucus with the United States",
            "venue": "Doha",
            "venue_timezone": "Asia/Qatar",
            "starts_at": "2027-01-12T15:00",
            "ends_at": "2027-01-12T16:00",
        },
    )
    session = Session.objects.get()
    assert answer.status_code == 302 and session.scope == "caucus:US"
    page = client.post(
        reverse("meetings:caucus-note-add", args=[session.pk]), {"text": "Heard them."}, **HTMX
    ).text
    assert "Heard them." in page and CaucusNote.objects.get().scope == "caucus:US"


def test_the_schedule_form_explains_bad_input_and_parties_cannot_open_it(cast):
    client = _client(cast["pk-chair"])
    answer = client.post(
        reverse("meetings:session-new"),
        {
            "target": "body:HLC",
            "title": "x",
            "venue": "y",
            "venue_timezone": "Mars/Base",
            "starts_at": "2027-01-12T15:00",
            "ends_at": "2027-01-12T16:00",
        },
    )
    assert answer.status_code == 422
    assert services.SESSION_ZONE_INVALID.text().replace("'", "&#x27;") in answer.text
    answer = client.post(reverse("meetings:session-new"), {"target": "body:HLC", "starts_at": "x"})
    assert answer.status_code == 422
    refused = _client(cast["us-head"]).get(reverse("meetings:session-new"))
    assert refused.status_code == services.SESSION_NOT_ALLOWED.status
    assert services.SESSION_NOT_ALLOWED.text() in refused.text
    assert not Session.objects.exists()


@pytest.mark.parametrize("name", ["index", "caucuses", "action-items", "calendar"])
def test_an_operator_without_a_delegation_sees_no_meetings(cast, name):
    answer = _client(cast["operator"]).get(reverse(f"meetings:{name}"))
    assert answer.status_code == 404


def test_the_demo_seeds_lucerne_once(cast, islamabad):
    demo_content_ensure(process=islamabad)
    counts = (Round.objects.count(), Session.objects.count(), AgendaItem.objects.count())
    demo_content_ensure(process=islamabad)
    assert (Round.objects.count(), Session.objects.count(), AgendaItem.objects.count()) == counts
    first = Round.objects.get(number=1)
    assert "Lake Lucerne" in first.venue and first.venue_timezone == "Europe/Zurich"
    assert Minutes.objects.filter(status=Minutes.Status.CIRCULATED).count() == 1
    assert Session.objects.filter(kind="caucus").count() == 2
    assert ActionItem.objects.count() == 2
    client = _client(cast["us-head"])
    index = client.get(reverse("meetings:index")).text
    assert "Lake Lucerne" in index and "Caucus with Iran" not in index
    opening = Session.objects.get(title__contains="opening")
    page = client.get(reverse("meetings:session", args=[opening.pk])).text
    assert "Approve for" in page and "Adoption of the agenda" in page


def test_the_session_list_page_costs_a_bounded_number_of_queries(
    cast, islamabad, django_assert_max_num_queries
):
    demo_content_ensure(process=islamabad)
    client = _client(cast["pk-chair"])
    client.get(reverse("meetings:index"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("meetings:index")).status_code == 200


def test_a_facilitator_opens_a_round_from_the_form_and_bad_dates_are_explained(cast):
    client = _client(cast["pk-chair"])
    form = {
        "title": "Second round",
        "venue": "Doha",
        "venue_timezone": "Asia/Qatar",
        "starts_on": "2027-01-10",
        "ends_on": "2027-01-09",
    }
    answer = client.post(reverse("meetings:round-new"), form)
    assert answer.status_code == 422 and "must end on or after" in answer.text
    answer = client.post(reverse("meetings:round-new"), form | {"ends_on": "2027-01-14"})
    assert answer.status_code == 302 and Round.objects.get().title == "Second round"
    refused = _client(cast["ir-head"]).get(reverse("meetings:round-new"))
    assert refused.status_code == services.ROUND_NOT_ALLOWED.status
    assert services.ROUND_NOT_ALLOWED.text() in refused.text
