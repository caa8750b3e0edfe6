"""The outreach app."""

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Outreach: subscriptions, bulletins and residents' feedback."""

    name = "outreach"
    label = "outreach"

    def ready(self) -> None:
        """Connect the reactions to published articles."""
        from outreach import signal_handlers

        signal_handlers.connect()
