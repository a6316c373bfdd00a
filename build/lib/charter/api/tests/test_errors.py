"""The one error shape, whatever went wrong and wherever."""

from types import SimpleNamespace

import pytest
from django.test import Client

from charter.api.errors import field_path
from charter.api.main import _guard
from charter.core.api import action
from charter.core.errors import PermissionDenied
from charter.organizations.models import Role
from charter.organizations.tests.factories import PASSWORD, make_person, make_user

from .conftest import ApiClient, token_for


def test_field_path_drops_the_source_and_the_body_name():
    assert field_path(("body", "payload", "values", 0, "meaning")) == "values.0.meaning"
    assert field_path(("query", "limit")) == "limit"
    assert field_path(("body", "payload")) == "__all__"


def test_invalid_json_is_a_clear_error(owner):
    client = ApiClient(token_for(owner)).client
    response = client.post("/api/v1/goals", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "detail": "Cannot parse request body", "errors": {}}


def test_a_path_id_that_is_not_a_number_names_it(owner):
    response = ApiClient(token_for(owner)).get("/goals/abc")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["goal_id"]


def test_signed_in_without_an_organization_is_403(db):
    user = make_user()
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    response = client.get("/api/v1/goals")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


class _Operation:
    def __init__(self, openapi_extra):
        self.openapi_extra = openapi_extra
        self.view_func = lambda request: "ran"

    def run(self, request):
        return self.view_func(request)


def test_the_guard_checks_the_declared_action(owner):
    viewer = make_person(owner, Role.VIEWER)
    operation = _Operation(action("goal.create"))
    _guard(operation.run)
    assert operation.run(SimpleNamespace(auth=owner)) == "ran"
    with pytest.raises(PermissionDenied):
        operation.run(SimpleNamespace(auth=viewer))


def test_the_guard_fails_closed_without_an_action(owner):
    operation = _Operation(None)
    _guard(operation.run)
    with pytest.raises(PermissionDenied):
        operation.run(SimpleNamespace(auth=owner))
