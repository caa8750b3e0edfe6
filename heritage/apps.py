"""The heritage app."""

from django.apps import AppConfig


class HeritageConfig(AppConfig):
    """Heritage archive: festivals and customs, catalogued under cultural protocols."""

    name = "heritage"
    label = "heritage"
