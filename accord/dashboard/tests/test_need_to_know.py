"""The composed pages and the process's API lists give nothing away about what a reader
may not see: no other party's notes, no row keys, no totals beyond what was shown."""

import pytest
from django.test import Client
from django.urls import reverse

from accord.notes.services import note_write
from accord.testing.need_to_know import assert_learns_nothing_of_others

SECRET = "Our red line on enrichment is 3.67 percent."


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def iran_note(cast, islamabad):
    return note_write(actor=cast["ir-expert"], text=SECRET, body_code="WG-NUC")


@pytest.mark.parametrize("username", ["us-expert", "pk-chair", "us-head"])
def test_the_home_and_body_pages_learn_nothing_of_the_other_party(cast, iran_note, username):
    client = _client(cast[username])
    for url in (
        reverse("process:home"),
        reverse("process:body", args=["WG-NUC"]),
        reverse("process:mechanism", args=["MCC"]),
        reverse("process:roadmap"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.text, url
        assert_learns_nothing_of_others(response.text, hidden=[iran_note])


def test_the_author_sees_the_note_on_the_body_page(cast, iran_note):
    response = _client(cast["ir-expert"]).get(reverse("process:body", args=["WG-NUC"]))
    assert response.status_code == 200
    assert SECRET in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/process",
        "/api/bodies",
        "/api/bodies/WG-NUC",
        "/api/mechanisms",
        "/api/roadmap",
        "/api/roadmap/overview",
    ],
)
def test_the_process_api_lists_name_nothing_by_a_row_key(cast, iran_note, path):
    response = _client(cast["us-expert"]).get(path)
    assert response.status_code == 200
    body = response.json()
    assert_learns_nothing_of_others(
        body, hidden=[iran_note], allowed_integer_keys=["due_day", "slack_days"]
    )
    if path == "/api/bodies":
        assert_learns_nothing_of_others(body, shown=len(body))
