from django.urls import path

from . import views

urlpatterns = [
    path("mission/", views.mission, name="mission"),
    path("mission/edit/", views.mission_edit, name="mission_edit"),
]
