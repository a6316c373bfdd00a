"""The SCIM 2.0 endpoint (`scim_v2`, mounted at /scim/v2/) and the settings page of its tokens."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("settings/scim/", views.token_list, name="scim_token_list"),
    path("settings/scim/tokens/", views.token_create, name="scim_token_create"),
    path("settings/scim/tokens/<int:scim_token_id>/revoke/", views.token_revoke, name="scim_token_revoke"),
]

# Identity providers write with and without a trailing slash; both are answered (no redirect of a POST).
scim_v2 = [
    path("", views.root, name="scim_root"),
    re_path(r"^ServiceProviderConfig/?$", views.service_provider_config, name="scim_config"),
    re_path(r"^ResourceTypes/?$", views.resource_types, name="scim_resource_types"),
    re_path(r"^ResourceTypes/(?P<name>[A-Za-z]+)/?$", views.resource_type, name="scim_resource_type"),
    re_path(r"^Schemas/?$", views.schemas, name="scim_schemas"),
    re_path(r"^Schemas/(?P<urn>[A-Za-z0-9:.]+)/?$", views.schema, name="scim_schema"),
    re_path(r"^Users/?$", views.users, name="scim_users"),
    re_path(r"^Users/(?P<user_id>[^/]+)/?$", views.user, name="scim_user"),
    re_path(r"^Groups/?$", views.groups, name="scim_groups"),
    re_path(r"^Groups/(?P<team_id>[^/]+)/?$", views.group, name="scim_group"),
    re_path(r"^.+$", views.unknown, name="scim_unknown"),  # Bulk, Me, …: a SCIM 404, not an HTML page
]
