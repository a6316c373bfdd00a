"""Routes of the lessons pages (under the help)."""

from django.urls import path

from . import views

urlpatterns = [
    path("help/lessons/", views.lesson_list, name="lesson_list"),
    path("help/lessons/progress/", views.lesson_progress, name="lesson_progress"),
    path("help/lessons/<slug:key>/", views.lesson_detail, name="lesson_detail"),
    path("help/lessons/<slug:key>/start/", views.lesson_start, name="lesson_start"),
    path("help/lessons/<slug:key>/check/", views.lesson_check, name="lesson_check"),
]
