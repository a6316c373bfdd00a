"""SCIM 2.0 over real HTTP (live_server): an identity provider's client creates, updates, deactivates and
reactivates people and keeps a group's members, with RFC 7644's request and response shapes; a
deactivated person's session and tokens are refused at once; one organization's token never reaches
another's people."""

import httpx2
import pytest
from django.test import Client

from charter.core.models import AuditEvent
from charter.organizations.models import Membership, Role, Team, TeamMembership
from charter.organizations.services import scim_token_create, token_create
from charter.organizations.tests.factories import PASSWORD, make_org, make_person, make_team, refresh_actor

pytestmark = pytest.mark.django_db(transaction=True)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def owner():
    return make_org("Acme")


@pytest.fixture
def scim(live_server, owner):
    _, raw = scim_token_create(actor=owner, name="Okta")
    with httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/scim+json"},
        timeout=30,
    ) as client:
        yield client


def _error(response, status, scim_type=None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type:
        assert body["scimType"] == scim_type
    return body


def _user_shape(body, live_server):
    assert body["schemas"] == [USER]
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["location"] == f"{live_server.url}/scim/v2/Users/{body['id']}"
    assert body["id"].isdigit()


def _list_shape(body, total, per_page, start=1):
    assert body["schemas"] == [LIST]
    assert (body["totalResults"], body["itemsPerPage"], body["startIndex"]) == (total, per_page, start)
    assert len(body["Resources"]) == per_page


def test_create_find_update_deactivate_reactivate_a_person(scim, live_server, owner):
    created = scim.post(
        "/Users",
        json={
            "schemas": [USER],
            "userName": "Ada.Lovelace@Example.org",
            "externalId": "00u1ada",
            "name": {"givenName": "Ada", "familyName": "Lovelace"},
            "emails": [{"value": "ada.lovelace@example.org", "primary": True, "type": "work"}],
            "title": "Analyst",
            "active": True,
        },
    )
    assert created.status_code == 201, created.text
    assert created.headers["content-type"].startswith("application/scim+json")
    ada = created.json()
    _user_shape(ada, live_server)
    assert created.headers["Location"] == ada["meta"]["location"]
    assert (ada["userName"], ada["displayName"], ada["externalId"]) == (
        "ada.lovelace@example.org",
        "Ada Lovelace",
        "00u1ada",
    )
    assert ada["active"] is True and ada["title"] == "Analyst"
    membership = Membership.objects.for_org(owner.organization).get(user_id=int(ada["id"]))
    assert (membership.role, membership.external_id) == (Role.MEMBER, "00u1ada")

    # The same userName again is refused as not unique.
    _error(
        scim.post("/Users", json={"schemas": [USER], "userName": "ada.lovelace@example.org"}),
        409,
        "uniqueness",
    )

    # The identity provider looks a person up by userName (case-insensitive) before it creates them.
    found = scim.get("/Users", params={"filter": 'userName eq "ADA.LOVELACE@example.org"'}).json()
    _list_shape(found, 1, 1)
    assert found["Resources"][0]["id"] == ada["id"]
    _list_shape(scim.get("/Users", params={"filter": 'userName eq "nobody@example.org"'}).json(), 0, 0)
    _list_shape(scim.get("/Users", params={"filter": 'externalId eq "00u1ada"'}).json(), 1, 1)
    _error(scim.get("/Users", params={"filter": 'userName gt "a"'}), 400, "invalidFilter")
    _error(scim.get("/Users", params={"filter": 'nickName eq "x"'}), 400, "invalidFilter")
    _error(scim.get("/Users", params={"filter": "userName eq"}), 400, "invalidFilter")

    # PUT replaces the person's attributes.
    replaced = scim.put(
        f"/Users/{ada['id']}",
        json={
            "schemas": [USER],
            "userName": "ada@example.org",
            "externalId": "00u1ada",
            "name": {"formatted": "Ada King"},
            "title": "Countess",
            "active": True,
        },
    )
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["userName"], replaced.json()["displayName"], replaced.json()["title"]) == (
        "ada@example.org",
        "Ada King",
        "Countess",
    )

    # Okta deactivates with a replace of active, its value an object.
    okta = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}
    deactivated = scim.patch(f"/Users/{ada['id']}", json=okta)
    assert deactivated.status_code == 200, deactivated.text
    assert deactivated.json()["active"] is False
    membership.refresh_from_db()
    assert membership.is_active is False
    got = scim.get(f"/Users/{ada['id']}").json()
    _user_shape(got, live_server)
    assert got["active"] is False

    # Entra ID reactivates with a path and the text "True".
    entra = {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}
    assert scim.patch(f"/Users/{ada['id']}", json=entra).json()["active"] is True
    # Entra's name change: a path per attribute.
    renamed = scim.patch(
        f"/Users/{ada['id']}",
        json={
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": "displayName", "value": "Ada Byron"},
                {"op": "Replace", "path": "title", "value": "Mathematician"},
            ],
        },
    )
    assert (renamed.json()["displayName"], renamed.json()["title"]) == ("Ada Byron", "Mathematician")
    _error(scim.patch(f"/Users/{ada['id']}", json={"Operations": []}), 400, "invalidSyntax")
    bad = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": "maybe"}]}
    _error(scim.patch(f"/Users/{ada['id']}", json=bad), 400, "invalidValue")

    # DELETE deactivates: the person stays, inactive.
    assert scim.delete(f"/Users/{ada['id']}").status_code == 204
    membership.refresh_from_db()
    assert membership.is_active is False

    # Every write was audited as SCIM, through the organizations services.
    actions = list(
        AuditEvent.objects.for_org(owner.organization).filter(via="scim").values_list("action", flat=True)
    )
    assert {"person.add", "person.update", "person.identity_update"} <= set(actions)


