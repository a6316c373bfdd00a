"""The organizations and mission API: my organizations, teams, people, tokens, the mission."""

import pytest

from charter.organizations.models import Role
from charter.organizations.tests.factories import make_org, make_person, make_team

from .conftest import ApiClient, token_for


@pytest.fixture
def client(owner):
    return ApiClient(token_for(owner))


def test_organization_list_is_mine_only(client, owner, other_owner):
    second = make_org("Initech", owner=owner.user)
    names = [o["name"] for o in client.get("/organizations").json()["items"]]
    assert names == ["Acme", "Initech"] and second.organization.name == "Initech"


def test_teams(client, owner):
    sales = make_team(owner, "Sales")
    emea = make_team(owner, "EMEA", parent=sales)
    lead = make_person(owner, Role.MEMBER, team=sales, is_lead=True, full_name="Lena Lead")
    make_person(owner, Role.MEMBER, team=sales)
    page = client.get("/teams").json()
    assert page["count"] == 2
    assert {t["name"]: t["member_count"] for t in page["items"]} == {"EMEA": 0, "Sales": 2}
    detail = client.get(f"/teams/{sales.pk}").json()
    assert detail["children_ids"] == [emea.pk] and detail["member_count"] == 2
    assert detail["members"][0] == {"user_id": lead.user_id, "full_name": "Lena Lead", "is_lead": True}


def test_people(client, owner):
    team = make_team(owner, "Ops")
    person = make_person(owner, Role.LEADER, team=team, full_name="Ada Ops")
    people = {p["full_name"]: p for p in client.get("/people").json()["items"]}
    assert people["Ada Ops"]["id"] == person.user_id
    assert (people["Ada Ops"]["role"], people["Ada Ops"]["team_ids"]) == ("leader", [team.pk])


def test_mission_read_and_update(client):
    assert client.get("/mission").json()["revision"] == 0
    payload = {
        "statement": "Help teams lead by intent.",
        "vision": "Every team knows why.",
        "values": [{"name": "Candor", "meaning": "We say what we see."}],
        "reason": "First version",
    }
    response = client.put("/mission", payload)
    assert response.status_code == 200, response.content
    assert (response.json()["revision"], response.json()["values"][0]["name"]) == (1, "Candor")
    assert client.get("/mission").json()["statement"] == "Help teams lead by intent."


def test_mission_update_names_missing_fields(client):
    response = client.put("/mission", {"statement": " ", "reason": ""})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"statement"}  # the first version needs no reason
    assert client.put("/mission", {"statement": "First"}).status_code == 200
    change = client.put("/mission", {"statement": "Second", "reason": ""})
    assert change.status_code == 422 and set(change.json()["errors"]) == {"reason"}
    nested = client.put("/mission", {"statement": "S", "reason": "R", "values": [{"name": "Candor"}]})
    assert nested.status_code == 422
    assert list(nested.json()["errors"]) == ["values.0.meaning"]


def test_tokens_create_list_revoke(owner):
    client = ApiClient(token_for(owner))
    created = client.post("/tokens", {"name": "CI", "days": 30})
    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("chr_") and created.json()["is_active"]
    listed = client.get("/tokens").json()["items"]
    assert {t["name"] for t in listed} == {"tests", "CI"} and all("token" not in t for t in listed)
    assert ApiClient(raw).get("/mission").status_code == 200
    assert client.delete(f"/tokens/{created.json()['id']}").status_code == 204
    assert ApiClient(raw).get("/mission").status_code == 401


def test_token_create_validates_expiry(client):
    response = client.post("/tokens", {"name": "CI", "days": 0})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["days"]


def test_someone_elses_token_cannot_be_revoked(client, owner):
    member = make_person(owner, Role.MEMBER)
    ApiClient(token_for(member))
    other_id = ApiClient(token_for(member)).get("/tokens").json()["items"][0]["id"]
    assert client.delete(f"/tokens/{other_id}").status_code == 404
