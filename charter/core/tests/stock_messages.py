"""Pieces of Django's stock field messages that no Charter form may show (`core.forms.StyledForm`)."""

STOCK = (
    "This field is required.",
    "Ensure this value has at most",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a valid date.",
    "Select a valid choice.",
    "Ensure this value is greater than",
)
