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
from outreach.models.loudspeakers import (
    LoudspeakerCluster,
    PlayOutcome,
    PlayReport,
    Programme,
    ProgrammeItem,
    ProgrammeState,
)
from outreach.models.messages import (
    ChannelWindow,
    Message,
    MessagePart,
    MessageState,
    ProviderToken,
)
from outreach.models.reach import PageViews
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
    "LoudspeakerCluster",
    "Message",
    "MessagePart",
    "MessageState",
    "Office",
    "PageViews",
    "PlayOutcome",
    "PlayReport",
    "Programme",
    "ProgrammeItem",
    "ProgrammeState",
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
