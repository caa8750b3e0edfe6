"""The outreach app."""

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Outreach: subscriptions, bulletins and residents' feedback."""

    name = "outreach"
    label = "outreach"
