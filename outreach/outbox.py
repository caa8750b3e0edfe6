"""Putting messages in the outbox; ``outreach.tasks`` sends them once the transaction commits."""

from outreach.models import Contact, Message
from outreach.models.messages import MessageKind
from outreach.tasks import enqueue_delivery


def queue_message(
    contact: Contact,
    kind: MessageKind,
    *,
    language: str,
    text: str,
    subject: str = "",
    html: str = "",
    link: str = "",
    unsubscribe_url: str = "",
    urgent: bool = False,
) -> Message:
    """Put a message to ``contact`` in the outbox, to be sent after the commit."""
    message = Message.objects.create(
        contact=contact,
        channel=contact.channel,
        kind=kind,
        language=language,
        subject=subject,
        text=text,
        html=html,
        link=link,
        unsubscribe_url=unsubscribe_url,
        urgent=urgent,
    )
    enqueue_delivery(message.pk)
    return message
