"""Charter's own field messages replace Django's stock ones, in the field's words; a field's own message
stays (the goals and mission forms that use them: `goals/tests/test_form_messages.py`). Every form is built
on the one base, `StyledForm`, which styles each field and marks the invalid ones."""

from importlib import import_module
from importlib.util import find_spec

from django import forms
from django.apps import apps

from charter.core.forms import CharterMessages, StyledForm


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


class Styled(StyledForm):
    name = forms.CharField()
    done = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("a", "A")])
    note = forms.CharField(widget=forms.Textarea(attrs={"class": "form-control font-monospace"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.BooleanField(required=False)  # as forms built per question or rule


def test_one_base_styles_every_field_and_marks_the_invalid_ones():
    form = Styled({"kind": "z"})
    assert not form.is_valid()
    html = {name: str(form[name]) for name in form.fields}
    assert 'class="form-control is-invalid"' in html["name"] and 'aria-invalid="true"' in html["name"]
    assert f'aria-describedby="{form["name"].auto_id}_error"' in html["name"]
    assert 'class="form-check-input"' in html["done"] and "aria-invalid" not in html["done"]
    assert 'class="form-select is-invalid"' in html["kind"]
    assert 'class="form-control font-monospace is-invalid"' in html["note"]  # its own class stays
    assert 'class="form-check-input"' in html["later"]  # added after __init__: styled all the same


def test_every_form_of_every_app_is_built_on_the_one_base():
    """No app keeps a form base or a styling loop of its own: every form class of an app's `forms`
    module is a `core.forms.StyledForm` (a mixin of fields for one may stay a plain form)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("charter.") or not find_spec(f"{config.name}.forms"):
            continue
        module = import_module(f"{config.name}.forms")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
                assert name.startswith("_") or issubclass(value, StyledForm), f"{module.__name__}.{name}"
    assert len(found) > 30
