from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "charter.discussion"
    label = "discussion"
