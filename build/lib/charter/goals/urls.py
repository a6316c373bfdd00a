"""Routes of the goals pages."""

from django.urls import path

from . import views, views_check_in

urlpatterns = [
    path("map/", views.strategy_map, name="strategy_map"),
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal_id>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/<int:goal_id>/key-results/new/", views.key_result_create, name="key_result_create"),
    path("key-results/<int:key_result_id>/edit/", views.key_result_edit, name="key_result_edit"),
    path("key-results/<int:key_result_id>/delete/", views.key_result_delete, name="key_result_delete"),
    path(
        "key-results/<int:key_result_id>/check-ins/", views_check_in.check_in_create, name="check_in_create"
    ),
    path("check-in/", views_check_in.check_in_week, name="check_in_week"),
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:cycle_id>/edit/", views.cycle_edit, name="cycle_edit"),
]
