"""The accounts app's own rules: tokens are their owner's, users are the operators'."""

from functools import partial

import pytest

from accord.accounts import access, services
from accord.errors import NotFound
from accord.testing.may import service_refusal


def test_may_manage_users_agrees_with_the_services_for_every_actor(cast):
    target = cast["us-member"]
    for username, actor in [*cast.items(), ("command line", None)]:
        refusal = service_refusal(
            partial(services.user_deactivate, actor=actor, username=target.username)
        )
        assert refusal in (None, services.USERS_NOT_YOURS), (username, refusal)
        accepted = refusal is None
        target.refresh_from_db()
        assert access.may_manage_users(actor) == accepted, username
    assert access.may_manage_users(None)
    assert not access.may_manage_users(cast["pk-chair"])


def test_a_token_is_named_by_its_prefix_and_only_its_owner_can_name_it(cast):
    token, _secret = services.token_create(actor=cast["us-head"], name="script")
    assert access.token_access(cast["us-head"], token.prefix) == token
    with pytest.raises(NotFound) as missing:
        services.token_revoke(actor=cast["ir-head"], prefix=token.prefix)
    assert missing.value.error_case is services.TOKEN_NOT_FOUND
    assert services.token_revoke(actor=cast["us-head"], prefix=token.prefix).revoked_at


def test_an_unknown_role_is_a_validation_case(cast):
    from accord.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        services.appointment_grant(actor=None, username="us-head", role="king")
    assert refused.value.error_case is services.APPOINTMENT_UNKNOWN_ROLE
