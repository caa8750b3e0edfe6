"""Sending the outbox: each message at most once per attempt, retried only for temporary
failures, and never to a contact that is unconfirmed or withdrawn.

A sender claims messages by moving them from ``queued`` to ``sending`` with a lease and its own
token, in one ``UPDATE`` that only one sender can win per message. A sender that dies mid-send
leaves the lease to run out; the message is then claimed again and sent with the same key,
which providers that honour idempotency keys use to drop the copy.

``send_due`` is the senders' loop: the ``send_outbox`` task runs it when a bulletin is built,
and ``manage.py send_outbox`` runs it for good, so a crashed worker's messages, retries and
messages held by the quiet hours go out when they are due.
"""

import datetime
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outreach import lifecycle, links, sms_incoming, throughput
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


def _limits() -> dict:
    return settings.BANLANG_OUTREACH


def _claimable(now: datetime.datetime) -> Q:
    """Due and waiting, or held by a sender whose lease ran out."""
    return Q(state=MessageState.QUEUED, due_at__lte=now) | Q(
        state=MessageState.SENDING, lease_until__lt=now
    )


def _take(pks: list[int], now: datetime.datetime) -> uuid.UUID:
    """Claim those of ``pks`` still claimable, under a new lease token."""
    token = uuid.uuid4()
    # A message whose sender died every time it tried (the message itself may be the cause)
    # is given up rather than tried for ever.
    Message.objects.filter(
        pk__in=pks,
        state=MessageState.SENDING,
        lease_until__lt=now,
        attempts__gte=_limits()["SEND_ATTEMPTS"],
    ).update(
        state=MessageState.FAILED,
        lease_until=None,
        error="Gave up: its sender stopped while sending it, each time.",
    )
    Message.objects.filter(_claimable(now), pk__in=pks).update(
        state=MessageState.SENDING,
        lease_until=now + datetime.timedelta(seconds=_limits()["LEASE_SECONDS"]),
        lease_token=token,
        attempts=F("attempts") + 1,
    )
    return token


def claim(message_pk: int) -> Message | None:
    """Take message ``message_pk`` for sending, if it is due and no live sender holds it."""
    token = _take([message_pk], timezone.now())
    return (
        Message.objects.select_related("contact__subscriber", "submission", "office")
        .filter(pk=message_pk, lease_token=token, state=MessageState.SENDING)
        .first()
    )


