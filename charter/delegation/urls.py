"""Routes of decision domains, the delegation board and decision records."""

from django.urls import path

from . import views, views_poker

CELL = "delegation/teams/<int:team_id>/domains/<int:domain_id>/"

urlpatterns = [
    path("delegation/", views.delegation_board, name="delegation_board"),
    path(CELL, views.delegation_history, name="delegation_history"),
    path(CELL + "edit/", views.delegation_edit, name="delegation_edit"),
    path(CELL + "advice/<str:kind>/accept/", views.advice_accept, name="delegation_advice_accept"),
    path(CELL + "advice/<str:kind>/dismiss/", views.advice_dismiss, name="delegation_advice_dismiss"),
    path("delegation/advice/", views.advice_list, name="delegation_advice"),
    path("delegation/advice/mine/", views.advice_mine, name="delegation_advice_mine"),
    path("delegation/advice/settings/", views.advice_settings, name="delegation_advice_settings"),
    path("teams/<int:team_id>/authority/", views.team_authority, name="team_authority"),
    path("delegation/poker/", views_poker.poker_list, name="poker_list"),
    path("delegation/poker/new/", views_poker.poker_create, name="poker_create"),
    path("delegation/poker/<int:poker_id>/", views_poker.poker_detail, name="poker_detail"),
    path("delegation/poker/<int:poker_id>/live/", views_poker.poker_live, name="poker_live"),
    path("delegation/poker/<int:poker_id>/pick/", views_poker.poker_pick, name="poker_pick"),
    path("delegation/poker/<int:poker_id>/reveal/", views_poker.poker_reveal, name="poker_reveal"),
    path(
        "delegation/poker/<int:poker_id>/domains/<int:domain_id>/level/",
        views_poker.poker_set_level,
        name="poker_set_level",
    ),
    path("domains/", views.domain_list, name="decision_domain_list"),
    path("domains/new/", views.domain_create, name="decision_domain_create"),
    path("domains/<int:domain_id>/edit/", views.domain_edit, name="decision_domain_edit"),
    path("domains/<int:domain_id>/delete/", views.domain_delete, name="decision_domain_delete"),
    path("decisions/", views.decision_log, name="decision_log"),
    path("decisions/goals/options/", views.decision_goal_options, name="decision_goal_options"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/preview/", views.decision_preview, name="decision_preview"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:decision_id>/respond/", views.decision_respond, name="decision_respond"),
]
