"""The media app."""

from django.apps import AppConfig


class MediaConfig(AppConfig):
    """Media processing: audio, video and image renditions that are small and safe for phones."""

    name = "media"
    label = "media"
