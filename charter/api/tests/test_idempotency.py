"""`Idempotency-Key` on API POSTs: one object per key, replays, refusals, expiry and a race."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from charter.api.idempotency import HEADER, REPLAYED_HEADER
from charter.core.errors import ValidationError
from charter.core.models import IdempotencyKey
from charter.goals import services as goal_services
from charter.goals.models import CheckIn, Goal
from charter.goals.tests.factories import make_cycle, make_goal, make_key_result
from charter.notifications.tasks import idempotency_keys_purge
from charter.organizations.tests.factories import PASSWORD, make_org

from .conftest import token_for


class KeyClient:
    """POSTs JSON to /api/v1 with a token and, when given, an Idempotency-Key."""

    def __init__(self, actor=None, token=None):
        self.token = token or token_for(actor)
        self.client = Client(headers={"Authorization": f"Bearer {self.token}"})

    def post(self, path, data, key=None):
        headers = {HEADER: key} if key is not None else {}
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", headers=headers)


@pytest.fixture
def api(owner):
    return KeyClient(owner)


def goals_of(actor):
    return Goal.objects.for_org(actor.organization)


def test_the_same_key_and_body_create_one_object_and_replay_the_answer(api, owner, cycle):
    body = {"cycle_id": cycle.pk, "title": "Grow"}
    first = api.post("/goals", body, key="goal-1")
    again = api.post("/goals", body, key="goal-1")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again[REPLAYED_HEADER] == "true" and REPLAYED_HEADER not in first
    assert goals_of(owner).count() == 1


def test_without_a_key_each_post_creates(api, owner, cycle):
    body = {"cycle_id": cycle.pk, "title": "Grow"}
    assert api.post("/goals", body).status_code == api.post("/goals", body).status_code == 201
    assert goals_of(owner).count() == 2
    assert not IdempotencyKey.objects.unscoped().exists()


def test_the_same_key_with_another_body_or_route_is_refused(api, owner, cycle):
    goal = make_goal(owner, cycle, "Grow")
    kr = make_key_result(owner, goal)
    assert api.post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key="k").status_code == 201
    other_body = api.post("/goals", {"cycle_id": cycle.pk, "title": "Shrink"}, key="k")
    assert other_body.status_code == 422
    assert "another body" in other_body.json()["detail"] and HEADER in other_body.json()["errors"]
    other_route = api.post(f"/key-results/{kr.pk}/check-ins", {"value": 1, "confidence": 5}, key="k")
    assert other_route.status_code == 422 and "POST /api/v1/goals" in other_route.json()["detail"]
    assert goals_of(owner).count() == 2 and not CheckIn.objects.for_org(owner.organization).exists()


def test_keys_belong_to_one_caller_and_organization(owner, other_owner, cycle):
    make_cycle(other_owner, "Theirs")
    mine, second_token = KeyClient(owner), KeyClient(owner)
    assert mine.post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key="shared").status_code == 201
    # another token of the same person is another caller; so is another organization
    assert (
        second_token.post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key="shared").status_code == 201
    )
    theirs = KeyClient(other_owner).post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key="shared")
    assert theirs.status_code == 422 and "cycle_id" in theirs.json()["errors"]  # their own key: not a replay
    assert goals_of(owner).count() == 2


def test_a_session_caller_is_keyed_by_person(owner, cycle):
    client = Client()
    assert client.login(email=owner.user.email, password=PASSWORD)
    client.get("/")  # the CSRF cookie
    headers = {HEADER: "web-1", "X-CSRFToken": client.cookies["csrftoken"].value}
    post = {"data": {"cycle_id": cycle.pk, "title": "Grow"}, "content_type": "application/json"}
    first = client.post("/api/v1/goals", **post, headers=headers)
    again = client.post("/api/v1/goals", **post, headers=headers)
    assert (first.status_code, again.status_code, again[REPLAYED_HEADER]) == (201, 201, "true")
    assert IdempotencyKey.objects.for_org(owner.organization).get().caller == f"user:{owner.user_id}"


def test_an_error_answer_releases_the_key(api, owner, other_owner, cycle):
    foreign = make_cycle(other_owner, "Theirs")
    refused = api.post("/goals", {"cycle_id": foreign.pk, "title": "Grow"}, key="retry-me")
    assert refused.status_code == 422 and refused.json()["errors"] == {"cycle_id": ["No such cycle."]}
    assert not IdempotencyKey.objects.unscoped().exists()
    # fixed and retried with the same key: it runs (the refusal is not replayed)
    assert api.post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key="retry-me").status_code == 201


def test_a_malformed_key_is_refused(api, cycle):
    for key in ["", "has space", "x" * 256, "caf\u00e9"]:
        response = api.post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key=key)
        assert response.status_code == 422, key
        assert HEADER in response.json()["errors"]


def test_a_key_in_progress_answers_409_and_an_abandoned_one_is_taken_over(api, owner, cycle):
    body = {"cycle_id": cycle.pk, "title": "Grow"}
    assert api.post("/goals", body, key="busy").status_code == 201
    row = IdempotencyKey.objects.for_org(owner.organization).get()
    running = IdempotencyKey.objects.for_org(owner.organization)
    running.update(status_code=None, committed=False, body="", created_at=timezone.now())  # as if running
    busy = api.post("/goals", body, key="busy")
    assert busy.status_code == 409 and busy.json()["code"] == "idempotency_in_progress"
    running.update(created_at=row.created_at - timedelta(minutes=5))
    taken = api.post("/goals", body, key="busy")  # its request died before committing: this one runs
    assert taken.status_code == 201 and REPLAYED_HEADER not in taken
    assert goals_of(owner).count() == 2
    running.update(status_code=None, committed=True, created_at=row.created_at - timedelta(minutes=5))
    lost = api.post("/goals", body, key="busy")  # it died after committing: never run again
    assert lost.status_code == 409 and lost.json()["code"] == "idempotency_answer_lost"
    assert goals_of(owner).count() == 2


def test_an_expired_key_is_a_new_key_and_expired_keys_are_purged(api, owner, cycle):
    body = {"cycle_id": cycle.pk, "title": "Grow"}
    assert api.post("/goals", body, key="old").status_code == 201
    assert api.post("/goals", {"cycle_id": cycle.pk, "title": "Other"}, key="fresh").status_code == 201
    IdempotencyKey.objects.for_org(owner.organization).filter(key="old").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    again = api.post("/goals", body, key="old")
    assert again.status_code == 201 and REPLAYED_HEADER not in again
    assert goals_of(owner).count() == 3
    IdempotencyKey.objects.for_org(owner.organization).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    IdempotencyKey.objects.for_org(owner.organization).filter(key="fresh").update(
        expires_at=timezone.now() + timedelta(hours=1)
    )
    assert idempotency_keys_purge("2026-11-27T14:00") == 1  # the worker's minute job
    assert list(IdempotencyKey.objects.unscoped().values_list("key", flat=True)) == ["fresh"]


def test_the_openapi_document_names_the_header_on_every_post(api):
    document = api.client.get("/api/v1/openapi.json").json()
    posts = [ops["post"] for ops in document["paths"].values() if "post" in ops]
    assert posts
    for operation in posts:
        assert any(p["name"] == HEADER and p["in"] == "header" for p in operation["parameters"])
    gets = [ops["get"] for ops in document["paths"].values() if "get" in ops]
    assert not any(p["name"] == HEADER for op in gets for p in op.get("parameters", []))


def test_two_requests_with_one_key_at_once_make_one_object(transactional_db, monkeypatch):
    """The second arrives while the first is inside the service.

    On PostgreSQL it is answered at once: 409 in progress. SQLite lets one writer in at a time, so there
    it waits for the first to commit and then finds it in progress or finished (a replay). Either way,
    one object, and a later retry replays the first answer.
    """
    owner = make_org("Acme")
    cycle = make_cycle(owner, "2026 Q4")
    inside, release = threading.Event(), threading.Event()
    real_create = goal_services.goal_create

    def slow_create(**kwargs):
        inside.set()
        assert release.wait(30)
        return real_create(**kwargs)

    monkeypatch.setattr(goal_services, "goal_create", slow_create)
    body = {"cycle_id": cycle.pk, "title": "Grow"}
    token = token_for(owner)
    answers: dict = {}

    def post(name):
        try:
            answers[name] = KeyClient(token=token).post("/goals", body, key="race")
        finally:
            connections.close_all()

    first = threading.Thread(target=post, args=("first",))
    second = threading.Thread(target=post, args=("second",))
    first.start()
    try:
        assert inside.wait(30)
        second.start()
        if connection.vendor != "sqlite":
            second.join(30)  # answered while the first still runs
            assert answers["second"].json()["code"] == "idempotency_in_progress"
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert answers["first"].status_code == 201
    if answers["second"].status_code == 409:
        assert answers["second"]["Retry-After"] == "1"
        assert answers["second"].json()["code"] == "idempotency_in_progress"
    else:
        assert answers["second"].status_code == 201 and answers["second"][REPLAYED_HEADER] == "true"
    third = KeyClient(token=token).post("/goals", body, key="race")
    assert third.status_code == 201 and third[REPLAYED_HEADER] == "true"
    assert third.content == answers["first"].content
    assert goals_of(owner).count() == 1


def test_a_write_that_committed_but_lost_its_answer_is_never_run_again(transactional_db, monkeypatch):
    """A 500 after the commit (here an on-commit step fails): the key is kept, a retry is told, not re-run."""
    owner = make_org("Acme")
    cycle = make_cycle(owner, "2026 Q4")
    real_create = goal_services.goal_create

    def create_then_fail_after_commit(**kwargs):
        goal = real_create(**kwargs)
        transaction.on_commit(lambda: 1 / 0)
        return goal

    monkeypatch.setattr(goal_services, "goal_create", create_then_fail_after_commit)
    client = KeyClient(owner)
    client.client.raise_request_exception = False
    body = {"cycle_id": cycle.pk, "title": "Grow"}
    assert client.post("/goals", body, key="lost").status_code == 500
    assert goals_of(owner).count() == 1  # it committed
    monkeypatch.setattr(goal_services, "goal_create", real_create)
    retry = client.post("/goals", body, key="lost")
    assert retry.status_code == 409 and retry.json()["code"] == "idempotency_answer_lost"
    assert goals_of(owner).count() == 1


def test_a_refused_write_inside_the_key_transaction_leaves_nothing(api, owner, cycle, monkeypatch):
    """The operation and the key's `committed` mark share one transaction: a failure rolls back both."""
    real_create = goal_services.goal_create

    def create_then_refuse(**kwargs):
        real_create(**kwargs)
        raise ValidationError("Refused after writing.", field="title")

    monkeypatch.setattr(goal_services, "goal_create", create_then_refuse)
    refused = api.post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key="k")
    assert refused.status_code == 422
    assert goals_of(owner).count() == 0 and not IdempotencyKey.objects.unscoped().exists()


