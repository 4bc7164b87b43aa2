"""Every write of the analysis: a party states its preferences, consents to share them
with the facilitators or withdraws consent; a facilitator tables a package as a
non-paper (decision 0086).

A party's preferences and their events carry its own scope (``party:<code>``); the copy
shared with the facilitators and its events carry ``facilitators``. The non-paper is
written through drafting's services (``document_create``, ``provision_add``), so the
text, its events and its author record are drafting's own; the analysis it came from is
recorded here, for the facilitators only.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.accounts import access as policy
from accord.analysis import access, issues, selectors
from accord.analysis.models import NonPaper, Preference, SharedPreference
from accord.drafting import brackets
from accord.drafting import services as drafting_services
from accord.drafting.models import Document, Provision
from accord.errors import PermissionDenied, ValidationFailed
from accord.events.services import NewEvent, events_append

if TYPE_CHECKING:
    from accord.accounts.models import User

ONLY_PARTIES = PermissionDenied.case(
    "preference.only_parties",
    _("Only a party's delegation states preferences on a text it reads."),
)
UNKNOWN_ISSUE = ValidationFailed.case(
    "preference.unknown_issue", _("{key} is not an open issue or option of this text.")
)
OUT_OF_RANGE = ValidationFailed.case(
    "preference.out_of_range", _("Weights, scores and the reservation value run from 0 to 100.")
)
NOT_STATED = ValidationFailed.case(
    "preference.not_stated", _("State your preferences before sharing them.")
)
ONLY_FACILITATORS = PermissionDenied.case(
    "package.only_facilitators", _("Only the facilitators table a package from the analysis.")
)
NOT_READY = ValidationFailed.case(
    "package.not_ready",
    _("The analysis needs the shared preferences of at least two parties and an open issue."),
)
PACKAGE_INVALID = ValidationFailed.case(
    "package.invalid", _("A package names one option for each of the {n} open issues.")
)


def _number(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise OUT_OF_RANGE() from None
    if not 0 <= number <= issues.SCALE:
        raise OUT_OF_RANGE()
    return number


def _party(actor: User, document: Document) -> str:
    delegation = policy.delegation_of(actor)
    if delegation is None or not access.may_state_preferences(actor, document):
        raise ONLY_PARTIES()
    return delegation.code


def _share_events(row: Preference, actor: User, kind: str) -> list[NewEvent]:
    payload = {"document": str(row.document.public_id), "party": row.delegation.code}
    return [
        NewEvent(kind, row.subject, policy.FACILITATORS, payload, actor, row.process),
    ]


def _copy(row: Preference) -> None:
    SharedPreference.objects.update_or_create(
        document=row.document,
        delegation=row.delegation,
        defaults={
            "process": row.process,
            "scope": policy.FACILITATORS,
            "weights": row.weights,
            "scores": row.scores,
            "reservation": row.reservation,
            "shared_at": timezone.now(),
        },
    )


def preference_save(
    *,
    actor: User,
    document_id: str,
    weights: dict[str, Any],
    scores: dict[str, Any],
    reservation: Any = None,
) -> Preference:
    """State ``actor``'s delegation's weights (per issue key), scores (per option key)
    and reservation value on ``document_id``'s open issues, all 0..100. Keys not given
    keep their stored values. If the party consents, the facilitators' copy follows."""
    document = access.document_access(actor, document_id)
    code = _party(actor, document)
    found = selectors.document_issues(actor=actor, document=document)
    by_issue = {i.key: i for i in found}
    options = {o.key for i in found for o in i.options}
    for key in weights:
        if key not in by_issue:
            raise UNKNOWN_ISSUE(key=key)
    for key in scores:
        if key not in options:
            raise UNKNOWN_ISSUE(key=key)
    clean_weights = {k: _number(v) for k, v in weights.items()}
    clean_scores = {k: _number(v) for k, v in scores.items()}
    with transaction.atomic():
        row = (
            Preference.objects.select_for_update()
            .filter(document=document, delegation__code=code, process_id=document.process_id)
            .first()
        )
        if row is None:
            delegation = policy.delegation_of(actor)
            assert delegation is not None
            row = Preference(
                process_id=document.process_id,
                scope=policy.party_scope(code),
                document=document,
                delegation=delegation,
            )
        stored = dict(row.weights or {})
        for key, value in clean_weights.items():
            stored[key] = {"w": value, "options": list(by_issue[key].option_keys)}
        row.weights = stored
        row.scores = {**(row.scores or {}), **clean_scores}
        if reservation is not None and reservation != "":
            row.reservation = _number(reservation)
        row.updated_by = actor
        row.save()
        new = [
            NewEvent(
                "PreferencesStated",
                row.subject,
                row.scope,
                {"document": str(document.public_id), "party": code},
                actor,
                row.process,
            )
        ]
        if row.consented_at is not None:
            _copy(row)
            new += _share_events(row, actor, "SharedPreferencesUpdated")
        events_append(new)
    return row


