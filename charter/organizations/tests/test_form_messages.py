"""The forms of setup, invitations, people and teams speak in their fields' words, like every Charter
form (`core.forms.StyledForm`), never Django's stock messages."""

import pytest

from charter.core.tests.stock_messages import STOCK
from charter.organizations.forms import InvitationForm, PersonCreateForm, SetupForm, TeamForm


@pytest.mark.parametrize(
    ("form", "data", "expected"),
    [
        (SetupForm, {}, {"full_name": "Fill in your name.", "password_again": "Fill in the password again."}),
        (SetupForm, {"email": "olga"}, {"email": "Your email must be an email address, such as ana@example.org."}),  # noqa: E501
        (InvitationForm, {}, {"emails": "Fill in the email addresses.", "role": "Choose the role."}),
        (TeamForm, {"name": "x" * 121}, {"name": "Keep the name to 120 characters or fewer (it has 121)."}),
        (PersonCreateForm, {}, {"full_name": "A person needs a name.", "email": "A person needs an email."}),
    ],
)  # fmt: skip
def test_organization_forms_speak_in_their_fields_words(form, data, expected):
    bound = form(data, teams=[]) if form in (TeamForm, PersonCreateForm) else form(data)
    bound.is_valid()
    for name, message in expected.items():
        assert bound.errors[name] == [message]
    for messages in bound.errors.values():
        assert not any(stock in m for m in messages for stock in STOCK), messages
