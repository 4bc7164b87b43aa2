"""Demo accounts: a cast holding every role, derived from whatever charter is loaded.

Used by ``accord demo`` and by the tests, so the need-to-know matrix is checked
against exactly the accounts people click through in the demo.
"""

from dataclasses import dataclass, field

from django.db import transaction

from accord.accounts.models import Appointment, Role, User
from accord.accounts.services import appointment_grant, user_create
from accord.process.models import Body, Delegation, Mechanism, Process

DEMO_PASSWORD = "accord-demo"  # noqa: S105 - printed on purpose: these are demo accounts
OPERATOR_USERNAME = "operator"


@dataclass
class DemoAccount:
    username: str
    delegation: str | None
    roles: list[str] = field(default_factory=list)


def _chair_role(body: Body) -> str:
    several = body.chair_arrangement == Body.ChairArrangement.CO_CHAIRS or body.chairs.count() > 1
    return Role.CO_CHAIR if several else Role.CHAIR


def _plan(process: Process) -> list[tuple[str, Delegation, str, list[tuple[str, object]]]]:
    """(username, delegation, display name, [(role, body|mechanism|None)]) for every account."""
    bodies = list(process.bodies.prefetch_related("chairs"))
    mechanisms = list(process.mechanisms.prefetch_related("delegations"))
    plan: list[tuple[str, Delegation, str, list[tuple[str, object]]]] = []

    def in_mechanisms(delegation: Delegation, role: str) -> list[tuple[str, object]]:
        return [
            (role, m)
            for m in mechanisms
            if role in m.member_roles and delegation in m.delegations.all()
        ]

    def in_bodies(role: str) -> list[tuple[str, object]]:
        return [(role, b) for b in bodies if role in b.member_roles]

    for delegation in process.delegations.all():
        prefix = delegation.code.lower()
        name = delegation.short_name or delegation.name
        if delegation.is_party:
            head = [(Role.HEAD_OF_DELEGATION, None), *in_bodies(Role.HEAD_OF_DELEGATION)]
            head += in_mechanisms(delegation, Role.HEAD_OF_DELEGATION)
            plan += [
                (f"{prefix}-head", delegation, f"Head of the {name} delegation", head),
                (
                    f"{prefix}-member",
                    delegation,
                    f"{name} delegation member",
                    [(Role.MEMBER, None)],
                ),
                (f"{prefix}-expert", delegation, f"{name} expert", in_bodies(Role.EXPERT)),
            ]
        else:
            chaired = [(_chair_role(b), b) for b in bodies if delegation in b.chairs.all()]
            plan += [
                (f"{prefix}-chair", delegation, f"{name} chair", chaired),
                (
                    f"{prefix}-rapporteur",
                    delegation,
                    f"{name} rapporteur",
                    in_bodies(Role.RAPPORTEUR),
                ),
                (f"{prefix}-verifier", delegation, f"{name} verifier", in_bodies(Role.VERIFIER)),
            ]
        plan += [
            (
                f"{prefix}-duty",
                delegation,
                f"{name} duty officer",
                in_mechanisms(delegation, Role.DUTY_OFFICER),
            ),
            (
                f"{prefix}-observer",
                delegation,
                f"{name} observer",
                in_mechanisms(delegation, Role.OBSERVER) or [(Role.OBSERVER, None)],
            ),
        ]
    return plan


def demo_accounts_ensure(*, process: Process, password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """Create (or complete) the demo cast for ``process``. Running it again adds nothing."""
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        for username, delegation, display_name, appointments in _plan(process):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor=None,
                    username=username,
                    password=password,
                    delegation=delegation.code,
                    process=process.code,
                    display_name=display_name,
                    timezone_name=delegation.timezone,
                )
            for role, place in appointments:
                appointment_grant(
                    actor=None,
                    username=username,
                    role=role,
                    body=place.code if isinstance(place, Body) else None,
                    mechanism=place.code if isinstance(place, Mechanism) else None,
                )
            roles = sorted(
                {
                    f"{a.get_role_display()}"
                    + (f" ({(a.body or a.mechanism).code})" if a.body or a.mechanism else "")
                    for a in Appointment.objects.filter(user=user).select_related(
                        "body", "mechanism"
                    )
                }
            )
            accounts.append(DemoAccount(username, delegation.code, roles))
        if not User.objects.filter(username=OPERATOR_USERNAME).exists():
            user_create(
                actor=None,
                username=OPERATOR_USERNAME,
                password=password,
                delegation=None,
                display_name="Server operator",
                is_staff=True,
                is_superuser=True,
            )
        accounts.append(DemoAccount(OPERATOR_USERNAME, None, ["Server operator (admin only)"]))
    return accounts
