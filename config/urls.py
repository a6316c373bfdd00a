from django.urls import include, path

urlpatterns = [
    path("", include("charter.web.urls")),
    path("", include("charter.organizations.urls")),
    path("", include("charter.mission.urls")),
    path("", include("charter.goals.urls")),
    path("api/v1/", include("charter.api.urls")),
]
