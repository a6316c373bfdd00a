"""HTML forms of comments; field names follow the services' arguments."""

from django import forms

from charter.core.forms import StyledForm

from .services import MAX_BODY

BODY_HELP = "Markdown works: **bold**, _italic_, lists, links. Type @ and a name to mention someone."


class CommentForm(StyledForm):
    target_type = forms.CharField(max_length=32, widget=forms.HiddenInput)
    target_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    body = forms.CharField(
        label="Comment",
        max_length=MAX_BODY,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 3, "data-mention-input": ""}),
    )


class CommentEditForm(StyledForm):
    body = forms.CharField(
        label="Comment",
        max_length=MAX_BODY,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "data-mention-input": ""}),
    )
