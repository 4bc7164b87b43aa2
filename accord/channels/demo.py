"""Demo content for the channels: duty rosters and a few messages, created once."""

from __future__ import annotations

from django.utils import timezone

from accord.accounts.models import User
from accord.channels import access, services
from accord.channels.models import DutyWatch, Message
from accord.process.models import Process

DEMO_MESSAGES = (
    # (channel, sender, precedence, language, text, acknowledged by)
    (
        "DCC",
        "us-duty",
        "ROUTINE",
        "en",
        "Confirming the schedule of the next technical round: 2 December, Islamabad.",
        "ir-duty",
    ),
    (
        "DCC",
        "ir-duty",
        "PRIORITY",
        "fa",
        "دریافت شد. هیئت ایران در تاریخ مقرر حضور خواهد داشت.",
        "us-duty",
    ),
    (
        "MCC",
        "ir-duty",
        "IMMEDIATE",
        "en",
        "Fast craft exercise planned north of the inbound lane, 0600-0800 local tomorrow. "
        "No interference with shipping intended.",
        "us-duty",
    ),
    (
        "MCC",
        "us-duty",
        "ROUTINE",
        "en",
        "Noted. A destroyer will transit the outbound lane at about 0900 local.",
        None,
    ),
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("delegation").first()


def demo_rosters_ensure(*, process: Process) -> None:
    """Put each side's duty officer on watch, with its head as backup where a member."""
    for mechanism in process.mechanisms.prefetch_related("delegations"):
        for side in mechanism.delegations.all():
            if DutyWatch.objects.filter(mechanism=mechanism, delegation=side).exists():
                continue
            duty = _user(f"{side.code.lower()}-duty")
            head = _user(f"{side.code.lower()}-head")
            if duty is None or duty.delegation_id != side.pk:
                continue
            members = {u.pk for u in access.side_members(mechanism, side)}
            if duty.pk not in members:
                continue
            services.duty_hand_over(
                actor=duty,
                channel=mechanism.code,
                officer=duty.username,
                backup=head.username if head is not None and head.pk in members else None,
                note="Watch opened for the demo.",
            )


def demo_content_ensure(*, process: Process) -> None:
    """Rosters and a few messages (some acknowledged); running it again adds nothing."""
    demo_rosters_ensure(process=process)
    for index, (code, sender, precedence, language, text, acker) in enumerate(DEMO_MESSAGES):
        user = _user(sender)
        if user is None or not process.mechanisms.filter(code=code).exists():
            continue
        message, created = services.message_send(
            actor=user,
            channel=code,
            text=text,
            precedence=precedence,
            language=language,
            client_id=f"demo-{index}",
        )
        if created and acker:
            ack_user = _user(acker)
            if ack_user is not None and Message.objects.filter(pk=message.pk).exists():
                services.message_acknowledge(actor=ack_user, message_id=message.public_id)
    # One round of link tests, the one to Iran acknowledged, so the health page has data.
    if not Message.objects.filter(kind=Message.Kind.LINK_TEST, process=process).exists():
        services.link_tests_send_due(now=timezone.now())
        test = Message.objects.filter(
            kind=Message.Kind.LINK_TEST, mechanism__code="DCC", to_delegation__code="IR"
        ).first()
        ir_duty = _user("ir-duty")
        if test is not None and ir_duty is not None:
            services.message_acknowledge(actor=ir_duty, message_id=test.public_id)
