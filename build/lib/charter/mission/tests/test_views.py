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
    login(owner)
    response = client.post(reverse("mission_edit"), _post(reason="  "))
    assert response.status_code == 422
    assert response.context["form"].errors["reason"]
    html = response.content.decode()
    assert 'id="id_reason_error"' in html
    assert not MissionRevision.objects.for_org(owner.organization).exists()


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
