from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/align/", views.align_suggestions, name="search_align"),
]