def test_listing_pages_with_start_index_and_count(scim, owner):
    for _ in range(4):
        make_person(owner)
    everyone = scim.get("/Users").json()
    _list_shape(everyone, 5, 5)  # the owner and four people
    page = scim.get("/Users", params={"startIndex": 2, "count": 2}).json()
    _list_shape(page, 5, 2, start=2)
    assert [r["id"] for r in page["Resources"]] == [r["id"] for r in everyone["Resources"][1:3]]
    _list_shape(scim.get("/Users", params={"count": 0}).json(), 5, 0)
    slim = scim.get("/Users", params={"attributes": "userName"}).json()["Resources"][0]
    assert set(slim) == {"schemas", "id", "meta", "userName"}


def test_a_group_and_its_members(scim, live_server, owner):
    ada = make_person(owner, full_name="Ada")
    bob = make_person(owner, full_name="Bob")
    created = scim.post(
        "/Groups",
        json={
            "schemas": [GROUP],
            "displayName": "Engineering",
            "externalId": "grp-eng",
            "members": [{"value": str(ada.user.pk)}],
        },
    )
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["schemas"] == [GROUP] and group["meta"]["resourceType"] == "Group"
    assert group["meta"]["location"] == f"{live_server.url}/scim/v2/Groups/{group['id']}"
    assert created.headers["Location"] == group["meta"]["location"]
    assert [m["value"] for m in group["members"]] == [str(ada.user.pk)]
    team = Team.objects.for_org(owner.organization).get(pk=int(group["id"]))
    assert (team.name, team.provisioned, team.external_id) == ("Engineering", True, "grp-eng")

    add = {
        "schemas": [PATCH],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": str(bob.user.pk)}]}],
    }
    assert scim.patch(f"/Groups/{group['id']}", json=add).status_code == 200
    remove = {
        "schemas": [PATCH],
        "Operations": [{"op": "remove", "path": f'members[value eq "{ada.user.pk}"]'}],
    }
    after = scim.patch(f"/Groups/{group['id']}", json=remove).json()
    assert [m["value"] for m in after["members"]] == [str(bob.user.pk)]
    assert set(
        TeamMembership.objects.for_org(owner.organization).filter(team=team).values_list("user_id", flat=True)
    ) == {bob.user.pk}
    # The person's resource lists the group.
    assert scim.get(f"/Users/{bob.user.pk}").json()["groups"][0]["value"] == group["id"]
    rename = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"displayName": "Platform"}}]}
    assert scim.patch(f"/Groups/{group['id']}", json=rename).json()["displayName"] == "Platform"
    listed = scim.get(
        "/Groups", params={"filter": 'displayName eq "platform"', "excludedAttributes": "members"}
    ).json()
    _list_shape(listed, 1, 1)
    assert "members" not in listed["Resources"][0]

    stranger = {
        "schemas": [PATCH],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": "987654"}]}],
    }
    _error(scim.patch(f"/Groups/{group['id']}", json=stranger), 400, "invalidValue")
    _error(scim.post("/Groups", json={"schemas": [GROUP], "displayName": "Platform"}), 409, "uniqueness")

    # DELETE lets the group go: the team stays in Charter, no longer provisioned.
    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    _error(scim.get(f"/Groups/{group['id']}"), 404)
    team.refresh_from_db()
    assert team.provisioned is False and team.name == "Platform"


