"""`accord demo --setup-only`: everything set up once, and nothing duplicated the second time."""

import pytest
from django.apps import apps
from django.core.management import call_command

from accord.accounts.models import Appointment, Role, User


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"process", "accounts", "events", "notes"}
    }


@pytest.mark.django_db(transaction=True)
def test_demo_setup_twice_duplicates_nothing(capsys):
    call_command("demo", setup_only=True)
    first = _row_counts()
    printed = capsys.readouterr().out
    assert "accord-demo" in printed
    assert "pk-chair" in printed and "ir-head" in printed
    call_command("demo", setup_only=True)
    assert _row_counts() == first
    assert first["accounts.User"] == 21


@pytest.mark.django_db(transaction=True)
def test_the_demo_cast_holds_every_role():
    call_command("demo", setup_only=True)
    held = set(Appointment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    assert User.objects.filter(delegation__isnull=True, is_superuser=True).count() == 1
