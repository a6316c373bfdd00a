"""The calendars app: a private ICS feed per person, to subscribe to from any calendar."""

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "charter.calendars"
    label = "calendars"
