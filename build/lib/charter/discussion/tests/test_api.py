"""Comments API: list a thread, create with mentions, edit, delete, isolation."""

import pytest

from charter.goals.tests.factories import make_goal
from charter.organizations.models import Role
from charter.organizations.services import token_create
from charter.organizations.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _headers(actor):
    return {"Authorization": f"Bearer {token_create(actor=actor, name='t')[1]}"}


def test_comment_roundtrip(client, owner, other_owner, cycle):
    goal = make_goal(owner, cycle)
    ana = make_person(owner, Role.MEMBER, full_name="Ana")
    h = _headers(owner)
    body = {"target_type": "goal", "target_id": goal.pk, "body": f"Hi @[Ana](user:{ana.user_id}) <b>x</b>"}
    created = client.post("/api/v1/comments", body, content_type="application/json", headers=h)
    assert created.status_code == 201, created.content
    data = created.json()
    assert "&lt;b&gt;" in data["body_html"] and data["author_id"] == owner.user_id
    listed = client.get(f"/api/v1/comments?target_type=goal&target_id={goal.pk}", headers=h).json()
    assert [c["id"] for c in listed["items"]] == [data["id"]]
    patched = client.patch(
        f"/api/v1/comments/{data['id']}", {"body": "Edited"}, content_type="application/json", headers=h
    )
    assert patched.json()["body"] == "Edited" and patched.json()["edited_at"]
    assert client.get(f"/api/v1/comments/{data['id']}", headers=_headers(other_owner)).status_code == 404
    assert client.delete(f"/api/v1/comments/{data['id']}", headers=h).status_code == 204
    assert client.get(f"/api/v1/comments/{data['id']}", headers=h).json()["deleted"] is True


def test_comment_on_foreign_goal_is_404(client, owner, other_owner, cycle):
    goal = make_goal(owner, cycle)
    body = {"target_type": "goal", "target_id": goal.pk, "body": "Hi"}
    response = client.post(
        "/api/v1/comments", body, content_type="application/json", headers=_headers(other_owner)
    )
    assert response.status_code == 404
