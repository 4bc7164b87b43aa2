"""The API's word lists are the models' and the services': a word added to one and not
the other fails here, not in a request."""

from typing import get_args

from accord.drafting import api
from accord.drafting.models import Position, Proposal
from accord.drafting.services import proposals


def _words(schema: type, field: str) -> tuple[str, ...]:
    return get_args(schema.model_fields[field].annotation)


def test_the_api_stances_are_the_positions_stances():
    assert _words(api.PositionIn, "stance") == tuple(Position.Stance.values)


def test_the_api_proposal_kinds_are_the_proposals_kinds():
    assert _words(api.ProposalIn, "kind") == tuple(Proposal.Kind.values)


def test_the_api_decisions_are_the_decisions_the_service_takes():
    assert _words(api.DecisionIn, "decision") == tuple(proposals.DECISIONS)
