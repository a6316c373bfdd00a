"""Fixtures of the back-brief tests."""

import pytest

from .factories import make_given


@pytest.fixture
def given(owner, cycle):
    """An organization where the owner gave the Onboarding team a goal: its back-brief is requested."""
    return make_given(owner, cycle)
