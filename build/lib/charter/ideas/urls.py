"""Routes of the ideas pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("ideas/", views.idea_board, name="idea_board"),
    path("ideas/list/", views.idea_list, name="idea_list"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/<int:idea_id>/", views.idea_detail, name="idea_detail"),
    path("ideas/<int:idea_id>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<int:idea_id>/move/", views.idea_move, name="idea_move"),
]
