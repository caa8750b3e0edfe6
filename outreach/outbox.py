"""Putting a message in the outbox, and the task that sends it once the transaction commits.
(Many at once, selected by the database: ``outreach.outbox_rows``.)"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cms.languages import DEFAULT_LANGUAGE
from outreach import delivery
from outreach.models import Channel, Contact, Message, MessageState, Office, Submission
from outreach.models.messages import MessageKind


def queue_message(
    contact: Contact,
    kind: MessageKind,
    *,
    language: str,
    text: str,
    subject: str = "",
    html: str = "",
    link: str = "",
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
        urgent=urgent,
    )
    enqueue_delivery(message.pk)
    return message


def queue_answer(submission: Submission, *, text: str, subject: str, link: str) -> Message:
    """Put the answer to ``submission`` in the outbox, on the channel and to the address its
    resident chose, to be sent after the commit."""
    message = Message.objects.create(
        submission=submission,
        channel=submission.answer_channel,
        kind=MessageKind.ANSWER,
        language=submission.answer_language or submission.language,
        subject=subject,
        text=text,
        link=link,
    )
    enqueue_delivery(message.pk)
    return message


def queue_reply(channel: str, to: str, *, language: str, text: str, subject: str = "") -> Message:
    """Put a reply to someone who wrote in (whose message we could not take) in the outbox, on
    ``channel`` to the address ``to`` it came from, to be sent after the commit."""
    message = Message.objects.create(
        to=to,
        channel=channel,
        kind=MessageKind.REPLY,
        language=language,
        subject=subject,
        text=text,
    )
    enqueue_delivery(message.pk)
    return message


def queue_reminder(office: Office, *, text: str, subject: str, link: str) -> Message:
    """Put a reminder to ``office`` in the outbox, by e-mail to its own address, in
    Vietnamese, to be sent after the commit."""
    message = Message.objects.create(
        office=office,
        channel=Channel.EMAIL,
        kind=MessageKind.REMINDER,
        language=DEFAULT_LANGUAGE,
        subject=subject,
        text=text,
        link=link,
    )
    enqueue_delivery(message.pk)
    return message


@task()
def deliver_message(message_pk: int) -> str | None:
    """Send one outbox message (``outreach.delivery.deliver``); the state it was left in.

    A temporary failure queues the next try, later by the delivery's backoff.
    """
    outcome = delivery.deliver(message_pk)
    if outcome.state == MessageState.QUEUED:
        enqueue_delivery(message_pk, outcome.retry_in)
    return str(outcome.state) if outcome.state else None


def enqueue_delivery(message_pk: int, delay_seconds: int = 0) -> None:
    """Queue sending message ``message_pk`` once the current transaction commits."""

    def enqueue() -> None:
        runner = deliver_message
        if delay_seconds and runner.get_backend().supports_defer:
            runner = deliver_message.using(
                run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds)
            )
        runner.enqueue(message_pk)

    transaction.on_commit(enqueue)
