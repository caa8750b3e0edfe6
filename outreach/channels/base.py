"""What every channel's sender takes, answers and raises.

A sender sends one message and says what the provider called it; it raises
``TemporaryFailure`` for what may work later (a timeout, a 5xx, throttling, a lost bind) and
``PermanentFailure`` for what never will (an address that does not exist). Delivery
(``outreach.delivery``) decides about retries; a sender never sleeps or loops.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Outgoing:
    """One message as a channel sends it."""

    key: str
    """Unique per message; given to providers that honour an idempotency key."""
    to: str
    language: str
    text: str
    subject: str = ""
    html: str = ""
    link: str = ""
    unsubscribe_url: str = ""
    urgent: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    """What a channel needs beyond the address: a push subscription's keys."""


@dataclass(frozen=True)
class Sent:
    """The provider took the message: its id for the message."""

    provider_id: str
    part_ids: tuple[str, ...] = ()
    """Each part's id where the provider answers per part (SMPP) and sends a receipt per part."""


class TemporaryFailure(Exception):
    """Sending failed in a way that may work later: try again after a while."""


class PermanentFailure(Exception):
    """Sending can never work; ``gone`` when the address itself no longer exists."""

    def __init__(self, reason: str, *, gone: bool = False) -> None:
        super().__init__(reason)
        self.gone = gone


class Sender(Protocol):
    """A channel's way out."""

    def send(self, message: Outgoing) -> Sent:
        """Hand ``message`` to the provider, or raise a ``…Failure``."""
        ...


def sender_for(channel: str) -> Sender:
    """The sender configured for ``channel`` (``BANLANG_OUTREACH["CHANNELS"]``)."""
    sender: Sender = import_string(settings.BANLANG_OUTREACH["CHANNELS"][channel])()
    return sender
