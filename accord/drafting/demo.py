"""Demo texts for ``accord demo``: the framework agreement (HLC) and the nuclear annex (WG-NUC).

Idempotent: a document that already exists (by body and title) is left as it is. Built
through the real services, as the facilitators and the parties would, so the event log
holds the history and the pages show brackets, options, positions, proposals and two
revisions each.
"""

from typing import Any

from django.db import transaction

from accord.accounts.models import User
from accord.drafting import services
from accord.drafting.models import Document, Provision
from accord.process.models import Body, Process

FRAMEWORK = "Comprehensive Agreement — Framework"
ANNEX = "Annex I — Nuclear"

# (kind, heading, text, children) — the texts use the bracket conventions.
FRAMEWORK_TREE: list[tuple[str, str, str, list[Any]]] = [
    (
        "preamble",
        "",
        "Recalling the Islamabad Memorandum of Understanding and the understandings reached "
        "at Lake Lucerne,",
        [],
    ),
    (
        "preamble",
        "",
        "Determined to manage their disagreements through [permanent mechanisms]{IR} "
        "[structured and sustained dialogue]{US},",
        [],
    ),
    (
        "article",
        "Purpose",
        "",
        [
            (
                "paragraph",
                "",
                "The Parties establish a comprehensive framework for [the full and verifiable "
                "resolution of]{US}[addressing]{IR} the questions set out in the Annexes.",
                [],
            ),
            (
                "paragraph",
                "",
                "Nothing in this Agreement shall be construed as [recognition of]{IR} any claim "
                "of either Party.",
                [],
            ),
        ],
    ),
    (
        "article",
        "Reciprocal steps",
        "",
        [
            (
                "paragraph",
                "",
                "[Option 1: Sanctions relief shall be provided in stages, each stage following "
                "the verification of the corresponding nuclear steps.]{US} [Option 2: Sanctions "
                "relief shall be provided in full upon the entry into force of this "
                "Agreement.]{IR}",
                [],
            ),
            (
                "paragraph",
                "",
                "The High-Level Committee shall review implementation every [90]{US}[180]{IR} "
                "days.",
                [],
            ),
        ],
    ),
    (
        "article",
        "Dispute resolution",
        "",
        [
            (
                "paragraph",
                "",
                "Either Party may refer an issue of non-performance to the Joint Commission, "
                "which shall consider it within 15 days.",
                [],
            ),
        ],
    ),
]

ANNEX_TREE: list[tuple[str, str, str, list[Any]]] = [
    (
        "article",
        "Enrichment",
        "",
        [
            (
                "paragraph",
                "",
                "Enrichment shall not exceed [3.67]{US}[5]{IR} per cent uranium-235 for a period "
                "of [15]{US}[10]{IR} years.",
                [],
            ),
            (
                "paragraph",
                "",
                "Enrichment activities shall take place only at [the Natanz facility]{US} "
                "[facilities declared to the designated verifier]{IR}.",
                [
                    (
                        "subparagraph",
                        "",
                        "the number of centrifuges in operation shall not exceed "
                        "[5,060]{US}[10,000]{IR};",
                        [],
                    ),
                    (
                        "subparagraph",
                        "",
                        "research and development shall be [limited to the IR-1 and IR-2m "
                        "models]{US}.",
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "article",
        "Stockpile",
        "",
        [
            (
                "paragraph",
                "",
                "The stockpile of low-enriched uranium shall not exceed [300 kg]{US}[1,000 kg]{IR} "
                "of UF6 enriched up to the level set in Article 1.",
                [],
            ),
            (
                "paragraph",
                "",
                "Uranium in excess of that amount shall be [down-blended]{US}[sold at "
                'international market prices]{IR} or shipped abroad, as the "Joint Commission" '
                "decides.",
                [],
            ),
        ],
    ),
    (
        "article",
        "Verification",
        "",
        [
            (
                "paragraph",
                "",
                "The designated verifier shall have [daily]{US} access to enrichment facilities.",
                [],
            ),
        ],
    ),
]


def _build(actor: User, document: Document, tree: list[Any], parent: Provision | None) -> None:
    for kind, heading, text, children in tree:
        provision = services.provision_add(
            actor=actor,
            document_id=document.public_id,
            kind=kind,
            heading=heading,
            text=text,
            parent_id=parent.wid if parent else None,
        )
        _build(actor, document, children, provision)


def _ensure(process: Process, body_code: str, title: str, tree: list[Any]) -> Document | None:
    body = Body.objects.filter(process=process, code=body_code).first()
    chair = User.objects.filter(username="pk-rapporteur", delegation__process=process).first()
    if body is None or chair is None:
        return None
    existing = Document.objects.filter(process=process, body=body, title=title).first()
    if existing is not None:
        return None
    document = services.document_create(actor=chair, body_code=body.code, title=title)
    _build(chair, document, tree, None)
    services.revision_issue(
        actor=chair, document_id=document.public_id, note="First facilitators' draft"
    )
    return document


def demo_content_ensure(*, process: Process) -> None:
    """Seed the two demo texts (once), with positions, a proposal and a second revision."""
    with transaction.atomic():
        framework = _ensure(process, "HLC", FRAMEWORK, FRAMEWORK_TREE)
        annex = _ensure(process, "WG-NUC", ANNEX, ANNEX_TREE)
    users = {u.username: u for u in User.objects.filter(delegation__process=process)}
    chair, us, ir = users.get("pk-rapporteur"), users.get("us-head"), users.get("ir-head")
    expert_us, expert_ir = users.get("us-expert"), users.get("ir-expert")
    if framework is not None and chair and us and ir:
        provisions = {p.label: p for p in Provision.objects.filter(document=framework)}
        dispute = provisions.get("Article 3.1")
        if dispute is not None:
            services.position_state(actor=us, provision_id=dispute.wid, stance="accept")
            services.position_state(actor=ir, provision_id=dispute.wid, stance="ad_referendum")
        purpose = provisions.get("Article 1.2")
        if purpose is not None:
            services.bracket_resolve(actor=chair, provision_id=purpose.wid, group=0, keep=None)
        services.revision_issue(
            actor=chair, document_id=framework.public_id, note="After the second round"
        )
    if annex is not None and chair and expert_us and expert_ir:
        provisions = {p.label: p for p in Provision.objects.filter(document=annex)}
        verification = provisions.get("Article 3.1")
        if verification is not None:
            services.proposal_submit(
                actor=expert_ir,
                document_id=annex.public_id,
                kind="add_option",
                provision_id=verification.wid,
                group=0,
                text="scheduled",
                justification="Daily access goes beyond what any comparable regime provides.",
            )
        enrichment = provisions.get("Article 1.1")
        if enrichment is not None:
            services.position_state(actor=expert_us, provision_id=enrichment.wid, stance="reserve")
            services.position_state(actor=expert_ir, provision_id=enrichment.wid, stance="reject")
        stockpile = provisions.get("Article 2.2")
        if stockpile is not None:
            services.proposal_submit(
                actor=expert_us,
                document_id=annex.public_id,
                kind="replace",
                provision_id=stockpile.wid,
                text="Uranium in excess of that amount shall be [down-blended]{US} or shipped "
                'abroad, as the "Joint Commission" decides.',
                justification="Sales at market prices would reward the excess.",
            )
        if stockpile is not None:
            # The session brought the stockpile paragraph closer: the revision records it
            # (a revision with no change would be refused).
            services.provision_status_set(
                actor=chair, provision_id=stockpile.wid, status="converging"
            )
        services.revision_issue(
            actor=chair, document_id=annex.public_id, note="Rev. after WG-NUC session 2"
        )
