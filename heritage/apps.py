"""The heritage app."""

from django.apps import AppConfig


class HeritageConfig(AppConfig):
    """Heritage archive: festivals and customs, catalogued under cultural protocols."""

    name = "heritage"
    label = "heritage"

    def ready(self) -> None:
        """Keep the cultural officers' group and permissions in place after every migrate."""
        from heritage import signal_handlers

        signal_handlers.register()
