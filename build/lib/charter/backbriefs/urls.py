"""Routes of the back-brief pages and actions."""

from django.urls import path

from . import views

urlpatterns = [
    path("back-briefs/", views.back_brief_list, name="back_brief_list"),
    path("back-briefs/<int:back_brief_id>/submit/", views.back_brief_submit, name="back_brief_submit"),
    path("back-briefs/<int:back_brief_id>/confirm/", views.back_brief_confirm, name="back_brief_confirm"),
    path("back-briefs/<int:back_brief_id>/clarify/", views.back_brief_clarify, name="back_brief_clarify"),
]
