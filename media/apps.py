"""The media app."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    """Media processing: audio, video and image renditions that are small and safe for phones."""

    name = "media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        """Process uploads in the background as they arrive."""
        from media import signal_handlers

        signal_handlers.register()
