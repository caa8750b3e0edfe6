"""Sending the outbox: each message at most once per attempt, retried only for temporary
failures, and never to a contact that is unconfirmed or withdrawn.

A worker claims a message by moving it from ``queued`` to ``sending`` with a lease, in one
``UPDATE`` that only one worker can win. A worker that dies mid-send leaves the lease to run
out; the message is then claimed again and sent with the same key, which providers that honour
idempotency keys use to drop the copy.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from outreach import lifecycle, sms_incoming
from outreach.channels.base import Outgoing, PermanentFailure, TemporaryFailure, sender_for
from outreach.models import Channel, Message, MessagePart, MessageState, Suppression
from outreach.models.messages import MessageKind

logger = logging.getLogger(__name__)

STATE_ORDER = {
    MessageState.QUEUED: 0,
    MessageState.SENDING: 1,
    MessageState.SENT: 2,
    MessageState.DELIVERED: 3,
    MessageState.FAILED: 3,
    MessageState.EXPIRED: 3,
}
"""How far each state is along: a message never moves back, except ``sending`` to ``queued``
when a try failed for now."""


def _limits() -> dict[str, int]:
    return settings.BANLANG_OUTREACH


def claim(message_pk: int) -> Message | None:
    """Take message ``message_pk`` for sending, if it is due and no live worker holds it."""
    now = timezone.now()
    due = Q(state=MessageState.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(state=MessageState.SENDING, lease_until__lt=now)
    won = Message.objects.filter(due | abandoned, pk=message_pk).update(
        state=MessageState.SENDING,
        lease_until=now + datetime.timedelta(seconds=_limits()["LEASE_SECONDS"]),
        attempts=F("attempts") + 1,
    )
    if not won:
        return None
    return Message.objects.select_related("contact").get(pk=message_pk)


def _finish(message: Message, state: MessageState, **fields: object) -> None:
    """Move ``message`` from ``sending`` to ``state``, unless a receipt already moved it on."""
    Message.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
        state=state, lease_until=None, **fields
    )


def refusal(message: Message) -> str:
    """Why ``message`` may not be sent at all, or an empty string."""
    contact = message.contact
    if contact is None:
        return "The contact was erased."
    if message.kind == MessageKind.CONFIRMATION:
        # Asked for by whoever filled in the form: the one way back for someone who withdrew.
        return ""
    if not contact.is_confirmed:
        return "The contact is not confirmed."
    if Suppression.objects.filter(
        channel=contact.channel, address_hash=contact.address_hash
    ).exists():
        return "The contact withdrew."
    return ""


def outgoing(message: Message) -> Outgoing:
    """What the channel is handed for ``message``."""
    assert message.contact is not None
    return Outgoing(
        key=str(message.key),
        to=message.contact.address,
        language=message.language,
        text=message.text,
        subject=message.subject,
        html=message.html,
        link=message.link,
        unsubscribe_url=message.unsubscribe_url,
        urgent=message.urgent,
        details=message.contact.details,
    )


@dataclass(frozen=True)
class Outcome:
    """What one try did: the state it left the message in, and when to try again."""

    state: MessageState | None
    """``None`` when the message was not due or another worker held it."""
    retry_in: int = 0
    """Seconds until the next try, for a temporary failure."""


def deliver(message_pk: int) -> Outcome:
    """Send message ``message_pk`` once, if it is due."""
    message = claim(message_pk)
    if message is None:
        return Outcome(None)
    if reason := refusal(message):
        _finish(message, MessageState.FAILED, error=reason)
        return Outcome(MessageState.FAILED)
    try:
        sent = sender_for(message.channel).send(outgoing(message))
    except TemporaryFailure as failure:
        if message.attempts >= _limits()["SEND_ATTEMPTS"]:
            _finish(message, MessageState.FAILED, error=f"Gave up: {failure}"[:500])
            return Outcome(MessageState.FAILED)
        delay = _limits()["RETRY_DELAY_SECONDS"] * 2 ** (message.attempts - 1)
        _finish(
            message,
            MessageState.QUEUED,
            error=str(failure)[:500],
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
        )
        logger.warning("Message %s: %s; trying again in %s s", message.pk, failure, delay)
        return Outcome(MessageState.QUEUED, retry_in=delay)
    except PermanentFailure as failure:
        _finish(message, MessageState.FAILED, error=str(failure)[:500])
        if failure.gone and message.channel == Channel.PUSH and message.contact is not None:
            lifecycle.drop(message.contact)
        return Outcome(MessageState.FAILED)
    _finish(message, MessageState.SENT, provider_id=sent.provider_id, sent_at=timezone.now())
    MessagePart.objects.bulk_create(
        MessagePart(message=message, number=number, provider_id=part_id)
        for number, part_id in enumerate(sent.part_ids, start=1)
    )
    if message.channel == Channel.SMS:
        sms_incoming.drain()
    return Outcome(MessageState.SENT)
