"""Fixtures for the maritime tests: the default charter's maritime channel, a picture."""

import pytest

from accord.maritime.services import Picture, maritime_mechanism


@pytest.fixture
def mcc(islamabad):
    return maritime_mechanism("MCC")


@pytest.fixture
def picture(mcc):
    return Picture(mcc)
