"""The search app."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across articles, products and heritage records, on Elasticsearch or the database."""

    name = "search"
    label = "search"
