"""Does a service let an actor in? The other half of every ``test_access.py``: each app's
``may_<verb>`` predicates are sampled over the demo cast and held against the answer of
the service they stand for."""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.db import transaction

from accord.errors import AccordError, ErrorCase, NotFound, PermissionDenied


class _RolledBack(Exception):
    """Raised inside the transaction after the service ran, to undo what it wrote."""


def service_refusal(call: Callable[[], object]) -> ErrorCase | None:
    """Run ``call`` (a service called for one actor and one thing), undo what it wrote,
    and say how it refused: None when it carried the act out."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        return None
    except AccordError as error:
        return error.error_case


def service_accepts(
    call: Callable[[], object], *, also_refusing: Collection[ErrorCase] = ()
) -> bool:
    """Does the service let the actor in? (``call`` as for ``service_refusal``.)

    False when it refused the actor (``PermissionDenied``) or could not see the thing
    (``NotFound``). True when it carried the act out, or let the actor in and then
    refused for the thing's state or the input (a ``Conflict``, a ``ValidationFailed``):
    a ``may_`` predicate answers who may act, not whether the act is possible now.
    ``also_refusing``: refusals that count as no as well, for predicates that also
    answer a state (drafting's: nothing is offered on a frozen text).
    """
    refusal = service_refusal(call)
    if refusal is None:
        return True
    return not (issubclass(refusal.kind, PermissionDenied | NotFound) or refusal in also_refusing)