@pytest.mark.parametrize(
    ("path", "body", "secret"),
    [
        ("/tokens", {"name": "ci", "days": 30}, "token"),
        ("/webhooks", {"name": "Ops", "url": "https://hooks.example.com/x", "events": []}, "secret"),
        ("/invitations", {"emails": ["new@example.com"]}, "link"),
    ],
)
def test_a_stored_answer_never_holds_a_one_time_secret(api, owner, path, body, secret):
    """Issue 15, finding 12: the stored answer of POST /tokens held the raw token for 24 h, and it worked."""
    first = api.post(path, body, key="secret-1")
    assert first.status_code in (200, 201), first.content
    shown = first.content.decode()
    raw = first.json()[secret] if secret in first.json() else first.json()["invitations"][0][secret]
    assert raw and raw in shown
    row = IdempotencyKey.objects.unscoped().get(key="secret-1")
    stored = row.body + str(row.headers)
    assert raw not in stored and secret in row.withheld
    assert f'"{secret}": null' in row.body  # the rest of the answer is kept, the secret blanked
    if secret == "token":  # nothing in the row authenticates
        for word in stored.replace('"', " ").split():
            assert Client(headers={"Authorization": f"Bearer {word}"}).get("/api/v1/goals").status_code == 401
    again = api.post(path, body, key="secret-1")
    assert again.status_code == 409 and REPLAYED_HEADER not in again
    error = again.json()
    assert error["code"] == "idempotency_secret_not_kept"
    assert "shown only once" in error["detail"] and raw not in again.content.decode()
    if "Location" in first:
        assert first["Location"] in error["detail"]


def test_the_permission_guard_answers_before_a_key_is_claimed(owner, cycle, monkeypatch):
    """The guard runs first (`api.main.install_checks`): a caller whose role may not do this is refused
    without the key being looked at, so a refusal never claims, waits on or replays a key."""
    from charter.api import idempotency
    from charter.organizations.models import Role
    from charter.organizations.tests.factories import make_person

    def never(request, key):
        raise AssertionError("claimed a key for a refused request")

    monkeypatch.setattr(idempotency, "_claim", never)
    viewer = KeyClient(make_person(owner, Role.VIEWER))
    refused = viewer.post("/goals", {"cycle_id": cycle.pk, "title": "Grow"}, key="viewer-1")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert goals_of(owner).count() == 0
