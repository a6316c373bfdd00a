"""Charter's own field messages replace Django's stock ones, in the field's words, on every form that uses
`CharterMessages` (goals, key results, check-ins, cycles, the mission); a field's own message stays."""
# ruff: noqa: E501  (one case a line)

import pytest
from django import forms

from charter.core.forms import CharterMessages
from charter.goals.forms import CheckInForm, CycleForm, GoalForm, KeyResultForm, NewCycleForm
from charter.mission.forms import MissionForm, ValueForm

STOCK = (
    "This field is required.",
    "Ensure this value has at most",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a valid date.",
    "Select a valid choice.",
    "Ensure this value is greater than",
)


class Thing(CharterMessages, forms.Form):
    subject = "thing"
    title = forms.CharField(max_length=5)
    count = forms.IntegerField(min_value=1, max_value=9)
    own = forms.CharField(error_messages={"required": "Mine."})


def test_messages_come_from_the_field_label_and_limits():
    form = Thing({"title": "abcdefg", "count": "x"})
    assert not form.is_valid()
    assert form.errors == {
        "title": ["Keep the title to 5 characters or fewer (it has 7)."],
        "count": ["The count must be a whole number, such as 7."],
        "own": ["Mine."],
    }
    assert Thing({"count": "0"}).errors["count"] == ["The count must be at least 1."]
    assert Thing({"count": "10"}).errors["count"] == ["The count must be at most 9."]


@pytest.mark.parametrize(
    ("form", "data", "expected"),
    [
        (GoalForm, {"title": "x" * 231}, {"title": "Keep the title to 200 characters or fewer (it has 231)."}),
        (GoalForm, {}, {"title": "A goal needs a title.", "owner_id": "A goal needs an accountable person."}),
        (KeyResultForm, {"title": "", "start": "lots"}, {"title": "A key result needs a title.",
                                                          "start": "The start must be a number, such as 12 or 3.5."}),
        (CheckInForm, {"value": "1", "confidence": "4.5"}, {"confidence": "Confidence is a whole number from 0 to 10."}),
        (CycleForm, {"ends_on": "soon"}, {"name": "A cycle needs a name.",
                                          "ends_on": "The end date must be a date, such as 2027-01-31."}),
        (NewCycleForm, {"new_cycle-name": "x" * 81}, {"name": "Keep the cycle name to 80 characters or fewer (it has 81)."}),
        (MissionForm, {}, {"statement": "The mission needs a statement: why the organization exists."}),
        (ValueForm, {"name": "x" * 81}, {"name": "Keep the name to 80 characters or fewer (it has 81)."}),
    ],
)  # fmt: skip
def test_charters_forms_speak_in_their_fields_words(form, data, expected):
    bound = form(data)
    bound.is_valid()
    for name, message in expected.items():
        assert bound.errors[name] == [message]
    for messages in bound.errors.values():
        assert not any(stock in m for m in messages for stock in STOCK), messages
