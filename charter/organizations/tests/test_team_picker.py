"""The team filter of every page: bounded options whatever the number of teams, and its search endpoint."""

import re

import pytest
from django.urls import reverse

from charter.organizations.models import Role, Team
from charter.organizations.selectors import TEAM_PICKER_SHOWN, TEAM_SEARCH_MAX, team_picker
from charter.organizations.tests.factories import drawn, make_person, make_team

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="(\d*)"')


def _values(html: str) -> list[str]:
    return OPTION.findall(html)


def _many_teams(owner, departments: int = 5, per_department: int = 30) -> dict:
    """Departments (top-level teams), each with teams below it: more teams than a filter lists."""
    org = owner.organization
    tops = [make_team(owner, f"Department {d:02}") for d in range(departments)]
    Team.objects.bulk_create(
        Team(organization=org, name=f"Team {d:02}.{t:02}", parent=top)
        for d, top in enumerate(tops)
        for t in range(per_department)
    )
    return {
        "tops": tops,
        "teams": list(Team.objects.for_org(org).filter(parent__isnull=False).order_by("name")),
    }


def test_a_small_organization_lists_every_team_by_name_with_its_parent(owner):
    product = make_team(owner, "Product")
    growth = make_team(owner, "Growth", parent=product)
    ada = make_team(owner, "Ada <lab> & co")
    picker = team_picker(actor=owner, selected=growth.pk)
    assert not picker.partial and picker.total == 3
    assert drawn(picker) == (
        f'<option value="{ada.pk}" >Ada &lt;lab&gt; &amp; co</option>'
        f'<option value="{growth.pk}" selected>Product › Growth</option>'
        f'<option value="{product.pk}" >Product</option>'
    )


def test_many_teams_give_the_persons_teams_the_top_teams_and_the_chosen_one(owner):
    world = _many_teams(owner)
    mine, chosen = world["teams"][40], world["teams"][-1]
    member = make_person(owner, Role.MEMBER, team=mine)
    picker = team_picker(actor=member, selected=chosen.pk)
    assert picker.partial and picker.total == 5 + 150
    expected = sorted([*world["tops"], mine, chosen], key=lambda t: t.name)
    assert _values(drawn(picker)) == [str(t.pk) for t in expected]
    assert f'<option value="{chosen.pk}" selected>' in drawn(picker)


def test_the_bound_holds_and_never_drops_the_chosen_team(owner):
    world = _many_teams(owner, departments=TEAM_PICKER_SHOWN + 10, per_department=0)
    last = world["tops"][-1]
    picker = team_picker(actor=owner, selected=last.pk)
    values = [v for v in _values(drawn(picker)) if v]
    assert len(values) == TEAM_PICKER_SHOWN and str(last.pk) in values
    assert "More teams match" in drawn(picker)  # the last, disabled option says why some are missing


def test_search_matches_names_and_parents_names(owner):
    world = _many_teams(owner)
    picker = team_picker(actor=owner, q="  team 03.1 ")
    assert picker.q == "team 03.1"
    assert _values(drawn(picker)) == [str(t.pk) for t in world["teams"] if t.name.startswith("Team 03.1")]
    by_parent = team_picker(actor=owner, q="Department 02")
    assert len(_values(drawn(by_parent))) == 31  # the department and its thirty teams
    for wildcard in ("%", "_", "\\"):  # LIKE's wildcards and escape are searched as characters
        assert _values(drawn(team_picker(actor=owner, q=wildcard))) == [""]
    nothing = team_picker(actor=owner, q="<nothing>")
    assert _values(drawn(nothing)) == [""] and "&lt;nothing&gt;" in drawn(nothing)


def test_another_organizations_team_is_never_offered(owner, other_owner):
    _many_teams(owner)
    theirs = make_team(other_owner, "Department 01 of theirs")
    picker = team_picker(actor=owner, selected=theirs.pk, q="Department")
    assert str(theirs.pk) not in _values(drawn(picker)) and "selected" not in drawn(picker)


# ---- the search endpoint --------------------------------------------------------------------------


def test_the_endpoint_answers_matching_options_bounded_and_keeps_the_chosen_team(owner, login):
    world = _many_teams(owner)
    chosen = world["teams"][0]
    client = login(owner)
    response = client.get(reverse("team_options"), {"team_q": "09", "team": chosen.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert body.startswith(f'<option value="{chosen.pk}" selected>Department 00 › Team 00.00</option>')
    assert len(_values(body)) == 1 + 5  # Team 00.09 … Team 04.09
    whole = client.get(reverse("team_options"), {"team_q": "Team"}).content.decode()
    assert len(_values(whole)) == TEAM_PICKER_SHOWN + 1 and "More teams match" in whole


def test_the_endpoint_refuses_bad_input_quietly_and_scopes_to_the_organization(
    owner, other_owner, login, django_assert_num_queries
):
    _many_teams(owner)
    theirs = make_team(other_owner, "Theirs")
    client = login(owner)
    url = reverse("team_options")
    client.get(url)  # the first request of a session writes it
    for params in (
        {"team": "abc", "team_q": "x" * 5000},
        {"team": "-1"},
        {"team": theirs.pk, "team_q": "Theirs"},
    ):
        with django_assert_num_queries(3):  # session, user with actor, the options
            response = client.get(url, params)
        assert response.status_code == 200
        body = response.content.decode()
        assert " selected>" not in body and str(theirs.pk) not in _values(body)
    long = client.get(url, {"team_q": "Department 01" + "x" * TEAM_SEARCH_MAX}).content.decode()
    assert "No other team" in long  # cut to TEAM_SEARCH_MAX characters, then nothing matches


def test_the_endpoint_needs_a_signed_in_member(client, owner):
    response = client.get(reverse("team_options"), {"team_q": "a"})
    assert response.status_code == 302 and "/login/" in response["Location"]
