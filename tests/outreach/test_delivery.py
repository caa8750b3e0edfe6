"""Claiming messages: one worker wins, a dead worker's lease runs out, finished stays finished."""

import datetime

import pytest
from django.utils import timezone

from outreach import delivery
from outreach.models import Channel, Message, MessageState
from outreach.models.messages import MessageKind
from tests.outreach.test_subscribing import confirmed_subscriber

pytestmark = pytest.mark.usefixtures("outbox_channels")


@pytest.fixture
def message(ea_sup):
    sms = confirmed_subscriber(ea_sup).contacts.get(channel=Channel.SMS)
    return Message.objects.create(
        contact=sms, channel=sms.channel, kind=MessageKind.BULLETIN, language="vi", text="Tin"
    )


def test_only_one_claim_of_a_queued_message_wins(message):
    first = delivery.claim(message.pk)
    assert first is not None and first.state == MessageState.SENDING and first.attempts == 1
    assert delivery.claim(message.pk) is None


def test_a_dead_workers_message_is_claimed_again_once_its_lease_ran_out(message):
    delivery.claim(message.pk)
    Message.objects.filter(pk=message.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    again = delivery.claim(message.pk)
    assert again is not None and again.attempts == 2
    assert delivery.deliver(message.pk).state is None  # held by the second claim


def test_a_message_not_yet_due_is_left_alone(message):
    Message.objects.filter(pk=message.pk).update(
        due_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert delivery.deliver(message.pk) == delivery.Outcome(None)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 0)


@pytest.mark.parametrize("final", [MessageState.SENT, MessageState.DELIVERED, MessageState.FAILED])
def test_a_finished_message_is_never_sent_again(message, final):
    Message.objects.filter(pk=message.pk).update(state=final)
    assert delivery.deliver(message.pk) == delivery.Outcome(None)
    message.refresh_from_db()
    assert (message.state, message.attempts) == (final, 0)


def test_sending_moves_the_message_to_sent_with_the_providers_id(message):
    assert delivery.deliver(message.pk) == delivery.Outcome(MessageState.SENT)
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.provider_id == f"outbox:{message.key}"
    assert message.lease_until is None and message.sent_at is not None
