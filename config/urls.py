from django.urls import include, path

from charter.scim.urls import scim_v2

urlpatterns = [
    # First: its prefix is its own, and a request to it then skips trying every app's patterns (Django
    # lists each app's patterns as tried for a 404 page: ~0.4 ms of every API request at the end).
    path("api/v1/", include("charter.api.urls")),
    path("scim/v2/", include(scim_v2)),
    path("", include("charter.web.urls")),
    path("", include("charter.accounts.urls")),
    path("", include("charter.organizations.urls")),
    path("", include("charter.mission.urls")),
    path("", include("charter.goals.urls")),
    path("", include("charter.notifications.urls")),
    path("", include("charter.discussion.urls")),
    path("", include("charter.delegation.urls")),
    path("", include("charter.backbriefs.urls")),
    path("", include("charter.ideas.urls")),
    path("", include("charter.metrics.urls")),
    path("", include("charter.reviews.urls")),
    path("", include("charter.pulse.urls")),
    path("", include("charter.lint.urls")),
    path("", include("charter.insights.urls")),
    path("", include("charter.search.urls")),
    path("", include("charter.agents.urls")),
    path("", include("charter.lessons.urls")),
    path("", include("charter.slack.urls")),
    path("", include("charter.scim.urls")),
    path("", include("charter.calendars.urls")),
]

handler500 = "charter.core.error_pages.server_error"
