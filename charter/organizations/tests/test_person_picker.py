"""The person filter (the goal list's "Accountable"): bounded options whatever the number of members, the
person's team mates and the chosen one first, a search endpoint, only the organization's active members."""

import re

import pytest
from django.urls import reverse

from charter.organizations.models import Membership, Role, User
from charter.organizations.selectors import PERSON_PICKER_SHOWN, person_picker
from charter.organizations.tests.factories import drawn, make_person, make_team

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="(\d*)"')


def _values(html: str) -> list[str]:
    return OPTION.findall(html)


def _many_people(owner, n: int, prefix: str = "Crowd") -> list[User]:
    """`n` members of the owner's organization, by name."""
    users = User.objects.bulk_create(
        User(email=f"{prefix.lower()}{i:04}@example.org", full_name=f"{prefix} {i:04}") for i in range(n)
    )
    Membership.objects.bulk_create(Membership(organization=owner.organization, user=u) for u in users)
    return sorted(users, key=lambda u: u.full_name)


def test_a_small_organization_lists_every_member_by_name_escaped(owner):
    ada = make_person(owner, full_name="Ada <b> & co")
    picker = person_picker(actor=owner, selected=ada.user_id)
    assert not picker.partial and picker.total == 2
    assert drawn(picker) == (
        f'<option value="{ada.user_id}" selected>Ada &lt;b&gt; &amp; co</option>'
        f'<option value="{owner.user_id}" >{owner.user.full_name}</option>'
    )


def test_many_members_give_the_person_their_team_mates_and_the_chosen_one(owner):
    crowd = _many_people(owner, 150)
    team = make_team(owner, "Growth")
    member = make_person(owner, Role.MEMBER, team=team, full_name="Zed Member")
    mate = make_person(owner, Role.MEMBER, team=team, full_name="Amy Mate")
    chosen = crowd[-1]
    picker = person_picker(actor=member, selected=chosen.pk)
    assert picker.partial and picker.total == 150 + 3
    assert _values(drawn(picker)) == [str(mate.user_id), str(chosen.pk), str(member.user_id)]
    assert f'<option value="{chosen.pk}" selected>Crowd 0149</option>' in drawn(picker)


def test_the_bound_holds_never_drops_the_chosen_one_and_says_more_match(owner):
    crowd = _many_people(owner, 200)
    picker = person_picker(actor=owner, selected=crowd[-1].pk, q="crowd")
    values = _values(drawn(picker))
    assert len(values) == PERSON_PICKER_SHOWN + 1  # the last one: the note that more match
    assert str(crowd[-1].pk) in values and values[-1] == ""
    assert "More people match" in drawn(picker) and picker.q == "crowd"


def test_a_search_finds_by_name_or_email_and_escapes_what_it_echoes(owner):
    crowd = _many_people(owner, 100)
    by_name = person_picker(actor=owner, q="  crowd   0042 ")
    assert _values(drawn(by_name)) == [str(crowd[42].pk)]
    by_email = person_picker(actor=owner, q="crowd0043@")
    assert _values(drawn(by_email)) == [str(crowd[43].pk)]
    none = person_picker(actor=owner, q="<nobody>%_")
    assert _values(drawn(none)) == [""] and "&lt;nobody&gt;%_" in drawn(none)


def test_another_organizations_people_and_inactive_members_are_never_listed(owner, other_owner):
    _many_people(owner, 80)
    stranger = make_person(other_owner, full_name="Crowd Stranger")
    gone = make_person(owner, full_name="Crowd Gone")
    Membership.objects.for_org(owner.organization).filter(user_id=gone.user_id).update(is_active=False)
    for q in ("", "crowd", "stranger", "gone"):
        values = _values(drawn(person_picker(actor=owner, selected=stranger.user_id, q=q)))
        assert str(stranger.user_id) not in values and str(gone.user_id) not in values, q


def test_the_search_endpoint_answers_matching_members_only(owner, other_owner, login):
    crowd = _many_people(owner, 100)
    stranger = make_person(other_owner, full_name="Crowd 0007 elsewhere")
    client = login(owner)
    url = reverse("person_options")
    html = client.get(url, {"owner_q": "Crowd 0007", "owner": crowd[3].pk}).content.decode()
    assert _values(html) == [str(crowd[3].pk), str(crowd[7].pk)]
    assert f'<option value="{crowd[3].pk}" selected>' in html
    assert str(stranger.user_id) not in html
    # Bad input: a non-number chosen, an endless search.
    response = client.get(url, {"owner": "x'; --", "owner_q": "Crowd" * 1000})
    assert response.status_code == 200 and "selected" not in response.content.decode()


def test_the_search_endpoint_needs_a_signed_in_member(client):
    response = client.get(reverse("person_options"), {"owner_q": "a"})
    assert response.status_code in (302, 403)


def test_a_chosen_team_mate_is_listed_once_and_inactive_members_not_at_all(owner):
    _many_people(owner, 80)
    team = make_team(owner, "Growth")
    member = make_person(owner, Role.MEMBER, team=team, full_name="Zed Member")
    mate = make_person(owner, Role.MEMBER, team=team, full_name="Amy Mate")
    gone = make_person(owner, Role.MEMBER, team=team, full_name="Bob Gone")
    Membership.objects.unscoped().filter(user_id=gone.user_id).update(is_active=False)
    picker = person_picker(actor=member, selected=mate.user_id)
    assert _values(drawn(picker)) == [str(mate.user_id), str(member.user_id)]
    assert picker.partial and picker.total == 80 + 3
