"""The charter's word lists and the models' choices are one vocabulary."""

from accord.accounts.models import Role
from accord.process import vocabulary
from accord.process.models import Body, Delegation, Mechanism, Milestone


def test_every_choice_of_the_models_is_a_word_of_the_vocabulary_and_the_other_way_round():
    assert tuple(Delegation.Kind.values) == vocabulary.DELEGATION_KINDS
    assert tuple(Body.Kind.values) == vocabulary.BODY_KINDS
    assert tuple(Body.ChairArrangement.values) == vocabulary.CHAIR_ARRANGEMENTS
    assert tuple(Mechanism.Kind.values) == vocabulary.MECHANISM_KINDS
    assert tuple(Milestone.Status.values) == vocabulary.MILESTONE_STATUSES
    assert tuple(Role.values) == vocabulary.ROLES


def test_a_model_field_stores_no_longer_a_word_than_its_column_holds():
    fields = {
        Delegation._meta.get_field("kind"): vocabulary.DELEGATION_KINDS,
        Body._meta.get_field("kind"): vocabulary.BODY_KINDS,
        Body._meta.get_field("chair_arrangement"): vocabulary.CHAIR_ARRANGEMENTS,
        Mechanism._meta.get_field("kind"): vocabulary.MECHANISM_KINDS,
        Milestone._meta.get_field("status"): vocabulary.MILESTONE_STATUSES,
    }
    for field, words in fields.items():
        assert max(len(word) for word in words) <= field.max_length, field
