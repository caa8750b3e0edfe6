"""Open data files, the same in every language; ``cms.urls`` includes them at ``open-data/``
(the page, under each language's prefix, is ``outreach.open_data_page_urls``)."""

from django.urls import path

from outreach import open_data_views

app_name = "open_data_files"

urlpatterns = [
    path("catalog.jsonld", open_data_views.catalogue, name="catalog"),
    path("<slug:name>.csv", open_data_views.data_csv, name="csv"),
    path("<slug:name>/datapackage.json", open_data_views.data_package, name="package"),
]
