"""The outreach app's models."""

from outreach.models.consent import ConsentMethod, ConsentRecord, Purpose, Suppression
from outreach.models.messages import Message, MessageState
from outreach.models.subscribers import Channel, Contact, Interest, Subscriber

__all__ = [
    "Channel",
    "ConsentMethod",
    "ConsentRecord",
    "Contact",
    "Interest",
    "Message",
    "MessageState",
    "Purpose",
    "Subscriber",
    "Suppression",
]
