"""Charter's own field messages replace Django's stock ones, in the field's words; a field's own message
stays. (The goals and mission forms that use them: `goals/tests/test_form_messages.py`.)"""

from django import forms

from charter.core.forms import CharterMessages


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
