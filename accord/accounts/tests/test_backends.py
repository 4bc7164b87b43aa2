"""The authentication backend: the user of a session comes with their delegation."""

import pytest
from django.test import Client

from accord.accounts.backends import AccordBackend

pytestmark = pytest.mark.django_db


def test_the_user_of_a_session_comes_with_their_delegation_in_one_query(
    cast, django_assert_num_queries
):
    user = cast["us-duty"]
    with django_assert_num_queries(1):
        found = AccordBackend().get_user(user.pk)
        assert found.delegation.code == "US"


def test_a_deactivated_or_missing_user_has_no_session_user(cast):
    user = cast["ir-duty"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert AccordBackend().get_user(user.pk) is None
    assert AccordBackend().get_user(10**9) is None


def test_a_page_request_signs_in_through_the_backend(cast):
    client = Client()
    client.force_login(cast["us-head"])
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_backend"] == "accord.accounts.backends.AccordBackend"


def test_an_authenticated_api_get_with_a_token_writes_only_its_last_use_once(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accord.accounts.models import ApiToken
    from accord.accounts.services import token_create

    token, secret = token_create(actor=cast["us-head"], name="script")
    before = ApiToken.objects.filter(pk=token.pk).values().get()
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        for path in ("/api/me", "/api/bodies"):
            assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    # The one write a read may cause (decision 0092): the token's last use, once for
    # both calls (at most once per ApiToken.LAST_USE_RESOLUTION), and nothing else.
    assert len(writes) == 1 and "last_used_at" in writes[0], writes
    after = ApiToken.objects.filter(pk=token.pk).values().get()
    assert after["last_used_at"] is not None
    assert {k: v for k, v in after.items() if k != "last_used_at"} == {
        k: v for k, v in before.items() if k != "last_used_at"
    }