def claim_batch(channel: str, limit: int) -> list[Message]:
    """Take up to ``limit`` of ``channel``'s claimable messages: abandoned ones, then urgent
    ones, then the rest, each by when it fell due."""
    now = timezone.now()
    waiting = Message.objects.filter(channel=channel)
    with transaction.atomic():
        # PostgreSQL skips rows another sender is claiming instead of waiting for it; SQLite
        # has one writer at a time, and the UPDATE's condition keeps a row to one claim.
        pks = list(
            waiting.filter(state=MessageState.SENDING, lease_until__lt=now)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        for urgent in (True, False):
            if len(pks) < limit:
                pks += (
                    waiting.filter(state=MessageState.QUEUED, urgent=urgent, due_at__lte=now)
                    .order_by("due_at")
                    .select_for_update(skip_locked=True)
                    .values_list("pk", flat=True)[: limit - len(pks)]
                )
        if not pks:
            return []
        token = _take(pks, now)
    return list(
        Message.objects.select_related("contact__subscriber", "submission", "office")
        .filter(pk__in=pks, lease_token=token, state=MessageState.SENDING)
        .order_by("-urgent", "due_at")
    )


def renew(messages: list[Message]) -> list[Message]:
    """Extend the lease on ``messages``; those this sender still holds."""
    if not messages:
        return []
    token = messages[0].lease_token
    Message.objects.filter(
        pk__in=[message.pk for message in messages], lease_token=token, state=MessageState.SENDING
    ).update(lease_until=timezone.now() + datetime.timedelta(seconds=_limits()["LEASE_SECONDS"]))
    held = set(
        Message.objects.filter(
            pk__in=[message.pk for message in messages],
            lease_token=token,
            state=MessageState.SENDING,
        ).values_list("pk", flat=True)
    )
    return [message for message in messages if message.pk in held]


def _finish(message: Message, state: MessageState, **fields: object) -> None:
    """Move ``message`` from ``sending`` to ``state``, unless a receipt already moved it on."""
    Message.objects.filter(pk=message.pk, state=MessageState.SENDING).update(
        state=state, lease_until=None, **fields
    )


def withdrawn(messages: list[Message]) -> set[tuple[str, str]]:
    """The (channel, address hash) of those of ``messages``' contacts who withdrew."""
    hashes = {message.contact.address_hash for message in messages if message.contact}
    return set(
        Suppression.objects.filter(address_hash__in=hashes).values_list("channel", "address_hash")
    )


def refusal(message: Message, suppressed: set[tuple[str, str]]) -> str:
    """Why ``message`` may not be sent at all, or an empty string; ``suppressed`` is what
    ``withdrawn`` found for it."""
    contact = message.contact
    if message.kind == MessageKind.ANSWER:
        # Asked for, with consent, by whoever sent the question; gone once it is erased.
        submission = message.submission
        return "" if submission is not None and submission.answer_to else "The address was erased."
    if message.kind == MessageKind.REMINDER:
        office = message.office
        return "" if office is not None and office.email else "The office has no e-mail address."
    if message.kind == MessageKind.REPLY and contact is None:
        # Written back to whoever wrote in, to the address it came from, once.
        return "" if message.to else "The address was erased."
    if contact is None:
        return "The contact was erased."
    if message.kind == MessageKind.CONFIRMATION:
        # Asked for by whoever filled in the form: the one way back for someone who withdrew.
        return ""
    if not contact.is_confirmed:
        return "The contact is not confirmed."
    if (contact.channel, contact.address_hash) in suppressed:
        return "The contact withdrew."
    return ""


def outgoing(message: Message, base: str) -> Outgoing:
    """What the channel is handed for ``message``, with its reader's own links on ``base``
    (``links.site_url()``) where it carries them."""
    text, unsubscribe = links.as_sent(message, base)
    to, details = message.recipient()
    return Outgoing(
        key=str(message.key),
        to=to,
        language=message.language,
        text=text,
        subject=message.subject,
        html=message.html,
        link=message.link,
        unsubscribe_url=unsubscribe,
        urgent=message.urgent,
        details=details,
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
    return send_claimed(message, withdrawn([message]), links.site_url())


def send_claimed(message: Message, suppressed: set[tuple[str, str]], base: str) -> Outcome:
    """Send ``message``, which this sender has claimed, and record what came of it;
    ``suppressed`` is what ``withdrawn`` found for it, ``base`` the site's address."""
    if reason := refusal(message, suppressed):
        _finish(message, MessageState.FAILED, error=reason)
        return Outcome(MessageState.FAILED)
    try:
        sent = sender_for(message.channel).send(outgoing(message, base))
    except TemporaryFailure as failure:
        return _later(message, str(failure))
    except PermanentFailure as failure:
        _finish(message, MessageState.FAILED, error=str(failure)[:500])
        if failure.gone and message.channel == Channel.PUSH and message.contact is not None:
            lifecycle.drop(message.contact)
        return Outcome(MessageState.FAILED)
    except Exception as error:  # a sender's bug or an answer nobody foresaw: not the worker's end
        logger.exception("Message %s: the %s sender failed", message.pk, message.channel)
        return _later(message, f"{type(error).__name__}: {error}")
    _finish(message, MessageState.SENT, provider_id=sent.provider_id, sent_at=timezone.now())
    MessagePart.objects.bulk_create(
        MessagePart(message=message, number=number, provider_id=part_id)
        for number, part_id in enumerate(sent.part_ids, start=1)
    )
    if message.channel == Channel.SMS:
        sms_incoming.drain()
    return Outcome(MessageState.SENT)


def _later(message: Message, reason: str) -> Outcome:
    """Queue ``message`` again after a temporary failure, later by the backoff, or give it up
    after ``SEND_ATTEMPTS`` tries."""
    if message.attempts >= _limits()["SEND_ATTEMPTS"]:
        _finish(message, MessageState.FAILED, error=f"Gave up: {reason}"[:500])
        return Outcome(MessageState.FAILED)
    delay = _limits()["RETRY_DELAY_SECONDS"] * 2 ** (message.attempts - 1)
    _finish(
        message,
        MessageState.QUEUED,
        error=reason[:500],
        due_at=timezone.now() + datetime.timedelta(seconds=delay),
    )
    logger.warning("Message %s: %s; trying again in %s s", message.pk, reason, delay)
    return Outcome(MessageState.QUEUED, retry_in=delay)


def _send_batch(batch: list[Message]) -> int:
    """Send a claimed batch, renewing its lease when half of it has passed; how many went."""
    sent = 0
    renew_at = time.monotonic() + _limits()["LEASE_SECONDS"] / 2
    suppressed = withdrawn(batch)
    base = links.site_url()
    while batch:
        if time.monotonic() >= renew_at:
            batch = renew(batch)
            renew_at = time.monotonic() + _limits()["LEASE_SECONDS"] / 2
            if not batch:
                break
        message = batch.pop(0)
        if send_claimed(message, suppressed, base).state == MessageState.SENT:
            sent += 1
    return sent


def due_exists(channels: list[str] | None = None) -> bool:
    """Whether a message of ``channels`` (all by default) can be claimed now."""
    due = Message.objects.filter(_claimable(timezone.now()))
    return due.filter(channel__in=channels).exists() if channels else due.exists()


def next_due(channels: list[str] | None = None) -> datetime.datetime | None:
    """When the next waiting message of ``channels`` (all by default) falls due."""
    waiting = Message.objects.filter(state=MessageState.QUEUED)
    if channels:
        waiting = waiting.filter(channel__in=channels)
    return waiting.order_by("due_at").values_list("due_at", flat=True).first()


def send_due(*, channels: list[str] | None = None, seconds: float | None = None) -> int:
    """Send the due messages of ``channels`` (all by default), a batch per channel in turn,
    within each channel's throughput cap, until none is due or ``seconds`` have passed; how
    many were sent."""
    deadline = time.monotonic() + seconds if seconds is not None else None
    channels = channels or list(Channel.values)
    sent = 0
    while deadline is None or time.monotonic() < deadline:
        worked = capped = False
        for channel in channels:
            allowance = throughput.reserve(channel, _limits()["CLAIM_BATCH"])
            if not allowance.granted:
                capped = capped or due_exists([channel])
                continue
            batch = claim_batch(channel, allowance.granted)
            throughput.give_back(allowance, len(batch))
            worked = worked or bool(batch)
            sent += _send_batch(batch)
        if not worked:
            if not capped:
                return sent
            throughput.wait_for_next_second()
    return sent