def preference_share(*, actor: User, document_id: str, consent: bool) -> Preference:
    """Give (``consent``) or withdraw consent to share ``actor``'s delegation's
    preferences on ``document_id`` with the facilitators, never with another party.
    Withdrawing deletes the facilitators' copy at once."""
    document = access.document_access(actor, document_id)
    code = _party(actor, document)
    if not access.may_share_preferences(actor, document):
        raise ONLY_PARTIES()
    with transaction.atomic():
        row = (
            Preference.objects.select_for_update()
            .select_related("delegation", "document", "process")
            .filter(document=document, delegation__code=code, process_id=document.process_id)
            .first()
        )
        if row is None:
            raise NOT_STATED()
        row.consented_at = timezone.now() if consent else None
        row.save(update_fields=["consented_at", "updated_at"])
        kind = "PreferencesConsentGiven" if consent else "PreferencesConsentWithdrawn"
        new = [
            NewEvent(
                kind,
                row.subject,
                row.scope,
                {"document": str(document.public_id), "party": code},
                actor,
                row.process,
            )
        ]
        if consent:
            _copy(row)
            new += _share_events(row, actor, "PreferencesShared")
        else:
            SharedPreference.objects.filter(document=document, delegation=row.delegation).delete()
            new += _share_events(row, actor, "PreferencesShareWithdrawn")
        events_append(new)
    return row


def _texts(analysis: selectors.Analysis, package: tuple[int, ...]) -> list[tuple[str, str]]:
    """(heading, wording) of each provision of the non-paper: each provision with an
    issue, its chosen options kept and the rest of its text as it is; then each
    divergence, its chosen wording."""
    by_wid: dict[str, list[tuple[int, int]]] = defaultdict(list)
    out: list[tuple[str, str]] = []
    for issue, j in zip(analysis.issues, package, strict=True):
        if issue.source == issues.TEXT and issue.group is not None:
            by_wid[issue.wid].append((issue.group, j))
    provisions = {
        p.wid: p for p in Provision.objects.filter(document=analysis.document, wid__in=by_wid)
    }
    done: set[str] = set()
    for issue in analysis.issues:
        if issue.source == issues.TEXT:
            if issue.wid in done or issue.wid not in provisions:
                continue
            done.add(issue.wid)
            text = provisions[issue.wid].text
            for group, keep in sorted(by_wid[issue.wid], reverse=True):
                text = brackets.resolve(text, group, keep=keep)
            out.append((issue.label, text))
    for issue, j in zip(analysis.issues, package, strict=True):
        if issue.source == issues.DIVERGENCE:
            out.append((issue.label[:300], brackets.escape(issue.options[j].text)))
    return out


def package_table(
    *, actor: User, document_id: str, package: list[int], solution: str = ""
) -> NonPaper:
    """Table ``package`` (one option index per open issue of ``document_id``) as a
    facilitators' non-paper in the same body: one provision per issue's provision with
    the chosen options kept, written through drafting's services, and the analysis it
    came from (utilities, parties, the solution it was) recorded for the facilitators."""
    document = access.analysis_access(actor, document_id)
    if not access.may_table_package(actor, document):
        raise ONLY_FACILITATORS()
    analysis = selectors.analysis_of(actor=actor, document=document, package=package)
    if not analysis.ready or analysis.built is None:
        raise NOT_READY()
    if analysis.chosen != tuple(package):
        raise PACKAGE_INVALID(n=len(analysis.issues))
    chosen = analysis.chosen
    shares = analysis.chosen_shares
    texts = _texts(analysis, chosen)
    with transaction.atomic():
        title = gettext("Non-paper: a package for {title}").format(title=document.title)
        paper = drafting_services.document_create(
            actor=actor,
            body_code=document.body.code,
            title=title[:300],
            status=Document.Status.NON_PAPER,
        )
        for heading, text in texts:
            drafting_services.provision_add(
                actor=actor,
                document_id=str(paper.public_id),
                kind=Provision.Kind.PARAGRAPH,
                heading=heading,
                text=text,
            )
        row = NonPaper.objects.create(
            process_id=document.process_id,
            scope=policy.FACILITATORS,
            source=document,
            document=paper,
            package=[
                {"issue": i.key, "option": o.key, "label": i.label, "text": o.text}
                for i, o in analysis.labels(chosen)
            ],
            provenance={
                "solution": solution if solution in selectors.SOLUTIONS else "",
                "parties": analysis.parties,
                "utilities": dict(zip(analysis.parties, shares, strict=True)),
                "pareto_optimal": not analysis.improvements,
                "frontier": len(analysis.frontier),
            },
            created_by=actor,
        )
        events_append(
            [
                NewEvent(
                    "PackageTabled",
                    row.subject,
                    policy.FACILITATORS,
                    {
                        "source": str(document.public_id),
                        "document": str(paper.public_id),
                        "solution": row.provenance["solution"],
                    },
                    actor,
                    document.process,
                )
            ]
        )
    return row
