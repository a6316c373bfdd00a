"""Organization, people, teams and token pages. The team page itself lives in charter.web; signing in,
signing out and the password pages are routed by charter.accounts (which wraps the views here)."""

from django.urls import path, re_path

from . import views
from .invitations import TOKEN_PATTERN

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path(
        "organizations/<int:organization_id>/switch/", views.organization_switch, name="organization_switch"
    ),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("settings/", views.organization_settings, name="organization_settings"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/options/", views.team_options, name="team_options"),
    path("people/options/", views.person_options, name="person_options"),
    path("teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:team_id>/members/", views.team_member_add, name="team_member_add"),
    path(
        "teams/<int:team_id>/members/<int:user_id>/remove/",
        views.team_member_remove,
        name="team_member_remove",
    ),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:user_id>/edit/", views.person_edit, name="person_edit"),
    path("people/invitations/", views.invitation_create, name="invitation_create"),
    path("people/invitations/<int:invitation_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("people/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    # The token is the invitation's only credential: a positional group, like a data source's push URL.
    re_path(rf"^invitations/({TOKEN_PATTERN})/$", views.invitation_accept, name="invitation_accept"),
    # Public, named by the organization's slug (not an id): only one with a sign-up domain answers.
    re_path(r"^join/([-a-z0-9]{1,60})/$", views.signup, name="signup"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
