"""Sign-in, organization switch, people, teams and tokens through the web pages."""

import pytest
from django.urls import reverse

from charter.organizations.models import ApiToken, Membership, Role, Team, TeamMembership
from charter.organizations.services import token_authenticate
from charter.organizations.tests.factories import PASSWORD, make_org, make_person, make_team

pytestmark = pytest.mark.django_db


# ---- signing in and out ---------------------------------------------------------------------------


def test_login_with_email_and_password_reaches_home(client, owner):
    response = client.post(reverse("login"), {"email": owner.user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_with_a_wrong_password_says_so_and_signs_nobody_in(client, owner):
    response = client.post(reverse("login"), {"email": owner.user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email or the password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_pages_send_a_stranger_to_the_login_page(client, owner):
    response = client.get(reverse("person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_takes_post_only(client, owner, login):
    login(owner)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_keeps_the_session(client, owner, login):
    login(owner)
    new = "a-much-longer-passphrase-42"
    data = {"old_password": PASSWORD, "new_password": new, "new_password_again": new}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # still signed in
    owner.user.refresh_from_db()
    assert owner.user.check_password(new)


def test_password_change_puts_a_wrong_current_password_beside_its_field(client, owner, login):
    login(owner)
    data = {"old_password": "nope", "new_password": "x" * 20, "new_password_again": "x" * 20}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"old_password": ["The current password is not right."]}


# ---- organization ---------------------------------------------------------------------------------


def test_switch_organization_to_one_of_mine(client, owner, login):
    second = make_org("Second", owner=owner.user)
    login(owner)
    response = client.post(reverse("organization_switch", args=[second.organization.pk]))
    assert response.status_code == 302
    assert client.session["organization_id"] == second.organization.pk
    assert client.get(reverse("home")).context["organization"] == second.organization


def _switcher_names(response) -> list[str]:
    return [org.name for org in response.context["my_organizations"]()]


def test_the_switcher_lists_every_organization_and_reads_them_only_for_two_or_more(
    client, owner, other_owner, login, django_assert_num_queries
):
    login(owner)
    response = client.get(reverse("help"))
    with django_assert_num_queries(0):
        assert _switcher_names(response) == [owner.organization.name]  # the actor's own, nothing read

    second = make_org("Second", owner=owner.user)
    response = client.get(reverse("help"))
    with django_assert_num_queries(1):
        names = _switcher_names(response)
    assert sorted(names) == sorted([owner.organization.name, "Second"])
    switch = reverse("organization_switch", args=[second.organization.pk])
    assert f'action="{switch}"' in response.content.decode()

    Membership.objects.unscoped().filter(organization=second.organization).update(is_active=False)
    response = client.get(reverse("help"))
    with django_assert_num_queries(0):
        assert _switcher_names(response) == [owner.organization.name]


def test_switch_to_a_foreign_organization_is_404_and_keeps_the_session(client, owner, other_owner, login):
    login(owner)
    client.get(reverse("home"))
    response = client.post(reverse("organization_switch", args=[other_owner.organization.pk]))
    assert response.status_code == 404
    assert client.session["organization_id"] == owner.organization.pk


def test_organization_settings_save_and_refuse_bad_values_beside_the_field(client, owner, login):
    login(owner)
    data = {"name": "Acme Ltd", "stale_days": 10, "attainment_mark": 0.6}
    assert client.post(reverse("organization_settings"), data).status_code == 302
    owner.organization.refresh_from_db()
    assert (owner.organization.name, owner.organization.stale_days) == ("Acme Ltd", 10)
    response = client.post(reverse("organization_settings"), {**data, "stale_days": 0})
    assert "stale_days" in response.context["form"].errors


def test_a_member_may_not_open_the_settings(client, owner, login):
    login(make_person(owner, Role.MEMBER))
    assert client.get(reverse("organization_settings")).status_code == 403


# ---- teams ----------------------------------------------------------------------------------------


def test_team_create_edit_and_tree(client, owner, login):
    login(owner)
    response = client.post(reverse("team_create"), {"name": "Product", "description": "", "parent_id": ""})
    product = Team.objects.for_org(owner.organization).get(name="Product")
    assert response["Location"] == reverse("team_detail", args=[product.pk])
    client.post(reverse("team_create"), {"name": "Design", "parent_id": product.pk})
    design = Team.objects.for_org(owner.organization).get(name="Design")
    assert design.parent_id == product.pk
    response = client.post(reverse("team_edit", args=[design.pk]), {"name": "UX", "parent_id": ""})
    assert response.status_code == 302
    design.refresh_from_db()
    assert (design.name, design.parent_id) == ("UX", None)
    page = client.get(reverse("team_list")).content.decode()
    assert "Product" in page and "UX" in page


def test_team_create_puts_a_duplicate_name_beside_the_field(client, owner, login):
    make_team(owner, "Sales")
    login(owner)
    response = client.post(reverse("team_create"), {"name": "sales"})
    assert response.status_code == 200
    assert "already a team called" in response.context["form"].errors["name"][0]


def test_team_cannot_be_placed_under_its_own_child(client, owner, login):
    parent = make_team(owner, "Parent")
    child = make_team(owner, "Child", parent=parent)
    login(owner)
    response = client.post(reverse("team_edit", args=[parent.pk]), {"name": "Parent", "parent_id": child.pk})
    assert "cannot be placed under itself" in response.context["form"].errors["parent_id"][0]


def test_team_member_add_as_lead_and_remove(client, owner, login):
    team = make_team(owner, "Ops")
    person = make_person(owner)
    login(owner)
    url = reverse("team_member_add", args=[team.pk])
    response = client.post(url, {"user_id": person.user.pk, "is_lead": "on"})
    assert response.status_code == 302
    assert TeamMembership.objects.for_org(owner.organization).get(team=team, user=person.user).is_lead
    page = client.get(reverse("team_detail", args=[team.pk])).content.decode()
    assert person.user.full_name in page and "Lead" in page
    response = client.post(
        reverse("team_member_remove", args=[team.pk, person.user.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "removed from the team" in response.content.decode()
    assert not TeamMembership.objects.for_org(owner.organization).filter(team=team).exists()


def test_a_member_cannot_manage_teams(client, owner, login):
    team = make_team(owner)
    login(make_person(owner, Role.MEMBER))
    assert client.get(reverse("team_create")).status_code == 403
    assert (
        client.post(reverse("team_member_add", args=[team.pk]), {"user_id": owner.user.pk}).status_code == 403
    )
    assert client.get(reverse("team_detail", args=[team.pk])).status_code == 200


def test_another_organizations_team_is_404(client, owner, other_owner, login):
    foreign = make_team(other_owner, "Theirs")
    login(owner)
    assert client.get(reverse("team_detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("team_edit", args=[foreign.pk])).status_code == 404
    response = client.post(reverse("team_member_add", args=[foreign.pk]), {"user_id": owner.user.pk})
    assert response.status_code == 404
    assert not TeamMembership.objects.for_org(other_owner.organization).exists()


# ---- people ---------------------------------------------------------------------------------------


def test_person_create_with_role_teams_and_password(client, owner, login):
    team = make_team(owner, "Sales")
    login(owner)
    data = {
        "email": "Ada@Example.org",
        "full_name": "Ada Lovelace",
        "role": Role.LEADER,
        "title": "Head of Sales",
        "team_ids": [team.pk],
        "password": "an-initial-passphrase-7",
    }
    response = client.post(reverse("person_create"), data)
    assert response.status_code == 302
    membership = Membership.objects.for_org(owner.organization).get(user__email="ada@example.org")
    assert (membership.role, membership.title) == (Role.LEADER, "Head of Sales")
    assert TeamMembership.objects.for_org(owner.organization).filter(team=team, user=membership.user).exists()
    page = client.get(reverse("person_list")).content.decode()
    assert "Ada Lovelace" in page and "Leader" in page and "Sales" in page


def test_person_create_puts_a_weak_password_beside_its_field(client, owner, login):
    login(owner)
    data = {"email": "bob@example.org", "full_name": "Bob", "role": Role.MEMBER, "password": "short"}
    response = client.post(reverse("person_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not Membership.objects.for_org(owner.organization).filter(user__email="bob@example.org").exists()


def test_person_edit_role_title_and_active(client, owner, login):
    person = make_person(owner, Role.MEMBER)
    login(owner)
    url = reverse("person_edit", args=[person.user.pk])
    response = client.post(url, {"role": Role.VIEWER, "title": "Observer", "is_active": ""})
    assert response.status_code == 302
    membership = Membership.objects.for_org(owner.organization).get(user=person.user)
    assert (membership.role, membership.title, membership.is_active) == (Role.VIEWER, "Observer", False)


def test_the_last_owner_cannot_demote_themselves(client, owner, login):
    login(owner)
    url = reverse("person_edit", args=[owner.user.pk])
    response = client.post(url, {"role": Role.ADMIN, "title": "", "is_active": "on"})
    assert response.status_code == 200
    assert "at least one active owner" in response.context["form"].errors["role"][0]


def test_another_organizations_person_is_404(client, owner, other_owner, login):
    foreign = make_person(other_owner)
    login(owner)
    assert client.get(reverse("person_edit", args=[foreign.user.pk])).status_code == 404


def test_a_member_cannot_add_people(client, owner, login):
    login(make_person(owner, Role.MEMBER))
    assert client.get(reverse("person_create")).status_code == 403
    assert client.get(reverse("person_list")).status_code == 200


# ---- tokens ---------------------------------------------------------------------------------------


def test_token_is_shown_once_and_works(client, owner, login):
    login(owner)
    response = client.post(reverse("token_create"), {"name": "CI", "days": 30})
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw in response.content.decode()
    assert token_authenticate(raw).user == owner.user
    page = client.get(reverse("token_list")).content.decode()
    assert "CI" in page and raw not in page


def test_token_create_refuses_a_missing_name_beside_the_field(client, owner, login):
    login(owner)
    response = client.post(reverse("token_create"), {"name": "", "days": 30})
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.for_org(owner.organization).exists()


def test_token_revoke(client, owner, login):
    login(owner)
    raw = client.post(reverse("token_create"), {"name": "Agent", "days": 7}).context["raw_token"]
    token = ApiToken.objects.for_org(owner.organization).get()
    response = client.post(reverse("token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Revoked" in response.content.decode()
    assert token_authenticate(raw) is None


def test_someone_elses_token_cannot_be_revoked(client, owner, login):
    login(owner)
    client.post(reverse("token_create"), {"name": "Mine", "days": 7})
    token = ApiToken.objects.for_org(owner.organization).get()
    login(make_person(owner, Role.ADMIN))
    assert client.post(reverse("token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_navbar_links_every_page_it_names(client, owner, login):
    from charter.organizations.context_processors import _NAV

    login(owner)
    html = client.get(reverse("help")).content.decode()
    for name in _NAV:
        assert f'"{reverse(name)}"' in html, name
