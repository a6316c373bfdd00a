"""Routes of cycle reviews."""

from django.urls import path

from . import views

urlpatterns = [
    path("reviews/", views.review_home, name="review_home"),
    path("reviews/<int:review_id>/", views.review_detail, name="review_detail"),
    path("cycles/<int:cycle_id>/review/", views.cycle_review, name="cycle_review"),
    path(
        "cycles/<int:cycle_id>/teams/<int:team_id>/retrospective/",
        views.review_retrospective,
        name="review_retrospective",
    ),
    path("goals/<int:goal_id>/grade/", views.goal_grade, name="goal_grade"),
    path("goals/<int:goal_id>/adapt/", views.goal_adapt, name="goal_adapt"),
]
