"""The outreach app's models."""

from outreach.models.bulletins import Bulletin, BulletinState, BulletinText, Digest
from outreach.models.consent import ConsentMethod, ConsentRecord, Purpose, Suppression
from outreach.models.feedback import (
    Office,
    RoutingRule,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionKind,
    SubmissionState,
)
from outreach.models.messages import (
    ChannelWindow,
    Message,
    MessagePart,
    MessageState,
    ProviderToken,
)
from outreach.models.subscribers import Channel, Contact, Interest, Subscriber

__all__ = [
    "Bulletin",
    "BulletinState",
    "BulletinText",
    "Channel",
    "ChannelWindow",
    "ConsentMethod",
    "ConsentRecord",
    "Contact",
    "Digest",
    "Interest",
    "Message",
    "MessagePart",
    "MessageState",
    "Office",
    "ProviderToken",
    "Purpose",
    "RoutingRule",
    "Submission",
    "SubmissionEvent",
    "SubmissionFile",
    "SubmissionKind",
    "SubmissionState",
    "Subscriber",
    "Suppression",
]
