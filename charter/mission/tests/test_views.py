"""The mission page and its edit form."""

import pytest
from django.urls import reverse

from charter.mission.models import MissionRevision
from charter.mission.selectors import mission_get
from charter.mission.services import mission_update
from charter.organizations.models import Role
from charter.organizations.tests.factories import make_person

pytestmark = pytest.mark.django_db


def _post(statement="We help small teams lead by mission.", reason="First version", **values):
    data = {
        "statement": statement,
        "vision": "Every team knows why.",
        "reason": reason,
        "values-TOTAL_FORMS": "3",
        "values-INITIAL_FORMS": "0",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "20",
        "values-0-name": "Candour",
        "values-0-meaning": "We say what we see, kindly.",
        "values-1-name": "",
        "values-1-meaning": "",
        "values-2-name": "",
        "values-2-meaning": "",
    }
    data.update(values)
    return data


def test_mission_edit_makes_a_revision_with_the_reason(client, owner, login):
    login(owner)
    response = client.post(reverse("mission_edit"), _post(reason="We start"))
    assert response.status_code == 302
    revision = MissionRevision.objects.for_org(owner.organization).get()
    assert (revision.number, revision.reason, revision.author) == (1, "We start", owner.user)
    assert revision.values == [{"name": "Candour", "meaning": "We say what we see, kindly."}]
    page = client.get(reverse("mission")).content.decode()
    assert "We help small teams lead by mission." in page and "Candour" in page and "We start" in page


def test_mission_history_says_what_changed(client, owner, login):
    values = [{"name": "A", "meaning": "a"}]
    mission_update(actor=owner, statement="Old", vision="", values=values, reason="one")
    login(owner)
    data = _post(statement="New", reason="Sharper", **{"values-0-name": "B", "values-0-meaning": "b"})
    client.post(reverse("mission_edit"), data)
    page = client.get(reverse("mission")).content.decode()
    assert "Mission changed." in page
    assert "Value “B” added." in page and "Value “A” removed." in page
    assert "Sharper" in page


def test_mission_edit_refuses_an_empty_reason_beside_the_field(client, owner, login):
    mission_update(actor=owner, statement="First", vision="", values=[], reason="")
    login(owner)
    response = client.post(reverse("mission_edit"), _post(reason="  "))
    assert response.status_code == 422
    assert response.context["form"].errors["reason"]
    html = response.content.decode()
    assert 'id="id_reason_error"' in html
    assert MissionRevision.objects.for_org(owner.organization).count() == 1


def test_mission_edit_keeps_the_rows_and_says_which_value_is_incomplete(client, owner, login):
    login(owner)
    response = client.post(reverse("mission_edit"), _post(**{"values-1-name": "Speed"}))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Value 2 (Speed) needs a meaning" in html
    assert 'value="Speed"' in html
    assert not mission_get(actor=owner).pk


def test_mission_edit_form_shows_the_current_values(client, owner, login):
    values = [{"name": "Trust", "meaning": "t"}]
    mission_update(actor=owner, statement="S", vision="", values=values, reason="r")
    login(owner)
    html = client.get(reverse("mission_edit")).content.decode()
    assert 'value="Trust"' in html


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_a_viewer_or_member_cannot_edit_the_mission(client, owner, login, role):
    login(make_person(owner, role))
    assert client.get(reverse("mission")).status_code == 200
    assert client.get(reverse("mission_edit")).status_code == 403
    assert client.post(reverse("mission_edit"), _post()).status_code == 403
    assert not MissionRevision.objects.for_org(owner.organization).exists()


def test_a_leader_can_edit_the_mission(client, owner, login):
    login(make_person(owner, Role.LEADER))
    assert client.post(reverse("mission_edit"), _post()).status_code == 302


def test_the_first_mission_needs_no_reason_and_the_form_says_so(client, owner, login):
    login(owner)
    html = client.get(reverse("mission_edit")).content.decode()
    assert "Not needed for the first version" in html and "Write the mission" in html
    assert client.post(reverse("mission_edit"), _post(reason="")).status_code == 302
    assert MissionRevision.objects.for_org(owner.organization).get().number == 1
    html = client.get(reverse("mission_edit")).content.decode()  # now a change: the reason is required
    assert '<label class="form-label required" for="id_reason">' in html and "Required: kept" in html
    response = client.post(reverse("mission_edit"), _post(statement="Sharper", reason=""))
    assert response.status_code == 422
    assert "Say why the mission changes" in response.content.decode()


def test_the_first_mission_needs_no_reason_through_the_service_but_a_change_does(owner):
    from charter.core.errors import ValidationError

    mission_update(actor=owner, statement="First", vision="", values=[], reason="")
    with pytest.raises(ValidationError) as refused:
        mission_update(actor=owner, statement="Second", vision="", values=[], reason=" ")
    assert list(refused.value.errors) == ["reason"]
    assert mission_get(actor=owner).statement == "First"


def test_values_can_be_added_beyond_the_empty_rows_and_removed(client, owner, login):
    values = [{"name": "Trust", "meaning": "t"}, {"name": "Speed", "meaning": "s"}]
    mission_update(actor=owner, statement="S", vision="", values=values, reason="")
    login(owner)
    html = client.get(reverse("mission_edit")).content.decode()
    assert "data-add-value" in html and "<template data-value-template>" in html
    assert 'name="values-__prefix__-name"' in html and 'name="values-1-DELETE"' in html
    assert "mission/values.js" in html and "<script>" not in html
    data = _post(
        reason="Trust is how we work; Speed goes",
        **{
            "values-TOTAL_FORMS": "6",
            "values-INITIAL_FORMS": "2",
            "values-0-name": "Trust",
            "values-0-meaning": "t",
            "values-1-name": "Speed",
            "values-1-meaning": "s",
            "values-1-DELETE": "on",
            "values-2-name": "Candour",
            "values-2-meaning": "We say what we see.",
            "values-3-name": "Care",
            "values-3-meaning": "We look after each other.",
            "values-4-name": "Craft",
            "values-4-meaning": "We finish what we start.",
            "values-5-name": "Focus",
            "values-5-meaning": "Few things, well.",
        },
    )
    assert client.post(reverse("mission_edit"), data).status_code == 302
    names = [v["name"] for v in mission_get(actor=owner).values]
    assert names == ["Trust", "Candour", "Care", "Craft", "Focus"]
