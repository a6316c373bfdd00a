"""Fixtures shared by the whole suite."""

import pytest

from charter.goals.tests.factories import make_cycle
from charter.organizations.tests.factories import PASSWORD, make_org

pytest_plugins = ["tests.log_scan"]  # fails the run if a secret reaches any log record


@pytest.fixture
def owner(db):
    """The owner's actor of a fresh organization."""
    return make_org("Acme")


@pytest.fixture
def other_owner(db):
    """The owner's actor of a second organization, for isolation tests."""
    return make_org("Globex")


@pytest.fixture
def cycle(owner):
    return make_cycle(owner, "2026 Q4")


@pytest.fixture
def login(client):
    """Sign a person into the test client."""

    def _login(actor):
        assert client.login(email=actor.user.email, password=PASSWORD)
        return client

    return _login
