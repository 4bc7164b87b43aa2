"""API about the caller: who they are, what they may see, their tokens."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from accord.accounts import access

router = Router(tags=["accounts"])


class AppointmentOut(Schema):
    role: str
    body: str | None
    mechanism: str | None


class MeOut(Schema):
    username: str
    name: str
    delegation: str | None
    delegation_kind: str | None
    appointments: list[AppointmentOut]
    scopes: list[str]


@router.get("/me", response=MeOut, summary=_("The caller, their roles and visibility scopes"))
def me(request: HttpRequest):
    user = request.user
    delegation = user.delegation
    return {
        "username": user.username,
        "name": str(user),
        "delegation": delegation.code if delegation else None,
        "delegation_kind": delegation.kind if delegation else None,
        "appointments": [
            {
                "role": a.role,
                "body": a.body.code if a.body else None,
                "mechanism": a.mechanism.code if a.mechanism else None,
            }
            for a in user.appointments.select_related("body", "mechanism")
        ],
        "scopes": sorted(access.clearance(user).scopes),
    }
