"""The channels' way in: fetch what a user named, and say who may act (decision 0050).

``<entity>_access`` is the only way to fetch a channel, a message, an attachment or a
topic a user asked for: missing and forbidden raise the same ``NotFound`` case, so a
member of one channel cannot tell another channel's rows from rows that never existed.
``may_<verb>`` predicates hold every "who may act" rule; services raise when one says
no, pages offer an action only where it says yes, and ``tests/test_access.py`` checks
that each agrees with its service.

Who someone is (their delegation, facilitator or party) is asked of
``accounts.access``; what they hold in a channel (their roles there) comes with their
clearance, read once per request, so the send path asks no extra question.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts import access
from accord.accounts.models import Role, User
from accord.channels.models import Attachment, DutyWatch, Message, Topic
from accord.errors import NotFound
from accord.process.models import Delegation, Mechanism
from accord.public_ids import parse_public_id

CHANNEL_NOT_FOUND = NotFound.case(
    "channel.not_found", _("There is no such channel, or you are not one of its members.")
)
MESSAGE_NOT_FOUND = NotFound.case("message.not_found", _("There is no such message."))
TOPIC_NOT_FOUND = NotFound.case(
    "channel_topic.not_found", _("There is no such topic in this channel.")
)
ATTACHMENT_NOT_FOUND = NotFound.case(
    "channel_attachment.not_found", _("There is no such attachment.")
)

# What a service or a page reads with a message: its channel and sides, topic, sender.
_MESSAGE_RELATED = ("mechanism__process", "from_delegation", "to_delegation", "topic", "sender")


# --- fetching what a user named ---------------------------------------------------------


def channel_access(actor: User, code: str, *, with_signing_keys: bool = False) -> Mechanism:
    """The channel ``code`` if ``actor`` is one of its members; else ``CHANNEL_NOT_FOUND``.

    The channel and its sides come in one query, through the membership table (every
    send asks for both). ``with_signing_keys``: each side comes with its signing key,
    for a send: one database round trip fewer, and under load every round trip waits
    for a core.
    """
    granted = access.clearance(actor)
    if granted.process_id is None or not granted.allows(
        granted.process_id, access.mechanism_scope(code)
    ):
        raise CHANNEL_NOT_FOUND()
    related = ["mechanism__process", "delegation"]
    if with_signing_keys:
        related.append("delegation__channel_signing_key")
    memberships = list(
        Mechanism.delegations.through.objects.filter(
            mechanism__process_id=granted.process_id, mechanism__code=code
        )
        .select_related(*related)
        .order_by("delegation__kind", "delegation__order", "delegation__code")
    )
    if memberships:
        mechanism = memberships[0].mechanism
    else:
        # A mechanism the charter gives no sides: no membership row names it.
        found = (
            Mechanism.objects.filter(process_id=granted.process_id, code=code)
            .select_related("process")
            .first()
        )
        if found is None:
            raise CHANNEL_NOT_FOUND()
        mechanism = found
    # As ``prefetch_related("delegations")`` would leave it (Delegation's own order).
    sides = Delegation.objects.filter(mechanisms=mechanism)
    sides._result_cache = [m.delegation for m in memberships]
    sides._prefetch_done = True  # type: ignore[attr-defined]
    mechanism._prefetched_objects_cache = {"delegations": sides}  # type: ignore[attr-defined]
    return mechanism


def message_access(actor: User, public_id: uuid.UUID | str, *, lock: bool = False) -> Message:
    """The message with ``public_id`` if ``actor`` may see it; else ``MESSAGE_NOT_FOUND``
    (a malformed id or a primary key answers alike). ``lock``: only the message's row."""
    return access.visible_get(
        Message.objects.select_related(*_MESSAGE_RELATED),
        actor,
        missing=MESSAGE_NOT_FOUND,
        lock=lock,
        public_id=parse_public_id(public_id),
    )


def message_rows(actor: User, public_id: uuid.UUID | str) -> QuerySet[Message]:
    """The message with ``public_id`` as rows ``actor`` may see (none, or one): for a
    change under its lock (``events.changes.change_locked``, missing: ``MESSAGE_NOT_FOUND``)."""
    parsed = parse_public_id(public_id)
    if parsed is None:
        return Message.objects.none()
    rows = Message.objects.filter(public_id=parsed).select_related(*_MESSAGE_RELATED)
    return access.restrict(rows, actor)


