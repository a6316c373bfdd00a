"""Routes of Slack's requests and of the Slack settings page."""

from django.urls import path

from . import views

urlpatterns = [
    path("slack/commands/", views.commands, name="slack_commands"),
    path("slack/interactions/", views.interactions, name="slack_interactions"),
    path("settings/slack/", views.slack_settings, name="slack_settings"),
]
