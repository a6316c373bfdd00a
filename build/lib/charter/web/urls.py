"""Routes of the pages that bring the domains together."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("welcome/", views.guide, name="guide"),
    path("help/", views.help_index, name="help"),
]
