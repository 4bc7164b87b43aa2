"""One-line, human descriptions of events for timelines (pure: Django only marks the
sentences for translation).

A sentence is translated where it is shown, with the viewer's language active (a
page's timeline: ``Event.summary``). The live feed renders each event's frame once
for every stream (decisions 0007, 0008), so its summary is in the server's language.

Codes never reach the reader (decision 0082): the process's fixed words (a proposal's
kind, a role, an escalation's rung) are put into words here; the names of things
(a user's display name for a username, a body's name for its code, a subject's title)
are looked up by the caller, who knows the viewer, and given as ``names``.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_noop

# Kind -> format string over the payload. Kinds not listed fall back to their name in
# words ("MilestoneMet" -> "Milestone met").
TEMPLATES: dict[str, str] = {
    "AppointmentGranted": gettext_noop("{user} appointed ({role})"),
    "UserRegistered": gettext_noop("{display_name} joined the delegation"),
    "InternalNoteWritten": gettext_noop("Internal note on {about}: {text}"),
    "InternalNoteDeleted": gettext_noop("Internal note on {about} deleted"),
    "CharterLoaded": gettext_noop("Charter loaded ({status})"),
    "CharterUpdated": gettext_noop("Charter updated"),
    "MilestoneMet": gettext_noop("Milestone {code} met"),
    "MilestoneOverdue": gettext_noop("Milestone {code} is overdue (was due {due_on})"),
    "MilestoneExtended": gettext_noop("Milestone {code} extended to {new_due_on}: {reason}"),
    "DivergenceOpened": gettext_noop("Divergence opened: {title}"),
    "DivergenceReferred": gettext_noop("Divergence referred to {rung}: {title}"),
    "DivergenceEscalated": gettext_noop(
        "Divergence escalated to {rung} (deadline passed): {title}"
    ),
    "DivergenceResolved": gettext_noop("Divergence resolved: {title}"),
    "DivergenceParked": gettext_noop("Divergence parked: {title}"),
    "DivergenceReopened": gettext_noop("Divergence reopened: {title}"),
    "IncidentReported": gettext_noop("Incident {code} reported on the maritime channel"),
    "IncidentAcknowledged": gettext_noop("Incident {code} acknowledged"),
    "IncidentInformationExchanged": gettext_noop("Incident {code}: information exchanged"),
    "IncidentDeEscalationProposed": gettext_noop("Incident {code}: de-escalation proposed"),
    "IncidentDeEscalationAgreed": gettext_noop("Incident {code}: de-escalation agreed"),
    "IncidentClosed": gettext_noop("Incident {code} closed"),
    "IncidentReferred": gettext_noop("Incident {code} referred: a step missed its deadline"),
    "VesselAffiliationSet": gettext_noop("Affiliation of a vessel set (internal)"),
    "VesselAnnotationWritten": gettext_noop("Internal annotation of a vessel"),
    "VesselAnnotationShared": gettext_noop("Annotation of a vessel shared on the channel"),
    "EncounterPredicted": gettext_noop("Close encounter predicted: {vessel_a} and {vessel_b}"),
    "EncounterOngoing": gettext_noop("Close encounter under way: {vessel_a} and {vessel_b}"),
    "EncounterCleared": gettext_noop("Close encounter cleared: {vessel_a} and {vessel_b}"),
    "VesselWentDark": gettext_noop("{vessel} went dark"),
    "VesselReappeared": gettext_noop("{vessel} reports again"),
    "VesselSpoofingSuspected": gettext_noop("Suspected spoofing of {vessel}"),
    "VesselEnteredZone": gettext_noop("{vessel} entered {zone}"),
    "VesselLeftZone": gettext_noop("{vessel} left {zone}"),
    "VesselInWrongLane": gettext_noop("{vessel} is in the wrong traffic lane"),
    "VesselCrossingSeparationZone": gettext_noop("{vessel} is crossing the separation zone"),
    "PositionStated": gettext_noop("{party} stated a position"),
    "PositionShared": gettext_noop("{party} shared its position"),
    "BridgingProposed": gettext_noop("Bridging proposal tabled on: {title}"),
    "UserDeactivated": gettext_noop("{username} deactivated"),
    "SessionScheduled": gettext_noop("{title} scheduled"),
    "SessionCancelled": gettext_noop("{title} cancelled"),
    "AgendaItemAdded": gettext_noop("On the agenda: {title}"),
    "AgendaItemQueued": gettext_noop("Queued for the next {body} session: {title}"),
    "AgendaAdopted": gettext_noop("Agenda of {title} adopted"),
    "MinutesCirculated": gettext_noop("Minutes of {title} circulated (revision {revision})"),
    "MinutesApprovedByParty": gettext_noop("{party} approved the minutes of {title}"),
    "MinutesApproved": gettext_noop("Minutes of {title} approved"),
    "MinutesReturned": gettext_noop("Minutes of {title} returned: {reason}"),
    "DecisionRecorded": gettext_noop("Decision {number}: {text}"),
    "ActionItemRecorded": gettext_noop("Action {number} for {owner}, due {due_on}"),
    "ActionItemOverdue": gettext_noop("Action {number} is overdue (was due {due_on})"),
    "CaucusNoteWritten": gettext_noop("Caucus note"),
    "ProvisionAdded": gettext_noop("{label} added"),
    "ProvisionAmended": gettext_noop("{label} amended"),
    "ProvisionMoved": gettext_noop("{label_before} moved to {label}"),
    "BracketResolved": gettext_noop(
        "Bracket cleaned in {label} ({brackets_before} → {brackets} open)"
    ),
    "OptionAdded": gettext_noop("Option added in {label}"),
    "ProposalSubmitted": gettext_noop("{delegation} proposal to {kind} submitted"),
    "ProposalDecided": gettext_noop("{delegation} proposal {decision}"),
    "RevisionIssued": gettext_noop("Rev. {revision} issued (open brackets: {brackets})"),
    "DocumentAdopted": gettext_noop("{title} adopted (Rev. {revision})"),
    "ChannelMessageSent": gettext_noop("{precedence} message {from_side} → {to_side} on {channel}"),
    "LinkTestSent": gettext_noop("Link test {from_side} → {to_side} on {channel}"),
    "ChannelMessageDelivered": gettext_noop("Message {seq} on {channel} delivered"),
    "ChannelMessageRead": gettext_noop("Message {seq} on {channel} read"),
    "ChannelReceiptsRecorded": gettext_noop("Messages on {channel} {receipt}"),
    "ChannelMessageAcknowledged": gettext_noop("Message {seq} on {channel} acknowledged by {by}"),
    "ChannelMessageEscalated": gettext_noop(
        "Message {seq} on {channel} escalated to {escalated_to}: not acknowledged in time"
    ),
    "ChannelMessageCopiedToFacilitators": gettext_noop(
        "Message on {channel} copied to the facilitators"
    ),
    "ChannelTopicOpened": gettext_noop("Topic opened on {channel}"),
    "ChannelMessageTranslated": gettext_noop("Message {seq} on {channel} translated"),
    "DutyHandedOver": gettext_noop("Duty handed over on {channel}"),
    # Implementation (accord/compliance).
    "CommitmentRecorded": gettext_noop("Commitment {code} recorded: {title}"),
    "CommitmentSequenced": gettext_noop("Commitment {code} placed in the sequence: {title}"),
    "SequenceCreated": gettext_noop("Sequence created: {title}"),
    "SequenceMilestoneAdded": gettext_noop("Milestone {code} added to the sequence: {title}"),
    "SequenceMilestoneReached": gettext_noop("Milestone {code} reached: {title}"),
    "AccessRequested": gettext_noop("Access requested to verify commitment {commitment}"),
    "AccessRequestMoved": gettext_noop("Access request on commitment {commitment}: {access_stage}"),
    "AccessRequestLapsed": gettext_noop(
        "Access request on commitment {commitment}: {access_stage}"
    ),
    "VerificationReportFiled": gettext_noop(
        "Verification report on commitment {commitment} filed: {finding}"
    ),
    "VerificationReportPublished": gettext_noop(
        "Verification report on commitment {commitment} published: {finding}"
    ),
    "AssessmentKept": gettext_noop("Internal assessment of commitment {commitment} kept"),
    "DisputeFiled": gettext_noop("Dispute {code} filed: {title}"),
    "DisputeAdvanced": gettext_noop("Dispute {code} moved to its next stage: {title}"),
    "DisputeStageExpired": gettext_noop("Dispute {code}: the time of the stage “{ended}” ran out"),
    "DisputeStageOpenedInParallel": gettext_noop(
        "Dispute {code}: the stage “{opened_name}” opened in parallel with “{alongside_name}”"
    ),
    "DisputeStageOpenedInstead": gettext_noop(
        "Dispute {code}: the stage “{opened_name}” opened instead of “{alongside_name}”"
    ),
    "DisputeStageExtended": gettext_noop("Dispute {code}: stage extended by {days} days: {reason}"),
    "DisputeConvened": gettext_noop("The joint body convened on dispute {code}: {title}"),
    "DisputeResolved": gettext_noop("Dispute {code} resolved: {title}"),
    "NonPerformanceNotified": gettext_noop("Non-performance notified on dispute {code}: {title}"),
    "ConveningRequested": gettext_noop("The joint body is asked to convene: {title}"),
    "JointBodyConvened": gettext_noop("The joint body convened: {title}"),
    "TrancheDefined": gettext_noop("Relief tranche defined: {title}"),
    "TrancheFellDue": gettext_noop("Relief tranche due: {title}"),
    # De-confliction (accord/deconfliction). A receipt is never an approval.
    "OrganisationRegistered": gettext_noop("Organisation registered: {name}"),
    "NotificationSubmitted": gettext_noop("Notification from {organisation}: {title}"),
    "NotificationTransmitted": gettext_noop("Notification transmitted to the parties: {title}"),
    "NotificationReceiptDue": gettext_noop("Receipt to acknowledge: {title}"),
    "NotificationReceiptAcknowledged": gettext_noop(
        "Receipt acknowledged (not an approval): {title}"
    ),
    "NotificationAcknowledged": gettext_noop(
        "Receipt acknowledged by every party (not an approval): {title}"
    ),
    "DeterminationPublished": gettext_noop("Determination published: {finding}"),
    "ViolationDetermined": gettext_noop("Violation report determined: {finding}"),
    "ApiTokenCreated": gettext_noop("API token '{name}' created"),
    "ApiTokenRevoked": gettext_noop("API token {prefix}… revoked"),
    "LanguageVersionAdded": gettext_noop("Language version added: {language}"),
    "ProvisionTranslated": gettext_noop("{label} translated ({language})"),
    "UserPreferencesChanged": gettext_noop("{username} changed how they read Accord"),
}
MAX_CHARS = 160

# Payload fields holding one of the process's fixed codes -> that code in words, for the
# middle of a sentence. ``role`` is ``process.vocabulary.Role`` (lower case: inside a
# sentence); a test keeps the two lists together.
WORDS: dict[str, dict[str, str]] = {
    "role": {
        "head_of_delegation": gettext_noop("head of delegation"),
        "member": gettext_noop("member"),
        "expert": gettext_noop("expert"),
        "rapporteur": gettext_noop("rapporteur"),
        "chair": gettext_noop("chair"),
        "co_chair": gettext_noop("co-chair"),
        "duty_officer": gettext_noop("duty officer"),
        "observer": gettext_noop("observer"),
        "verifier": gettext_noop("verifier"),
    },
    # A proposal's kind, after "proposal to".
    "kind": {
        "insert": gettext_noop("insert a provision"),
        "replace": gettext_noop("replace the wording"),
        "delete": gettext_noop("delete the provision"),
        "add_option": gettext_noop("add an option"),
        "withdraw_option": gettext_noop("withdraw its option"),
    },
    "decision": {
        "pending": gettext_noop("pending"),
        "incorporated": gettext_noop("incorporated"),
        "merged": gettext_noop("merged"),
        "declined": gettext_noop("declined"),
        "withdrawn": gettext_noop("withdrawn"),
    },
    # A channel's escalation ladder (``channels.settings.Rung``), after "escalated to".
    "escalated_to": {
        "backup_duty_officer": gettext_noop("the backup duty officer"),
        "head_of_delegation": gettext_noop("the head of delegation"),
        "facilitators": gettext_noop("the facilitators"),
    },
    "rung": {"principals": gettext_noop("the principals")},
    # Where an access request's clock moved it (compliance).
    "access_stage": {
        "decide": gettext_noop("referred to the joint body"),
        "implement": gettext_noop("access to be given"),
        "granted": gettext_noop("access given"),
        "refused": gettext_noop("refused by the joint body"),
        "lapsed": gettext_noop("lapsed, access not given in time"),
    },
    # A verification's or a violation report's finding (compliance, deconfliction).
    "finding": {
        "verified": gettext_noop("verified"),
        "not_verified": gettext_noop("not verified"),
        "unable_to_verify": gettext_noop("unable to verify"),
        "violation": gettext_noop("a violation"),
        "no_violation": gettext_noop("no violation"),
        "inconclusive": gettext_noop("inconclusive"),
    },
}
# Payload fields naming a thing the caller may put into words (``names``), and those
# holding an ISO day ("2026-11-25") the caller may write as people read days.
NAMED_FIELDS = frozenset({"user", "username", "owner", "rung", "body", "channel", "about"})
DATE_FIELDS = frozenset({"due_on", "new_due_on"})


def _same(text: str) -> str:
    return text


def _words(kind: str) -> str:
    spaced = re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()
    return spaced[:1].upper() + spaced[1:]


def names_wanted(payload: Mapping[str, Any]) -> set[str]:
    """The values of ``payload`` a caller may look up to give ``describe`` as ``names``
    (usernames, body and channel codes, subjects, ISO days)."""
    return {str(v) for k, v in payload.items() if k in NAMED_FIELDS | DATE_FIELDS and v}


def _in_words(
    field: str,
    value: Any,
    translate: Callable[[str], str],
    names: Mapping[str, str],
) -> Any:
    if field in NAMED_FIELDS | DATE_FIELDS and str(value) in names:
        return names[str(value)]
    words = WORDS.get(field, {}).get(str(value))
    if words is not None:
        return translate(words)
    if field in WORDS:
        # A code this module does not know yet: still no underscores in a sentence.
        return str(value).replace("_", " ")
    return value


def describe(
    kind: str,
    payload: Mapping[str, Any],
    translate: Callable[[str], str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """The summary of an event of ``kind`` with ``payload``; ``translate`` (e.g.
    ``gettext``) turns its sentence and words into the active language before it is
    filled in; ``names`` maps the payload's usernames, codes and subjects (see
    ``names_wanted``) to what the reader knows them by."""
    template = TEMPLATES.get(kind)
    if template is None:
        return _words(kind)
    said = translate or _same
    template = said(template)
    try:
        text = template.format_map(
            {k: _in_words(k, v, said, names or {}) for k, v in payload.items()}
        )
    except (KeyError, IndexError, ValueError):
        return _words(kind)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"
