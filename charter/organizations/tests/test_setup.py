"""First run (the setup page of an empty installation) and organizations created by signed-in people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charter.core import events
from charter.core.models import AuditEvent
from charter.organizations import first_run
from charter.organizations.middleware import SESSION_KEY
from charter.organizations.models import Membership, Organization, Role, User
from charter.organizations.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-first-owner-passphrase-7"


@pytest.fixture
def empty():
    """An installation with nobody in it (the process may remember an earlier test's people)."""
    first_run.forget()
    yield
    first_run.forget()


def _setup_data(**overrides):
    data = {
        "full_name": "Ada Lovelace",
        "email": "Ada@Example.org",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
        "organization_name": "Analytical Engines",
        "slug": "",
    }
    return data | overrides


# ---- first run ------------------------------------------------------------------------------------


def test_an_empty_installation_sends_every_page_to_setup(client, empty):
    for url in ("/", reverse("login"), reverse("goal_list"), "/no/such/page/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("setup")
    assert client.get(reverse("setup")).status_code == 200
    assert client.get("/api/v1/organizations").status_code == 401  # the API is left alone


def test_setup_makes_the_owner_and_the_organization_signs_in_and_then_is_gone(client, empty):
    page = client.get(reverse("setup"))
    assert "Set up Charter" in page.content.decode()
    response = client.post(reverse("setup"), _setup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")

    user = User.objects.get()
    assert (user.email, user.full_name) == ("ada@example.org", "Ada Lovelace")
    assert user.check_password(NEW_PASSWORD)
    org = Organization.objects.get()
    assert (org.name, org.slug) == ("Analytical Engines", "analytical-engines")  # derived from the name
    assert Membership.objects.for_org(org).get(user=user).role == Role.OWNER
    assert client.session[SESSION_KEY] == org.pk
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "Analytical Engines" in home.content.decode()
    actions = set(AuditEvent.objects.for_org(org).values_list("action", flat=True))
    assert {"organization.create", "setup.complete"} <= actions

    # Gone for everyone, signed in or not: the page cannot take over an installation.
    assert client.get(reverse("setup")).status_code == 404
    client.logout()
    assert client.get(reverse("setup")).status_code == 404
    again = _setup_data(email="mallory@example.org", organization_name="Takeover")
    assert client.post(reverse("setup"), again).status_code == 404
    assert User.objects.count() == 1 and Organization.objects.count() == 1
    assert client.get(reverse("login")).status_code == 200  # pages work again


def test_setup_puts_each_problem_beside_its_field(client, empty):
    data = _setup_data(password_again="something-else-entirely", email="not-an-address", slug="Bad Slug!")
    response = client.post(reverse("setup"), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "differ" in errors["password_again"][0]
    assert "email" in errors
    assert not User.objects.exists()

    response = client.post(reverse("setup"), _setup_data(password="short", password_again="short"))
    assert response.status_code == 422
    assert "password" in response.context["form"].errors

    response = client.post(reverse("setup"), _setup_data(slug="-bad-"))
    assert response.status_code == 422
    assert "lower-case letters" in response.context["form"].errors["slug"][0]
    assert not User.objects.exists() and not Organization.objects.exists()

    assert client.post(reverse("setup"), _setup_data(slug="engines")).status_code == 302
    assert Organization.objects.get().slug == "engines"  # the edited slug is kept


def test_the_first_run_check_costs_a_signed_in_page_nothing(client, empty, owner, login, monkeypatch):
    first_run.forget()
    login(owner)

    def no_query():
        raise AssertionError("a signed-in page asked whether anyone exists")

    monkeypatch.setattr(first_run, "someone_exists", no_query)
    assert client.get(reverse("home")).status_code == 200


def test_once_someone_exists_the_answer_is_kept_for_the_process(client, empty, owner):
    assert client.get(reverse("login")).status_code == 200
    assert first_run._someone_exists is True
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("login")).status_code == 200
    assert not any("organizations_user" in q["sql"] for q in queries.captured_queries)


# ---- creating organizations -----------------------------------------------------------------------


@pytest.fixture
def created_events():
    seen = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe("organization.created")(handler)
    yield seen
    events._handlers["organization.created"].remove(handler)


def test_a_member_creates_another_organization_from_the_switcher(client, owner, login, created_events):
    login(owner)
    home = client.get(reverse("home")).content.decode()
    assert "New organization…" in home and reverse("organization_create") in home
    assert client.get(reverse("organization_create")).status_code == 200
    response = client.post(reverse("organization_create"), {"name": "Side Project", "slug": ""})
    assert response.status_code == 302
    org = Organization.objects.get(name="Side Project")
    assert org.slug == "side-project"
    assert Membership.objects.for_org(org).get(user=owner.user).role == Role.OWNER
    assert client.session[SESSION_KEY] == org.pk  # switched to it
    assert "Side Project" in client.get(reverse("home")).content.decode()
    event = created_events[-1]
    assert event["organization"] == org and event["actor"].user == owner.user
    assert event["actor"].role == Role.OWNER
    assert AuditEvent.objects.for_org(org).filter(action="organization.create").exists()


def test_a_taken_or_malformed_short_name_is_refused_beside_the_field(client, owner, login):
    login(owner)
    taken = owner.organization.slug
    response = client.post(reverse("organization_create"), {"name": "Copy", "slug": taken})
    assert response.status_code == 422
    assert "taken" in response.context["form"].errors["slug"][0]
    response = client.post(reverse("organization_create"), {"name": "", "slug": "x"})
    assert response.status_code == 422
    assert Organization.objects.count() == 1


def test_a_person_in_no_organization_can_start_one(client):
    user = make_user("Lone Person")
    assert client.login(email=user.email, password=PASSWORD)
    page = client.get(reverse("home"))
    assert page.status_code == 403
    text = page.content.decode()
    assert "Create an organization" in text and "invite" in text
    response = client.post(reverse("organization_create"), {"name": "My Own", "slug": "my-own"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert Membership.objects.for_org(Organization.objects.get(slug="my-own")).get().user == user


def test_the_setting_turns_organization_creation_off(client, owner, login, settings):
    settings.CHARTER_ALLOW_ORGANIZATION_CREATE = False
    login(owner)
    assert "New organization…" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("organization_create")).status_code == 403
    assert client.post(reverse("organization_create"), {"name": "Nope"}).status_code == 403
    assert not Organization.objects.filter(name="Nope").exists()

    stranger = make_user()
    client.logout()
    assert client.login(email=stranger.email, password=PASSWORD)
    assert "Create an organization" not in client.get(reverse("home")).content.decode()


def test_organization_create_keeps_its_old_call_for_the_importer_and_the_demo(owner):
    from charter.organizations.services import organization_create

    org, actor = organization_create(name=owner.organization.name, owner=owner.user)
    assert org.slug == f"{owner.organization.slug}-2" and actor.role == Role.OWNER
