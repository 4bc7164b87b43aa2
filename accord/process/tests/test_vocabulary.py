"""The charter's word lists and the models' choices are one vocabulary."""

import os
import subprocess
import sys

from django.conf import settings

from accord.accounts.models import Role
from accord.process import vocabulary
from accord.process.charter.schema import BodySpec, ChairSpec, MechanismSpec
from accord.process.models import Body, Delegation, Mechanism, Milestone


def test_the_models_choices_are_the_vocabulary_itself():
    assert Delegation.Kind is vocabulary.DelegationKind
    assert Body.Kind is vocabulary.BodyKind
    assert Body.ChairArrangement is vocabulary.ChairArrangement
    assert Mechanism.Kind is vocabulary.MechanismKind
    assert Milestone.Status is vocabulary.MilestoneStatus
    assert Role is vocabulary.Role


def test_the_charter_checks_its_words_against_the_vocabulary():
    fields = {
        (BodySpec, "kind"): vocabulary.BodyKind,
        (ChairSpec, "arrangement"): vocabulary.ChairArrangement,
        (MechanismSpec, "kind"): vocabulary.MechanismKind,
    }
    for (spec, name), words in fields.items():
        assert spec.model_fields[name].annotation is words, (spec, name)


def test_the_charter_loads_without_django_settings():
    code = "import accord.process.charter as c; print(','.join(c.BODY_KINDS))"
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ",".join(vocabulary.BODY_KINDS)


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
