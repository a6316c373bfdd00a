"""Routes of the pulse pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("pulse/", views.pulse_home, name="pulse_home"),
    path("pulse/surveys/new/", views.survey_create, name="survey_create"),
    path("pulse/surveys/<int:survey_id>/", views.survey_results, name="survey_results"),
    path(
        "pulse/surveys/<int:survey_id>/teams/<int:team_id>/", views.survey_results, name="survey_team_results"
    ),
    path("pulse/surveys/<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("pulse/surveys/<int:survey_id>/rounds/open/", views.round_open, name="round_open"),
    path("pulse/rounds/<int:round_id>/", views.round_answer, name="round_answer"),
]
