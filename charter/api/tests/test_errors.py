"""The one error shape, whatever went wrong and wherever."""

from itertools import count
from types import SimpleNamespace

import pytest
from django.test import Client
from ninja import NinjaAPI, Router
from ninja.testing import TestClient

from charter.api.errors import field_path
from charter.api.main import _guard, install_checks
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


def _checked_api(actor):
    """An API wired like /api/v1 (`install_checks`), signed in as `actor`, with one operation that declares
    an action and one that declares none."""
    api = NinjaAPI(urls_namespace=f"guard-test-{next(_apis)}", auth=lambda request: actor)
    install_checks(api)
    router = Router()

    @router.get("/declared", openapi_extra=action("goal.create"))
    def declared(request):
        return {"ran": True}

    @router.get("/undeclared")
    def undeclared(request):
        return {"ran": True}

    api.add_router("", router)
    return TestClient(api)


_apis = count()


def test_the_guard_checks_the_declared_action(owner):
    viewer = make_person(owner, Role.VIEWER)
    assert _checked_api(owner).get("/declared").json() == {"ran": True}
    with pytest.raises(PermissionDenied):
        _checked_api(viewer).get("/declared")


def test_the_guard_fails_closed_without_an_action(owner):
    with pytest.raises(PermissionDenied, match="declares no permission action"):
        _checked_api(owner).get("/undeclared")


def test_the_guard_refuses_an_operation_whose_declaration_did_not_run(owner):
    """Fail closed twice: had the declaring decorator not run, the guard finds no action and refuses."""
    view = _guard(lambda request: "ran")
    with pytest.raises(PermissionDenied):
        view(SimpleNamespace(auth=owner))
