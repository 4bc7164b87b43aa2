"""The accounts app's own rules: tokens are their owner's, users are the operators'."""

from functools import partial

import pytest

from accord.accounts import access, services
from accord.errors import NotFound
from accord.testing.may import service_accepts, service_refusal


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


# --- The operator's services (issue 13): each ``may_`` against its service -------------


@pytest.fixture
def operators(cast):
    """A second operator (staff, not a superuser) beside the demo's superuser operator."""
    services.user_create(
        actor=None, username="ops-2", password="long enough", delegation=None, is_staff=True
    )
    return {**cast, "ops-2": services.User.objects.get(username="ops-2")}


def _target_calls(target):
    name = target.username
    return [
        (
            "may_deactivate_user",
            access.may_deactivate_user,
            lambda actor: services.user_deactivate(actor=actor, username=name),
        ),
        (
            "may_reset_password",
            access.may_reset_password,
            lambda actor: services.user_password_reset(
                actor=actor, username=name, password="a new password"
            ),
        ),
        (
            "may_revoke_tokens",
            access.may_revoke_tokens,
            lambda actor: services.user_tokens_revoke(actor=actor, username=name),
        ),
        (
            "may_appoint",
            access.may_appoint,
            lambda actor: services.appointment_grant(actor=actor, username=name, role="observer"),
        ),
    ]


def test_each_operator_predicate_agrees_with_its_service_for_every_actor_and_target(operators):
    """Every demo account, a staff operator and the command line, against a delegate, the
    superuser operator, the staff operator and a deactivated delegate (and so themselves)."""
    services.user_deactivate(actor=None, username="ir-observer")
    targets = [operators[n] for n in ("us-member", "operator", "ops-2", "ir-observer")]
    actors = [*operators.items(), ("command line", None)]
    disagreements = []
    allowed = dict.fromkeys(("may_deactivate_user", "may_reset_password"), 0)
    for target in targets:
        target.refresh_from_db()
        for name, predicate, call in _target_calls(target):
            for username, actor in actors:
                said = predicate(actor, target)
                done = service_accepts(
                    lambda: call(actor),  # noqa: B023
                    # A closed account holds no new role: the predicate says so as well.
                    also_refusing=(services.USER_INACTIVE,),
                )
                allowed[name] = allowed.get(name, 0) + said
                if said != done:
                    disagreements.append(f"{name}: {username} on {target}: may={said}, {done=}")
    assert not disagreements, "\n".join(disagreements)
    assert all(allowed.values()), allowed


def test_may_create_user_agrees_with_user_create_for_every_actor(operators):
    for username, actor in [*operators.items(), ("command line", None)]:
        done = service_accepts(
            lambda: services.user_create(
                actor=actor,  # noqa: B023
                username="newcomer",
                password="long enough",
                delegation="US",
            )
        )
        assert access.may_create_user(actor) == done, username


def test_an_operator_cannot_deactivate_themselves_nor_a_superuser_unless_one(operators):
    from accord.errors import PermissionDenied

    staff, superuser = operators["ops-2"], operators["operator"]
    with pytest.raises(PermissionDenied) as refused:
        services.user_deactivate(actor=staff, username="ops-2")
    assert refused.value.error_case is services.NOT_YOURSELF
    with pytest.raises(PermissionDenied) as refused:
        services.user_password_reset(actor=staff, username="operator", password="taken over!")
    assert refused.value.error_case is services.ABOVE_YOU
    assert services.user_deactivate(actor=superuser, username="ops-2").is_active is False


def test_the_new_services_refuse_bad_input_with_their_cases(operators):
    from accord.errors import Conflict, ValidationFailed

    ops = operators["operator"]
    cases = [
        ({"username": "has space", "password": "long enough"}, services.USERNAME_INVALID),
        ({"username": "fine", "password": "short"}, services.PASSWORD_TOO_SHORT),
        (
            {"username": "fine", "password": "long enough", "language": "Farsi"},
            services.LANGUAGE_INVALID,
        ),
        (
            {"username": "fine", "password": "long enough", "timezone_name": "Mars/Olympus"},
            services.TIMEZONE_INVALID,
        ),
    ]
    for kwargs, case in cases:
        with pytest.raises(ValidationFailed) as refused:
            services.user_create(actor=ops, delegation="US", **kwargs)
        assert refused.value.error_case is case
    with pytest.raises(Conflict) as refused:
        services.user_create(actor=ops, username="us-head", password="long enough", delegation="US")
    assert refused.value.error_case is services.USERNAME_TAKEN
    with pytest.raises(ValidationFailed) as refused:
        services.user_password_reset(actor=ops, username="us-head", password="short")
    assert refused.value.error_case is services.PASSWORD_TOO_SHORT
    assert services.user_tokens_revoke(actor=ops, username="us-head") == 0  # none: no event