def test_an_existing_team_of_that_name_is_linked_not_doubled(scim, owner):
    team = make_team(owner, name="Sales")
    created = scim.post("/Groups", json={"schemas": [GROUP], "displayName": "sales"})
    assert created.status_code == 201 and created.json()["id"] == str(team.pk)
    assert Team.objects.for_org(owner.organization).count() == 1


def test_discovery_documents(scim, live_server):
    config = scim.get("/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.get("/ResourceTypes").json()
    _list_shape(types, 2, 2)
    assert {t["endpoint"] for t in types["Resources"]} == {"/Users", "/Groups"}
    schemas = scim.get("/Schemas").json()
    user = next(s for s in schemas["Resources"] if s["id"] == USER)
    assert {a["name"] for a in user["attributes"]} == {
        "userName",
        "name",
        "displayName",
        "title",
        "active",
        "emails",
        "groups",
    }
    assert scim.get(f"/Schemas/{USER}").json()["id"] == USER
    _error(scim.post("/Bulk", json={}), 404)
    _error(scim.request("OPTIONS", "/Users"), 405)


def test_the_scim2_client_library_drives_the_endpoint(scim, owner):
    """An independent SCIM client (scim2-client, validating every answer with scim2-models) discovers the
    server, creates, finds and deactivates a person."""
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_models import Email, Group, Name, PatchOp, PatchOperation, SearchRequest, User

    client = SyncSCIMClient(scim)
    client.discover()
    created = client.create(
        User(
            user_name="grace@example.org",
            name=Name(formatted="Grace Hopper"),
            emails=[Email(value="grace@example.org")],
        )
    )
    assert created.id and created.user_name == "grace@example.org" and created.active is True
    found = client.query(User, query_parameters=SearchRequest(filter='userName eq "grace@example.org"'))
    assert found.total_results == 1 and found.resources[0].id == created.id
    op = PatchOp[User](operations=[PatchOperation[User](op="replace", path="active", value=False)])
    client.modify(User, created.id, op)
    assert client.query(User, created.id).active is False
    group = client.create(Group(display_name="Navy"))
    assert group.id and group.display_name == "Navy"


def test_a_deactivated_person_loses_session_and_tokens_at_once_and_keeps_their_work(scim, live_server, owner):
    from charter.goals.models import Goal
    from charter.goals.tests.factories import make_cycle, make_goal

    person = make_person(owner)
    goal = make_goal(person, cycle=make_cycle(owner), title="Ship the thing")
    _, raw = token_create(actor=person, name="laptop")
    browser = Client()
    assert browser.login(email=person.user.email, password=PASSWORD)
    assert browser.get("/goals/").status_code == 200
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert browser.get("/api/v1/goals", **api).status_code == 200

    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    assert scim.patch(f"/Users/{person.user.pk}", json=off).status_code == 200

    # Their next web request: signed out (they belong to no other organization).
    response = browser.get("/goals/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Client().get("/api/v1/goals", **api).status_code == 401
    # Their goal stays, theirs.
    assert Goal.objects.for_org(owner.organization).get(pk=goal.pk).owner_id == person.user.pk

    # Reactivation restores access: the token acts again, and they can sign in again.
    on = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": True}]}
    assert scim.patch(f"/Users/{person.user.pk}", json=on).json()["active"] is True
    assert Client().get("/api/v1/goals", **api).status_code == 200
    again = Client()
    assert again.login(email=person.user.email, password=PASSWORD)
    assert again.get("/goals/").status_code == 200


def test_an_organization_keeps_an_active_owner(scim, owner):
    _error(scim.delete(f"/Users/{owner.user.pk}"), 400, "invalidValue")
    assert Membership.objects.for_org(owner.organization).get(user=owner.user).is_active


def test_another_organizations_token_never_sees_these_people(live_server, owner):
    person = make_person(owner)
    team = make_team(owner, name="Secret")
    other = make_org("Globex")
    _, raw = scim_token_create(actor=other, name="Okta")
    headers = {"Authorization": f"Bearer {raw}"}
    with httpx2.Client(base_url=f"{live_server.url}/scim/v2", headers=headers) as theirs:
        listed = theirs.get("/Users").json()
        assert [r["id"] for r in listed["Resources"]] == [str(other.user.pk)]
        found = theirs.get("/Users", params={"filter": f'userName eq "{person.user.email}"'}).json()
        assert found["totalResults"] == 0
        _error(theirs.get(f"/Users/{person.user.pk}"), 404)
        _error(theirs.delete(f"/Users/{person.user.pk}"), 404)
        off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
        _error(theirs.patch(f"/Users/{person.user.pk}", json=off), 404)
        _error(
            theirs.put(f"/Users/{person.user.pk}", json={"schemas": [USER], "userName": "x@example.org"}), 404
        )
        Team.objects.for_org(owner.organization).filter(pk=team.pk).update(provisioned=True)
        _error(theirs.get(f"/Groups/{team.pk}"), 404)
        add = {
            "schemas": [PATCH],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": str(other.user.pk)}]}],
        }
        _error(theirs.patch(f"/Groups/{team.pk}", json=add), 404)
        assert theirs.get("/Groups").json()["totalResults"] == 0
    assert Membership.objects.for_org(owner.organization).get(user=person.user).is_active


def test_a_missing_or_wrong_token_is_401_in_scim_shape(live_server, owner):
    person = make_person(owner)
    _, personal = token_create(actor=owner, name="mine")
    base = f"{live_server.url}/scim/v2"
    for headers in ({}, {"Authorization": "Bearer chr_nope_nope"}, {"Authorization": f"Bearer {personal}"}):
        response = httpx2.get(f"{base}/Users", headers=headers)
        _error(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # A revoked SCIM token stops at once.
    from charter.organizations.services import scim_token_revoke

    token, raw = scim_token_create(actor=owner, name="Entra")
    assert httpx2.get(f"{base}/Users", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    scim_token_revoke(actor=owner, token_id=token.pk)
    _error(httpx2.get(f"{base}/Users/{person.user.pk}", headers={"Authorization": f"Bearer {raw}"}), 401)
    # A SCIM token is no REST API token.
    assert (
        httpx2.get(f"{live_server.url}/api/v1/goals", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 401
    )
    # A token whose maker is no longer an admin acts no more.
    admin = make_person(owner, role=Role.ADMIN)
    _, admins = scim_token_create(actor=admin, name="Okta")
    from charter.organizations.services import person_update

    person_update(actor=owner, user_id=admin.user.pk, role=Role.MEMBER, title="", is_active=True)
    _error(httpx2.get(f"{base}/Users", headers={"Authorization": f"Bearer {admins}"}), 403)
    assert refresh_actor(admin.user, owner.organization).role == Role.MEMBER
