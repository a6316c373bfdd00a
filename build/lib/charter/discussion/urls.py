"""Routes of the comment pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("comments/new/", views.comment_create, name="comment_create"),
    path("comments/people/", views.mention_people, name="mention_people"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("key-results/<int:key_result_id>/comments/", views.key_result_comments, name="key_result_comments"),
]
