"""Routes of the lint pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("lint/", views.lint_page, name="lint"),
    path("lint/settings/", views.lint_settings, name="lint_settings"),
]
