"""The goal, key result, check-in, cycle and mission forms speak in their fields' words
(`core.forms.CharterMessages`), never Django's stock messages."""
# ruff: noqa: E501  (one case a line)

import pytest

from charter.core.tests.stock_messages import STOCK
from charter.goals.forms import CheckInForm, CycleForm, GoalForm, KeyResultForm, NewCycleForm
from charter.mission.forms import MissionForm, ValueForm


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
