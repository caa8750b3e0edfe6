"""The open data page, under each language's prefix; ``cms.urls`` includes it at
``<language>/open-data/`` (the files are ``outreach.open_data_urls``)."""

from django.urls import path

from outreach import open_data_views

app_name = "open_data"

urlpatterns = [path("", open_data_views.index, name="index")]
