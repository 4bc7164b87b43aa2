"""Every ``may_`` predicate agrees with its service, for every demo role and every kind
of text (a working group's, the HLC's, a non-paper, an adopted one).

Each service runs in a transaction that is rolled back; it "accepts" unless it refuses
for who the actor is (``PermissionDenied``, ``NotFound``) or for a state a ``may_``
predicate also answers (an adopted text is frozen; the HLC reports to no body above).
"""

import pytest

from accord.drafting import access, services
from accord.drafting.models import Document, Proposal, Provision, Referral
from accord.testing.may import service_accepts

STATE_REFUSALS = {services.FROZEN, services.NO_BODY_ABOVE}


def _first_text(document: Document) -> Provision:
    return Provision.objects.filter(document=document).exclude(text="").order_by("pk").first()


@pytest.fixture
def documents(cast, texts):
    """The demo texts, a US non-paper in WG-NUC and an adopted text in WG-SAN."""
    paper = services.document_create(
        actor=cast["us-expert"], body_code="WG-NUC", title="Non-paper", status="non_paper"
    )
    services.provision_add(
        actor=cast["pk-chair"], document_id=paper.public_id, kind="paragraph", text="Ideas."
    )
    adopted = services.document_create(actor=cast["qa-chair"], body_code="WG-SAN", title="Done")
    wid = services.provision_add(
        actor=cast["qa-chair"], document_id=adopted.public_id, kind="paragraph", text="Agreed."
    ).wid
    for party in ("us-expert", "ir-expert"):
        services.position_state(actor=cast[party], provision_id=wid, stance="accept")
    services.document_adopt(actor=cast["qa-chair"], document_id=adopted.public_id)
    documents = [texts["framework"], texts["annex"], paper, adopted]
    return [Document.objects.select_related("body", "process").get(pk=d.pk) for d in documents]


def _disagreements(cast, things, predicate, service) -> list[str]:
    """Where ``predicate`` and ``service`` disagree (sampled over the cast and ``things``);
    the sample must hold both answers, or it proves nothing."""
    wrong, answers = [], set()
    for username, actor in sorted(cast.items()):
        for thing in things:
            said, did = (
                predicate(actor, thing),
                service_accepts(
                    lambda a=actor, t=thing: service(a, t), also_refusing=STATE_REFUSALS
                ),
            )
            answers.add(did)
            if said != did:
                wrong.append(f"{predicate.__name__}({username}, {thing}) is {said}; service: {did}")
    assert answers == {True, False}, f"{predicate.__name__}: every sample answered {answers}"
    return wrong


def test_may_hold_pen_agrees_with_issuing_a_revision_and_amending(cast, documents):
    def issue(actor, document):
        services.revision_issue(actor=actor, document_id=document.public_id)

    def amend(actor, document):
        provision = _first_text(document)
        services.provision_edit(actor=actor, provision_id=provision.wid, text=provision.text)

    assert _disagreements(cast, documents, access.may_hold_pen, issue) == []
    assert _disagreements(cast, documents, access.may_hold_pen, amend) == []


def test_may_adopt_agrees_with_adoption(cast, documents):
    def adopt(actor, document):
        services.document_adopt(actor=actor, document_id=document.public_id)

    assert _disagreements(cast, documents, access.may_adopt, adopt) == []


def test_may_propose_and_may_state_position_agree_with_their_services(cast, documents):
    def propose(actor, document):
        services.proposal_submit(
            actor=actor,
            document_id=document.public_id,
            kind="delete",
            provision_id=_first_text(document).wid,
            justification="Sampled.",
        )

    def state(actor, document):
        services.position_state(
            actor=actor, provision_id=_first_text(document).wid, stance="reserve"
        )

    assert _disagreements(cast, documents, access.may_propose, propose) == []
    assert _disagreements(cast, documents, access.may_state_position, state) == []


def test_may_refer_agrees_with_referring(cast, documents):
    def refer(actor, document):
        services.referral_create(
            actor=actor, provision_id=_first_text(document).wid, note="Sampled."
        )

    assert _disagreements(cast, documents, access.may_refer, refer) == []


