"""The senders' loop: batches claimed in order, a dead sender's messages taken up again, what
is not due left alone, and each channel kept under its cap across senders."""

import datetime

import pytest
from django.utils import timezone

from outreach import delivery, throughput
from outreach.channels.base import Sent
from outreach.models import Channel, Message, MessageState
from outreach.models.messages import MessageKind
from tests.outreach.factories import make_subscriber

pytestmark = pytest.mark.usefixtures("outbox_channels")


@pytest.fixture
def contacts(dak_lak):
    """Twelve confirmed SMS contacts and twelve e-mail ones."""
    for number in range(12):
        make_subscriber(number, province=dak_lak)
    return dak_lak


def queue(channel: str, count: int, **fields) -> list[Message]:
    """``count`` bulletin messages on ``channel``, one per contact, oldest first."""
    contacts = list(
        Message._meta.get_field("contact").related_model.objects.filter(channel=channel)
    )
    return [
        Message.objects.create(
            contact=contact,
            channel=channel,
            kind=MessageKind.BULLETIN,
            language="vi",
            text=f"Tin {number}",
            **fields,
        )
        for number, contact in enumerate(contacts[:count])
    ]


def capped(settings, **rates: int) -> None:
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "RATE_PER_SECOND": {**settings.BANLANG_OUTREACH["RATE_PER_SECOND"], **rates},
    }


def test_a_batch_takes_abandoned_messages_then_urgent_ones_then_the_oldest_due(contacts):
    now = timezone.now()
    ordinary = queue(Channel.SMS, 4)
    Message.objects.filter(pk=ordinary[0].pk).update(due_at=now - datetime.timedelta(hours=1))
    Message.objects.filter(pk=ordinary[3].pk).update(due_at=now + datetime.timedelta(hours=1))
    Message.objects.filter(pk=ordinary[2].pk).update(urgent=True)
    Message.objects.filter(pk=ordinary[1].pk).update(
        state=MessageState.SENDING, lease_until=now - datetime.timedelta(seconds=1)
    )
    batch = delivery.claim_batch(Channel.SMS, 10)
    assert [message.pk for message in batch] == [ordinary[2].pk, ordinary[0].pk, ordinary[1].pk]
    assert {message.lease_token for message in batch} == {batch[0].lease_token}
    assert delivery.claim_batch(Channel.SMS, 10) == []  # the rest is held or not due


def test_a_batch_is_limited_and_keeps_to_its_channel(contacts):
    queue(Channel.SMS, 5)
    emails = queue(Channel.EMAIL, 3)
    first = delivery.claim_batch(Channel.SMS, 3)
    second = delivery.claim_batch(Channel.SMS, 3)
    assert (len(first), len(second)) == (3, 2)
    assert not {message.pk for message in first} & {message.pk for message in second}
    assert [message.pk for message in delivery.claim_batch(Channel.EMAIL, 9)] == [
        message.pk for message in emails
    ]


def test_a_lease_another_sender_took_over_is_not_renewed(contacts):
    queue(Channel.SMS, 2)
    batch = delivery.claim_batch(Channel.SMS, 5)
    Message.objects.filter(pk=batch[0].pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    (taken,) = delivery.claim_batch(Channel.SMS, 5)
    assert taken.pk == batch[0].pk
    assert [message.pk for message in delivery.renew(batch)] == [batch[1].pk]


def test_sending_what_is_due_sends_every_due_message_once_and_leaves_the_rest(contacts):
    later = timezone.now() + datetime.timedelta(hours=8)
    due = queue(Channel.SMS, 6) + queue(Channel.EMAIL, 5)
    held = Message.objects.filter(pk=due.pop().pk)
    held.update(due_at=later)
    dead = Message.objects.filter(pk=due[0].pk)
    dead.update(state=MessageState.SENDING, lease_until=timezone.now(), attempts=1)
    assert delivery.send_due() == 10
    assert Message.objects.filter(state=MessageState.SENT).count() == 10
    assert dead.get().attempts == 2
    assert held.get().state == MessageState.QUEUED
    assert delivery.next_due() == later
    assert delivery.send_due() == 0


def test_a_channels_cap_is_shared_by_every_sender_in_the_second(settings, db):
    capped(settings, sms=5)
    throughput.wait_for_next_second()  # all of it within one second
    first = throughput.reserve(Channel.SMS, 3)
    second = throughput.reserve(Channel.SMS, 3)
    assert (first.granted, second.granted) == (3, 2)
    assert throughput.reserve(Channel.SMS, 1).granted == 0
    throughput.give_back(first, 1)
    assert throughput.reserve(Channel.SMS, 4).granted == 2
    assert throughput.reserve(Channel.EMAIL, 400).granted == 400  # no cap on e-mail


def test_sending_keeps_each_channel_under_its_cap(settings, contacts):
    capped(settings, sms=4)
    queue(Channel.SMS, 12)
    throughput.wait_for_next_second()  # each second's sending well inside its second
    assert delivery.send_due() == 12
    per_second = {}
    for sent_at in Message.objects.values_list("sent_at", flat=True):
        per_second[int(sent_at.timestamp())] = per_second.get(int(sent_at.timestamp()), 0) + 1
    assert max(per_second.values()) == 4
    assert sum(per_second.values()) == 12


class AnswerNobodyForesaw:
    """A provider library that fails in a way its channel does not handle (a ``KeyError`` in
    its answer parsing), for subscriber 1's number."""

    def send(self, message):
        if message.to == "+84910000001":
            raise KeyError("message_id")
        return Sent(provider_id=f"ok:{message.key}")


def test_a_sender_failing_unforeseen_is_retried_later_and_the_batch_goes_on(settings, contacts):
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "CHANNELS": {
            **settings.BANLANG_OUTREACH["CHANNELS"],
            "sms": f"{__name__}.AnswerNobodyForesaw",
        },
    }
    queue(Channel.SMS, 12)
    assert delivery.send_due() == 11
    (failed,) = Message.objects.filter(state=MessageState.QUEUED)
    assert failed.contact.address == "+84910000001"
    assert failed.error == "KeyError: 'message_id'" and failed.due_at > timezone.now()


def test_a_message_its_sender_died_on_every_time_is_given_up(contacts, settings):
    (message,) = queue(Channel.SMS, 1)
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.SENDING,
        lease_until=timezone.now() - datetime.timedelta(seconds=1),
        attempts=settings.BANLANG_OUTREACH["SEND_ATTEMPTS"],
    )
    assert delivery.claim_batch(Channel.SMS, 10) == []
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and "each time" in message.error
    assert delivery.send_due() == 0
