"""``ops.access.may_operate`` agrees with the page and its forms for every account."""

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from accord.ops import access


def test_may_operate_agrees_with_the_operators_page_for_every_account(cast):
    for username, user in sorted(cast.items()):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("ops:home"))
        assert page.status_code in (200, 404), username
        assert access.may_operate(user) == (page.status_code == 200), username
    assert [u for u, user in cast.items() if access.may_operate(user)] == ["operator"]


def test_nobody_signed_out_or_deactivated_operates(cast):
    operator = cast["operator"]
    assert not access.may_operate(AnonymousUser()) and not access.may_operate(None)
    operator.is_active = False
    assert not access.may_operate(operator)
    signed_out = Client().get(reverse("ops:home"))
    assert signed_out.status_code == 302  # to the sign-in page, like every page
