"""The search app."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across articles, products and heritage records, on Elasticsearch or the database."""

    name = "search"
    label = "search"

    def ready(self) -> None:
        """Keep the index up to date as content is published and edited."""
        from search import signal_handlers

        signal_handlers.register()
