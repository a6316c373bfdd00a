"""Fuzzing of the whole REST API with schemathesis.

Every operation of the OpenAPI document is called in-process (the Django WSGI application, no server)
with generated input, valid (positive) and invalid (negative), by an owner's token (all scopes) of an
organization that has one of everything. No answer may be a server error or fall outside the document:
its status code must be documented for the operation, its content type and body must match.

Generation is derandomized, so a run is repeatable; the number of examples is bounded for CI. Path and
body ids are sometimes replaced by real ones (the caller's or another organization's), so the fuzzer
also gets past the lookups into the services. Each example runs in a savepoint that is rolled back, so
every example meets the same world.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja.errors import HttpError
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.openapi.checks import UndefinedStatusCode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from charter.api import inputs
from charter.api.main import api
from charter.organizations.models import Role
from tests.world import build_world

PREFIX = "/api/v1"
DOCUMENT = api.get_openapi_schema(path_prefix=PREFIX)
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 10  # per operation and generation mode
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
OPERATIONS = sorted(
    (method.upper(), path, op["operationId"])
    for path, ops in DOCUMENT["paths"].items()
    for method, op in ops.items()
)
ID_SOURCES = ("generated", "mine", "theirs")
# Body fields that name a world object under another name.
ALIASES = {
    "owner_id": "user_id",
    "sponsor_id": "user_id",
    "parent_id": "goal_id",
    "target_id": "goal_id",
    "adopted_goal_id": "goal_id",
    "adopted_key_result_id": "key_result_id",
    "to_cycle_id": "cycle_id",
}


@contextmanager
def keeping_the_test_connection():
    """The WSGI handler closes the database connection around each request, which would end the
    test's transaction; Django's own test client switches that off the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """Two organizations with one of everything, built once per module in a transaction that is
    rolled back at its end (each test adds a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world("Acme"), build_world("Globex")
        transaction.set_rollback(True)


def with_ids(value, ids: dict):
    """`value` with every key that names world objects (`goal_id`, `owner_id`, `team_ids`...) set to
    their ids, at any depth."""
    if isinstance(value, list):
        return [with_ids(v, ids) for v in value]
    if not isinstance(value, dict):
        return value
    replaced = {}
    for key, item in value.items():
        name = ALIASES.get(key, key)
        if name in ids:
            replaced[key] = ids[name]
        elif key.endswith("_ids") and (one := ALIASES.get(key[:-1], key[:-1])) in ids:
            replaced[key] = [ids[one]]
        else:
            replaced[key] = with_ids(item, ids)
    return replaced


def fuzz_operation(worlds, operation, mode, examples=EXAMPLES):
    """Call one operation with generated cases; raise schemathesis' failure group on the first
    answer that is a server error or outside the document (after shrinking it)."""
    mine, theirs = worlds
    method, path, _ = operation
    app = get_wsgi_application()
    headers = {"Authorization": f"Bearer {mine.tokens[Role.OWNER]}"}
    ids_of = {"mine": mine.ids, "theirs": {**mine.ids, **theirs.ids}}

    @settings(FUZZ_SETTINGS, max_examples=examples)
    @given(case=SCHEMA[path][method].as_strategy(generation_mode=mode), source=st.sampled_from(ID_SOURCES))
    def fuzz(case, source):
        if source != "generated":
            ids = ids_of[source]
            if case.path_parameters:
                case.path_parameters = {k: ids.get(k, v) for k, v in case.path_parameters.items()}
            if isinstance(case.body, dict | list):
                case.body = with_ids(case.body, ids)
        with transaction.atomic():
            case.call_and_validate(app=app, headers=headers, checks=CHECKS)
            transaction.set_rollback(True)

    with keeping_the_test_connection():
        fuzz()


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: o[2])
def test_operation_answers_within_its_schema(worlds, operation, mode):
    fuzz_operation(worlds, operation, mode)


def _cycle_list():
    (operation,) = [o for o in OPERATIONS if o[2] == "cycle_list"]
    return operation


@pytest.mark.django_db
def test_the_fuzzer_catches_a_server_error(worlds, monkeypatch):
    def broken(values):
        raise RuntimeError("injected")

    monkeypatch.setattr(inputs, "problems", broken)
    with pytest.raises(FailureGroup) as found:
        fuzz_operation(worlds, _cycle_list(), GenerationMode.POSITIVE, examples=3)
    assert any(isinstance(failure, ServerError) for failure in found.value.exceptions)


@pytest.mark.django_db
def test_the_fuzzer_catches_an_undocumented_status(worlds, monkeypatch):
    def teapot(values):
        raise HttpError(418, "I am a teapot.")

    monkeypatch.setattr(inputs, "problems", teapot)
    with pytest.raises(FailureGroup) as found:
        fuzz_operation(worlds, _cycle_list(), GenerationMode.POSITIVE, examples=3)
    assert [type(failure) for failure in found.value.exceptions] == [UndefinedStatusCode]
