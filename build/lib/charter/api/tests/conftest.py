"""Fixtures of the API tests: clients that call /api/v1 with a personal token or a session."""

import pytest
from django.test import Client

from charter.organizations.services import token_create


def token_for(actor, days=90) -> str:
    _, raw = token_create(actor=actor, name="tests", days=days)
    return raw


@pytest.fixture
def api():
    """A client for `actor` through a personal token: `api(actor).get("/goals")`."""

    def _api(actor):
        return ApiClient(token_for(actor))

    return _api


class ApiClient:
    """Django's test client with the API prefix, a bearer token and JSON bodies."""

    prefix = "/api/v1"

    def __init__(self, raw_token: str | None = None, client: Client | None = None):
        headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}
        self.client = client or Client(headers=headers)

    def get(self, path, **params):
        return self.client.get(self.prefix + path, params)

    def post(self, path, data=None):
        return self.client.post(self.prefix + path, data or {}, content_type="application/json")

    def put(self, path, data=None):
        return self.client.put(self.prefix + path, data or {}, content_type="application/json")

    def patch(self, path, data=None):
        return self.client.patch(self.prefix + path, data or {}, content_type="application/json")

    def delete(self, path):
        return self.client.delete(self.prefix + path)


@pytest.fixture
def client(owner):
    """The owner's token client (overridden by modules that need another)."""
    return ApiClient(token_for(owner)).client
