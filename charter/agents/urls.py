from django.urls import path

from . import views

urlpatterns = [
    path("agents/", views.agent_list, name="agent_list"),
    path("agents/new/", views.agent_create, name="agent_create"),
    path("agents/<int:agent_id>/", views.agent_detail, name="agent_detail"),
    path("agents/<int:agent_id>/edit/", views.agent_edit, name="agent_edit"),
    path("agents/<int:agent_id>/deactivate/", views.agent_deactivate, name="agent_deactivate"),
    path("agents/<int:agent_id>/tokens/", views.agent_token_create, name="agent_token_create"),
    path(
        "agents/<int:agent_id>/tokens/<int:token_id>/revoke/",
        views.agent_token_revoke,
        name="agent_token_revoke",
    ),
    path("goals/<int:goal_id>/brief/", views.goal_brief, name="goal_brief"),
]