def channel_message_access(
    actor: User, mechanism: Mechanism, public_id: uuid.UUID | str
) -> Message:
    """A message of ``mechanism`` (a channel ``actor`` reached) named by ``public_id``,
    e.g. the one a reply answers; anything else is ``MESSAGE_NOT_FOUND``."""
    return access.visible_get(
        Message.objects.filter(mechanism=mechanism),
        actor,
        missing=MESSAGE_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


def attachment_access(actor: User, public_id: uuid.UUID | str) -> Attachment:
    """The attachment with ``public_id`` if ``actor`` may see its message's channel."""
    return access.visible_get(
        Attachment.objects.all(),
        actor,
        missing=ATTACHMENT_NOT_FOUND,
        process_field="message__process",
        public_id=parse_public_id(public_id),
    )


def topic_access(actor: User, mechanism: Mechanism, public_id: uuid.UUID | str) -> Topic:
    """The topic of ``mechanism`` (a channel ``actor`` reached) named by ``public_id``."""
    return access.visible_get(
        Topic.objects.filter(mechanism=mechanism),
        actor,
        missing=TOPIC_NOT_FOUND,
        public_id=parse_public_id(public_id),
    )


def duty_watch_current(
    mechanism: Mechanism, side: Delegation, *, lock: bool = False
) -> DutyWatch | None:
    """The watch ``side`` keeps on ``mechanism`` now (officer and backup read with it).

    Not named by users (the roster shows it by side), so it takes the channel already
    reached through ``channel_access``. ``lock``: its row, until commit.
    """
    watches = DutyWatch.objects.filter(mechanism=mechanism, delegation=side, ended_at__isnull=True)
    if lock:
        return watches.select_for_update().first()
    return watches.select_related("officer", "backup").first()


# --- who someone is in a channel --------------------------------------------------------


def member_roles(actor: User | None, mechanism: Mechanism) -> set[str]:
    """Roles ``actor`` holds in ``mechanism`` (appointments there); none for anyone the
    access policy clears for nothing (no delegation, inactive). No query: the roles
    come with the clearance."""
    return access.clearance(actor).roles_in(mechanism.process_id, mechanism.code)


def side_of(actor: User | None, mechanism: Mechanism) -> Delegation | None:
    """``actor``'s delegation as loaded with the channel (signing key included when the
    channel was), if ``actor`` is a member of the channel and their delegation one of its
    sides; else None. No query."""
    delegation = access.delegation_of(actor)
    if delegation is None or not access.can_see(
        actor, process_id=mechanism.process_id, scope=access.mechanism_scope(mechanism.code)
    ):
        return None
    return next((side for side in mechanism.delegations.all() if side.pk == delegation.pk), None)


def _holds_a_role(user: User | None, mechanism: Mechanism, side: Delegation) -> bool:
    """Is ``user`` an active member of ``side`` holding a role (not observer) here?"""
    delegation = access.delegation_of(user)
    if delegation is None or delegation.pk != side.pk:
        return False
    return bool(access.roles_held(user, mechanism=mechanism) - {Role.OBSERVER})


def _on_watch(user: User, watch: DutyWatch | None) -> bool:
    return watch is not None and user.pk in (watch.officer_id, watch.backup_id)


# --- who may act ------------------------------------------------------------------------


def may_send(actor: User, mechanism: Mechanism) -> bool:
    """A member of a side of the channel who holds a role in it (observers only read)."""
    return bool(member_roles(actor, mechanism) - {Role.OBSERVER}) and (
        side_of(actor, mechanism) is not None
    )


def may_open_topic(actor: User, mechanism: Mechanism) -> bool:
    """Whoever may send may open a topic."""
    return may_send(actor, mechanism)


def may_translate(actor: User, message: Message) -> bool:
    """Any member who holds a role in the channel (each side writes in its language)."""
    return bool(member_roles(actor, message.mechanism) - {Role.OBSERVER})


def may_record_receipt(actor: User, message: Message) -> bool:
    """Only the receiving side's members of the channel say a message was delivered or
    read there. No query: the clearance is read once per request."""
    delegation = access.delegation_of(actor)
    return (
        delegation is not None
        and delegation.pk == message.to_delegation_id
        and access.can_see(actor, process_id=message.process_id, scope=message.scope)
    )


def may_acknowledge(actor: User, message: Message) -> bool:
    """A duty officer of the receiving side: on watch, backup, appointed as duty officer
    on the channel, or that side's head of delegation (whether or not already done)."""
    if not may_record_receipt(actor, message):
        return False
    if _on_watch(actor, duty_watch_current(message.mechanism, message.to_delegation)):
        return True
    if Role.DUTY_OFFICER in member_roles(actor, message.mechanism):
        return True
    return access.is_head_of(actor, message.to_delegation)


def may_acknowledge_for_side(actor: User, mechanism: Mechanism) -> bool:
    """Whether ``actor`` acts as a duty officer of their side on this channel: then they
    may acknowledge every message to it (``may_acknowledge`` of each, in one question)."""
    side = side_of(actor, mechanism)
    if side is None:
        return False
    if _on_watch(actor, duty_watch_current(mechanism, side)):
        return True
    return Role.DUTY_OFFICER in member_roles(actor, mechanism) or access.is_head_of(actor, side)


def may_take_watch(user: User | None, mechanism: Mechanism, side: Delegation) -> bool:
    """May ``user`` be handed ``side``'s watch (as officer or backup)? A member of that
    side who holds a role on the channel."""
    return _holds_a_role(user, mechanism, side)


def may_hand_over(actor: User, mechanism: Mechanism, watch: DutyWatch | None) -> bool:
    """May ``actor`` hand over their side's watch? The officer on watch, the backup or
    the head of the side; while nobody is on watch (``watch`` None), any member of the
    side who holds a role on the channel, or the head."""
    side = side_of(actor, mechanism)
    if side is None:
        return False
    if watch is not None:
        return _on_watch(actor, watch) or access.is_head_of(actor, side)
    return _holds_a_role(actor, mechanism, side) or access.is_head_of(actor, side)


def side_members(mechanism: Mechanism, side: Delegation) -> QuerySet[User]:
    """Who can take ``side``'s watch: its active users holding a role (not observer) on
    the channel, by username."""
    return (
        User.objects.filter(
            delegation=side,
            is_active=True,
            appointments__mechanism=mechanism,
            appointments__role__in=[r for r in Role.values if r != Role.OBSERVER],
        )
        .distinct()
        .order_by("username")
    )
