from django.urls import path

from . import views

urlpatterns = [
    path("calendar/<str:feed_token>.ics", views.calendar_feed, name="calendar_feed"),
    path("account/calendar/", views.calendar_settings, name="calendar_settings"),
    path("account/calendar/new/", views.calendar_rotate, name="calendar_rotate"),
    path("account/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
]
