"""Routes of the insights pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("insights/", views.insights_page, name="insights"),
    path("insights/profile/", views.profile_page, name="insights_profile"),
    path("insights/report/", views.report_page, name="insights_report"),
    path("insights/report.md", views.report_markdown, name="insights_report_markdown"),
    path("insights/indicators.csv", views.indicators_csv, name="insights_csv"),
    path("insights/transition/", views.transition_page, name="insights_transition"),
]