def test_may_create_document_agrees_with_starting_a_text(cast, islamabad):
    from accord.process.models import Body

    bodies = list(Body.objects.filter(process=islamabad, code__in=["HLC", "WG-NUC", "WG-SAN"]))
    for status in (Document.Status.NON_PAPER, Document.Status.FACILITATORS_TEXT):
        wrong, answers = [], set()
        for username, actor in sorted(cast.items()):
            for body in bodies:
                said = access.may_create_document(actor, body, status)
                did = service_accepts(
                    lambda a=actor, b=body, s=status: services.document_create(
                        actor=a, body_code=b.code, title="Sampled", status=s
                    ),
                    also_refusing=STATE_REFUSALS,
                )
                answers.add(did)
                if said != did:
                    wrong.append(f"{username} {body.code} {status}: {said} vs {did}")
        assert wrong == [] and answers == {True, False}


def test_may_start_document_agrees_with_starting_a_text_in_some_body(cast, islamabad):
    """What the "Start a text" form offers: a status is offered to whoever the service
    lets start it in at least one body (an agreed text is never started)."""
    from accord.process.models import Body

    bodies = list(Body.objects.filter(process=islamabad))
    wrong, answers = [], set()
    for status in Document.Status.values:
        for username, actor in sorted(cast.items()):
            said = access.may_start_document(actor, status)
            did = any(
                service_accepts(
                    lambda a=actor, b=body, s=status: services.document_create(
                        actor=a, body_code=b.code, title="Sampled", status=s
                    ),
                    also_refusing={*STATE_REFUSALS, services.AGREED_ONLY_BY_ADOPTION},
                )
                for body in bodies
            )
            answers.add(did)
            if said != did:
                wrong.append(f"may_start_document({username}, {status}) is {said}; service: {did}")
    assert wrong == [] and answers == {True, False}


def test_may_withdraw_and_may_decide_proposals_agree_with_their_services(cast, documents):
    proposals = list(Proposal.objects.select_related("document", "document__body"))
    assert {p.delegation.code for p in proposals} == {"US", "IR"}

    def withdraw(actor, proposal):
        services.proposal_withdraw(actor=actor, proposal_id=proposal.public_id)

    def decide(actor, proposal):
        services.proposal_decide(
            actor=actor, proposal_id=proposal.public_id, decision="decline", reason="Sampled."
        )

    assert _disagreements(cast, proposals, access.may_withdraw_proposal, withdraw) == []
    assert _disagreements(cast, proposals, access.may_decide_proposal, decide) == []


def test_may_withdraw_option_agrees_with_proposing_the_withdrawal(cast, documents):
    provision = Provision.objects.get(document=documents[1], label="Article 1.1")
    options = [(0, 0), (0, 1)]

    def withdraw(actor, at):
        services.proposal_submit(
            actor=actor,
            document_id=documents[1].public_id,
            kind="withdraw_option",
            provision_id=provision.wid,
            group=at[0],
            option=at[1],
            justification="Sampled.",
        )

    def may(actor, at):
        return access.may_withdraw_option(actor, provision, *at)

    may.__name__ = "may_withdraw_option"
    assert _disagreements(cast, options, may, withdraw) == []


def test_may_decide_referral_agrees_with_recording_the_decision(cast, documents):
    annex = documents[1]
    services.referral_create(
        actor=cast["pk-chair"], provision_id=_first_text(annex).wid, note="Decide."
    )
    referrals = list(Referral.objects.select_related("to_body", "document"))

    def decide(actor, referral):
        services.referral_decide(actor=actor, referral_id=referral.public_id, decision="Sampled.")

    assert _disagreements(cast, referrals, access.may_decide_referral, decide) == []


def test_a_head_of_delegation_opens_and_takes_part_in_every_bodys_text(cast, texts):
    """A head leads the delegation's work in every body (DOMAIN.md): ir-head, appointed in
    the HLC only, opens the WG-NUC annex that the home page counts for them, and may
    propose and state positions on it like the delegation's experts."""
    head = cast["ir-head"]
    annex = access.document_access(head, texts["annex"].public_id)
    assert access.may_propose(head, annex) and access.may_state_position(head, annex)
