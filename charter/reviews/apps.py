from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "charter.reviews"
    label = "reviews"
