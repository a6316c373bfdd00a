"""The account page: name, email (with the password), time zone, sign out everywhere."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from charter.core.models import AuditEvent
from charter.organizations.models import ApiToken, User
from charter.organizations.services import token_create
from charter.organizations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_user_menu_links_the_account_page(client, owner, login):
    login(owner)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("account")}"' in html
    page = client.get(reverse("account"))
    assert page.status_code == 200
    assert f'href="{reverse("password_change")}"' in page.content.decode()


def test_name_is_saved_and_audited(client, owner, login):
    login(owner)
    response = client.post(reverse("account"), {"full_name": "  Ada Lovelace ", "time_zone": ""})
    assert response.status_code == 302
    assert User.objects.get(pk=owner.user.pk).full_name == "Ada Lovelace"
    event = AuditEvent.objects.for_org(owner.organization).get(action="user.profile_update")
    assert event.changes["full_name"][1] == "Ada Lovelace"


def test_an_empty_name_and_an_unknown_zone_are_refused_beside_their_fields(client, owner, login):
    login(owner)
    response = client.post(reverse("account"), {"full_name": " ", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    errors = response.context["profile_form"].errors
    assert "full_name" in errors and "time_zone" in errors


def test_email_change_needs_the_current_password(client, owner, login):
    login(owner)
    wrong = client.post(reverse("account_email"), {"email": "new@example.org", "password": "not-it"})
    assert wrong.status_code == 422
    assert wrong.context["email_form"].errors["password"] == ["This is not your current password."]
    right = client.post(reverse("account_email"), {"email": "New@Example.org", "password": PASSWORD})
    assert right.status_code == 302
    assert User.objects.get(pk=owner.user.pk).email == "new@example.org"
    assert Client().login(email="new@example.org", password=PASSWORD)
    assert AuditEvent.objects.for_org(owner.organization).filter(action="user.email_change").exists()


def test_email_must_be_unique(client, owner, other_owner, login):
    login(owner)
    taken = other_owner.user.email.upper()
    response = client.post(reverse("account_email"), {"email": taken, "password": PASSWORD})
    assert response.context["email_form"].errors["email"] == [
        "Another account already signs in with this address."
    ]


def test_time_zone_changes_how_a_page_shows_a_time(client, owner, login):
    token, _ = token_create(actor=owner, name="ci")
    at = dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC)
    ApiToken.objects.for_org(owner.organization).filter(pk=token.pk).update(created_at=at)
    login(owner)
    html = client.get(reverse("token_list")).content.decode()
    assert "2026-01-15T23:30:00+00:00" in html
    client.post(reverse("account"), {"full_name": owner.user.full_name, "time_zone": "Asia/Tokyo"})
    assert User.objects.get(pk=owner.user.pk).time_zone == "Asia/Tokyo"
    html = client.get(reverse("token_list")).content.decode()
    assert "2026-01-16T08:30:00+09:00" in html and ">2026-01-16<" in html and "2026-01-15" not in html


def test_the_time_zone_costs_no_query(client, owner, login, django_assert_max_num_queries):
    """The zone is a column of the user row the session already reads."""
    login(owner)
    client.get(reverse("account"))
    baseline = _queries(client, reverse("help"))
    User.objects.filter(pk=owner.user.pk).update(time_zone="Europe/Paris")
    assert _queries(client, reverse("help")) == baseline


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_sign_out_everywhere_ends_another_clients_session_and_keeps_this_one(client, owner, login):
    other = Client()
    assert other.login(email=owner.user.email, password=PASSWORD)
    assert other.get(reverse("home")).status_code == 200
    login(owner)
    response = client.post(reverse("account_sign_out_everywhere"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    ended = other.get(reverse("home"))
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.for_org(owner.organization).filter(action="user.sign_out_everywhere").exists()
    # A new sign-in works as before.
    assert Client().login(email=owner.user.email, password=PASSWORD)


def test_existing_sessions_survive_the_upgrade(owner):
    """Generation 0 keeps Django's own session hash, so deploying this signs nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    user = User.objects.get(pk=owner.user.pk)
    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)
    user.session_generation = 1
    assert user.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(user)


def test_the_account_pages_fields_have_ids_of_their_own(client, owner, login):
    """Three forms on the page take a password: each field keeps its own id (and so its own label)."""
    import re

    User.objects.filter(pk=owner.user.pk).update(two_factor=True)  # every form of the page shows
    login(owner)
    html = client.get(reverse("account")).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for field_id in ("email_password", "codes_password", "off_password", "off_code"):
        assert f'for="{field_id}"' in html
