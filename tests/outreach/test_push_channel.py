"""Web push against a local push service that checks VAPID and decrypts the payload."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from outreach.contacts import contact_hash
from outreach.models import Channel, Contact, Message, MessageState, Subscriber
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message
from tests.outreach.push_service import push_service


@pytest.fixture
def vapid(settings, capsys):
    call_command("vapid_keys")
    keys = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "CHANNELS": {
            **settings.BANLANG_OUTREACH["CHANNELS"],
            "push": "outreach.channels.push.PushChannel",
        },
        "PUSH": {
            **settings.BANLANG_OUTREACH["PUSH"],
            "VAPID_PRIVATE_KEY": keys["OUTREACH_VAPID_PRIVATE_KEY"],
            "VAPID_PUBLIC_KEY": keys["OUTREACH_VAPID_PUBLIC_KEY"],
        },
        "RETRY_DELAY_SECONDS": 0,
    }
    return keys


@pytest.fixture
def service(vapid):
    with push_service() as running:
        running.vapid_public_key = vapid["OUTREACH_VAPID_PUBLIC_KEY"]
        yield running


def push_contact(ea_sup, browser):
    subscriber = Subscriber.objects.create(language="km", province=ea_sup.parent, commune=ea_sup)
    return Contact.objects.create(
        subscriber=subscriber,
        channel=Channel.PUSH,
        address=browser.endpoint,
        address_hash=contact_hash(Channel.PUSH, browser.endpoint),
        details=browser.keys,
        confirmed_at=timezone.now(),
    )


def send(contact, capture, **fields):
    with capture(execute=True):
        message = queue_message(
            contact,
            MessageKind.BULLETIN,
            language="km",
            subject="ព័ត៌មានសុខភាព",
            text="គេងក្នុងមុងរាល់យប់",
            link="http://testserver/km/suc-khoe/",
            **fields,
        )
    message.refresh_from_db()
    return message


def test_a_push_arrives_decrypted_with_a_valid_vapid_signature(
    ea_sup, service, django_capture_on_commit_callbacks
):
    browser = service.subscribe()
    message = send(push_contact(ea_sup, browser), django_capture_on_commit_callbacks)
    assert service.refused == []
    (received,) = service.received
    assert received["payload"] == {
        "title": "ព័ត៌មានសុខភាព",
        "body": "គេងក្នុងមុងរាល់យប់",
        "url": "http://testserver/km/suc-khoe/",
        "lang": "km",
    }
    assert (received["ttl"], received["urgency"]) == ("86400", "normal")
    assert len(received["topic"]) <= 32
    assert (message.state, message.provider_id) == (MessageState.SENT, "/message/1")


def test_an_urgent_push_asks_to_wake_the_phone(ea_sup, service, django_capture_on_commit_callbacks):
    send(push_contact(ea_sup, service.subscribe()), django_capture_on_commit_callbacks, urgent=True)
    assert service.received[0]["urgency"] == "high"


def test_a_push_signed_with_another_key_is_refused_by_the_service(
    ea_sup, service, django_capture_on_commit_callbacks
):
    key = service.vapid_public_key
    service.vapid_public_key = key[:-2] + ("AA" if key[-2:] != "AA" else "BA")  # not ours
    message = send(push_contact(ea_sup, service.subscribe()), django_capture_on_commit_callbacks)
    assert service.refused == ["unknown application server key"]
    assert (message.state, message.error) == (MessageState.FAILED, "push service 401")


def test_a_subscription_the_browser_dropped_is_removed(
    ea_sup, service, django_capture_on_commit_callbacks
):
    browser = service.subscribe()
    contact = push_contact(ea_sup, browser)
    service.gone.add(browser.endpoint)
    message = send(contact, django_capture_on_commit_callbacks)
    assert (message.state, message.error) == (MessageState.FAILED, "push service 410")
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Subscriber.objects.count() == 0
    assert Message.objects.get(pk=message.pk).contact is None


def test_a_busy_push_service_is_tried_again(ea_sup, service, django_capture_on_commit_callbacks):
    browser = service.subscribe()
    service.busy.append(browser.endpoint)
    message = send(push_contact(ea_sup, browser), django_capture_on_commit_callbacks)
    assert (message.state, message.attempts) == (MessageState.SENT, 2)
    assert len(service.received) == 1
