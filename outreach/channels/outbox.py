"""The outbox channel: sends nothing. The message stays in the outbox, viewable in the admin,
so a laptop without any provider shows what would have been sent."""

from outreach.channels.base import Outgoing, Sent


class OutboxChannel:
    """Takes every message and keeps it where it is."""

    def send(self, message: Outgoing) -> Sent:
        """Accept ``message``; the outbox row is its record."""
        return Sent(provider_id=f"outbox:{message.key}")
