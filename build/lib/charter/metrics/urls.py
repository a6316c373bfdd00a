"""Routes of the metrics pages, data sources and the inbound URL sources push to."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("metrics/", views.metric_list, name="metric_list"),
    path("metrics/new/", views.metric_create, name="metric_create"),
    path("metrics/<int:metric_id>/", views.metric_detail, name="metric_detail"),
    path("metrics/<int:metric_id>/edit/", views.metric_edit, name="metric_edit"),
    path("metrics/<int:metric_id>/values/", views.metric_value_create, name="metric_value_create"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:source_id>/", views.source_detail, name="source_detail"),
    path("sources/<int:source_id>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:source_id>/pull/", views.source_pull, name="source_pull"),
    path("sources/<int:source_id>/delete/", views.source_delete, name="source_delete"),
    # Public, authenticated by the source's token alone (not an organization's object id: not swept as one).
    path("inbound/", views.inbound, name="metric_inbound"),
    re_path(r"^inbound/([A-Za-z0-9_-]{8,64})/$", views.inbound, name="metric_inbound_token"),
]
