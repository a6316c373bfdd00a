"""Who may call the API: personal tokens, the web session with CSRF, and what is refused."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from charter.core.models import AuditEvent
from charter.goals.tests.factories import make_goal
from charter.organizations.models import ApiToken, Role
from charter.organizations.services import person_update, token_revoke
from charter.organizations.tests.factories import PASSWORD, make_person

from .conftest import ApiClient, token_for


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    return response.json()


def test_token_reads_its_organization(owner, cycle):
    goal = make_goal(owner, cycle, "Grow revenue")
    response = ApiClient(token_for(owner)).get("/goals")
    assert response.status_code == 200
    assert [g["id"] for g in response.json()["items"]] == [goal.pk]


def test_no_credentials_is_401(db):
    body = _error(ApiClient().get("/goals"), 401, "not_authenticated")
    assert body["errors"] == {}


def test_unknown_token_is_401(owner):
    response = ApiClient("chr_deadbeef_nope").get("/goals")
    _error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_is_401(owner):
    raw = token_for(owner)
    token = ApiToken.objects.for_org(owner.organization).get()
    token_revoke(actor=owner, token_id=token.pk)
    _error(ApiClient(raw).get("/goals"), 401, "not_authenticated")


def test_expired_token_is_401(owner):
    raw = token_for(owner)
    ApiToken.objects.for_org(owner.organization).update(expires_at=timezone.now() - timedelta(minutes=1))
    _error(ApiClient(raw).get("/goals"), 401, "not_authenticated")


def test_token_of_a_person_who_left_is_401(owner):
    member = make_person(owner, Role.MEMBER)
    raw = token_for(member)
    person_update(actor=owner, user_id=member.user_id, role=Role.MEMBER, title="", is_active=False)
    _error(ApiClient(raw).get("/goals"), 401, "not_authenticated")


def test_bad_token_is_refused_even_beside_a_session(owner, login):
    client = login(owner)
    response = client.get("/api/v1/goals", headers={"Authorization": "Bearer chr_revoked_or_unknown"})
    _error(response, 401, "not_authenticated")


def test_token_fixes_the_organization(owner, other_owner, cycle):
    """A token of Globex cannot reach Acme's goal: 404, the same body as a missing id."""
    goal = make_goal(owner, cycle)
    client = ApiClient(token_for(other_owner))
    foreign = client.get(f"/goals/{goal.pk}")
    missing = client.get("/goals/999999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json() == {"code": "not_found", "detail": "No such goal.", "errors": {}}
    assert client.get("/goals").json()["count"] == 0


def test_session_reads_the_current_organization(owner, cycle, login):
    goal = make_goal(owner, cycle)
    response = login(owner).get("/api/v1/goals")
    assert response.status_code == 200
    assert response.json()["items"][0]["id"] == goal.pk


def test_session_write_needs_csrf(owner, cycle):
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=owner.user.email, password=PASSWORD)
    payload = {"cycle_id": cycle.pk, "title": "Delight customers"}
    refused = client.post("/api/v1/goals", payload, content_type="application/json")
    _error(refused, 403, "permission_denied")
    secret = "s" * 32  # an unmasked CSRF secret is accepted in the header as it is in the cookie
    client.cookies["csrftoken"] = secret
    accepted = client.post(
        "/api/v1/goals", payload, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert accepted.status_code == 201, accepted.content


def test_token_writes_need_no_csrf(owner, cycle):
    client = ApiClient(
        client=Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token_for(owner)}"})
    )
    assert client.post("/goals", {"cycle_id": cycle.pk, "title": "Delight customers"}).status_code == 201


def test_writes_are_audited_as_api(owner, cycle):
    response = ApiClient(token_for(owner)).post(
        "/goals", {"cycle_id": cycle.pk, "title": "Delight customers"}
    )
    event = AuditEvent.objects.for_org(owner.organization).get(action="goal.create")
    assert (event.via, event.object_id) == ("api", str(response.json()["id"]))
    assert event.request_id == response["X-Request-ID"]


def test_viewer_token_can_read_but_not_write(owner, cycle):
    viewer = make_person(owner, Role.VIEWER)
    client = ApiClient(token_for(viewer))
    assert client.get("/goals").status_code == 200
    body = _error(client.post("/goals", {"cycle_id": cycle.pk, "title": "Sneaky"}), 403, "permission_denied")
    assert "viewer" in body["detail"]
    _error(client.put("/mission", {"statement": "x", "reason": "y"}), 403, "permission_denied")


def test_member_cannot_edit_the_mission(owner):
    member = make_person(owner, Role.MEMBER)
    _error(
        ApiClient(token_for(member)).put("/mission", {"statement": "x", "reason": "y"}),
        403,
        "permission_denied",
    )
