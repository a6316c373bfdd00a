"""`StyledForm`, the base of every Charter form, and its own field messages in the field's words.

"This field is required." says neither what nor where; `CharterMessages` gives every field of a form a
message built from its label and limits ("A goal needs a title.", "Keep the title to 200 characters or
fewer (it has 231)."). A message a field sets itself is kept.
"""

from django import forms
from django.forms.utils import pretty_name


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _stock(field: forms.Field, code: str) -> str | None:
    """Django's own message for `code` on this kind of field (None when it has none)."""
    for klass in type(field).__mro__:
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            return str(message)
    return None


def _needed(field: forms.Field, the_words: str) -> str:
    """A required field left empty, in a form that makes nothing in particular ("Fill in your name.")."""
    verb = "Choose" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "Fill in"
    return f"{verb} {the_words}."


def field_messages(field: forms.Field, name: str, subject: str) -> dict[str, str]:
    """Charter's messages for one field, by error code; `subject` is what the form makes ("goal")."""
    label = str(field.label or pretty_name(name))
    words = label[:1].lower() + label[1:] if not label[1:2].isupper() else label  # "Title" -> "title"
    own = words.startswith("your ")  # "Your name": the person's own, not "the your name"
    the_words = words if own else f"the {words}"
    the = the_words[:1].upper() + the_words[1:]
    one = the_words if own else f"{_article(words)} {words}"
    messages = {
        "required": f"{_article(subject).capitalize()} {subject} needs {_article(words)} {words}."
        if subject
        else _needed(field, the_words),
        "max_length": f"Keep {the_words} to %(limit_value)d characters or fewer (it has %(show_value)d).",
        "min_length": f"{the} needs at least %(limit_value)d characters (it has %(show_value)d).",
        "min_value": f"{the} must be at least %(limit_value)s.",
        "max_value": f"{the} must be at most %(limit_value)s.",
        "invalid_choice": f"Choose {one} from the list (“%(value)s” is not one).",
    }
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField):
        messages["invalid"] = f"{the} must be a whole number, such as 7."
    elif isinstance(field, forms.FloatField | forms.DecimalField):
        messages["invalid"] = f"{the} must be a number, such as 12 or 3.5."
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{the} must be a date, such as 2027-01-31."
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"{the} must be an email address, such as ana@example.org."
    return messages


class CharterMessages:
    """A form mixin (before the form class): each field's stock messages become Charter's own, in its
    words. `subject` names what the form makes, for "A goal needs a title."."""

    subject = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            for code, message in field_messages(field, name, self.subject).items():
                current = field.error_messages.get(code)
                if current is None or str(current) == _stock(field, code):
                    field.error_messages[code] = message


def _style(widget: forms.Widget) -> None:
    """Tabler's class for the widget's kind, unless the widget sets its own."""
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        widget.attrs.setdefault("class", "form-check-input")
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        widget.attrs.setdefault("class", "form-select")
    else:
        widget.attrs.setdefault("class", "form-control")


class StyledForm(CharterMessages, forms.Form):
    """Every Charter form's base (the one: no app has its own): Tabler's classes on its widgets (a class a
    widget sets itself is kept), Charter's own messages, each invalid field marked for sighted and assistive
    users alike, a stale save's conflict shown beside each field that differs, and live validation. Errors
    from the services arrive through `add_error` too (`core.http.call_with_form`), so they mark their
    widgets in the same way."""

    conflict = ""  # set by show_conflict after a stale save

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _style(field.widget)

    def __getitem__(self, name):
        # A field added after `__init__` (one per question, per rule, per key result) is styled too: every
        # field is drawn through here.
        _style(self.fields[name].widget)
        return super().__getitem__(name)

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs.update({"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}_error"})

    def show_conflict(self, message: str, current: dict) -> None:
        """A stale save: keep what the person typed, show what is saved now beside each field that differs.

        The hidden `version` moves to the current one, so saving again (after reading) keeps the form.
        """
        self.conflict = message
        data = self.data.copy()
        data["version"] = current["version"]
        self.data = data
        for name, saved in current.items():
            if name == "version" or name not in self.fields:
                continue
            if not _same(self.cleaned_data.get(name), saved):
                self.fields[name].conflict_value = _shown(self.fields[name], saved)

    def live(self, url: str) -> "StyledForm":
        """Validate each field on the server when it changes (htmx); the page answers with the field."""
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.update(
                    {
                        "hx-post": url,
                        "hx-trigger": "change",
                        "hx-vals": '{"_validate": "1"}',
                        "hx-target": f"#field-{name}",
                        "hx-select": f"#field-{name}",
                        "hx-swap": "outerHTML",
                    }
                )
        return self


def _same(mine, saved) -> bool:
    if isinstance(mine, list | tuple) or isinstance(saved, list | tuple):
        return sorted(mine or []) == sorted(saved or [])
    if mine in (None, "") and saved in (None, ""):
        return True
    return mine == saved


def _shown(field, value) -> str:
    """A saved value as the form shows it: a choice by its label, empty as “(empty)”."""
    labels = {str(k): str(v) for k, v in getattr(field, "choices", ())}
    values = value if isinstance(value, list | tuple) else [value]
    shown = [labels.get(str(v), str(v)) for v in values if v not in (None, "")]
    return ", ".join(shown) or "(empty)"
