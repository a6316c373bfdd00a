"""Password reset by email: link, single use, same answer for unknown addresses, throttling."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from charter.core.models import AuditEvent
from charter.organizations.models import User
from charter.organizations.tests.factories import PASSWORD

NEW = "a-brand-new-passphrase-9"
pytestmark = pytest.mark.django_db


def _link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_sign_in_page_offers_the_reset(client, owner):  # someone exists: no first-run setup page
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html
    assert "Forgot your password?" in html


def test_reset_end_to_end_link_followed_new_password_works_link_refused_again(client, owner, settings):
    settings.CHARTER_BASE_URL = "http://charter.example"
    response = client.post(reverse("password_reset"), {"email": owner.user.email.upper()})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.user.email]
    assert message.subject == "Set a new Charter password"
    link = _link_in(message)
    assert link.startswith("http://charter.example/password-reset/")

    # The link puts its token in the session and moves to a URL without it (no token in a Referer).
    page = client.get(_path(link), follow=True)
    assert page.status_code == 200 and page.context["validlink"]
    form_url = page.redirect_chain[-1][0]
    assert "set-password" in form_url
    weak = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert "new_password1" in weak.context["form"].errors or "new_password2" in weak.context["form"].errors
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(owner.user.pk)  # signed in
    assert AuditEvent.objects.unscoped().filter(action="user.password_reset", actor=owner.user).exists()

    fresh = Client()
    assert fresh.login(email=owner.user.email, password=NEW)
    assert not Client().login(email=owner.user.email, password=PASSWORD)

    # The same link again: refused with a clear page.
    again = Client().get(_path(link), follow=True)
    assert again.status_code == 200 and not again.context.get("validlink")
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, owner):
    known = client.post(reverse("password_reset"), {"email": owner.user.email}, follow=True)
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert len(mail.outbox) == 1


def test_an_account_without_a_password_gets_its_first_one(client, owner):
    user = User.objects.create_user("imported@example.org", None, full_name="Imported")
    assert not user.has_usable_password()
    client.post(reverse("password_reset"), {"email": "imported@example.org"})
    assert len(mail.outbox) == 1


def test_asking_too_often_answers_429(client, owner, settings):
    settings.CHARTER_PASSWORD_RESET_PER_EMAIL = 2
    for _ in range(2):
        assert client.post(reverse("password_reset"), {"email": owner.user.email}).status_code == 302
    blocked = client.post(reverse("password_reset"), {"email": owner.user.email})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert "Too many reset emails" in blocked.content.decode()
    assert len(mail.outbox) == 2
    # Counted for an unknown address just the same: the limit tells nothing about accounts.
    for _ in range(2):
        client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert client.post(reverse("password_reset"), {"email": "nobody@example.org"}).status_code == 429


def test_a_person_with_two_factor_is_sent_to_sign_in_after_the_reset(client, owner):
    User.objects.filter(pk=owner.user.pk).update(two_factor=True)
    client.post(reverse("password_reset"), {"email": owner.user.email})
    page = client.get(_path(_link_in(mail.outbox[0])), follow=True)
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_a_forged_link_is_refused(client, owner):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "abc-def"]))
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()
