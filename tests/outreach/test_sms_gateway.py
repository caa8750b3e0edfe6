"""SMS through an HTTP gateway: idempotency keys make a retry harmless; receipts come back
signed and move messages forward only."""

import json
import time

import pytest

from outreach import delivery
from outreach.api_views import signature
from outreach.models import Channel, Message, MessageState
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message
from tests.outreach.factories import make_subscriber
from tests.outreach.sms_gateway import TOKEN, sms_gateway

SECRET = "gateway-secret"


@pytest.fixture
def gateway(settings):
    with sms_gateway() as running:
        settings.BANLANG_OUTREACH = {
            **settings.BANLANG_OUTREACH,
            "CHANNELS": {
                **settings.BANLANG_OUTREACH["CHANNELS"],
                "sms": "outreach.channels.sms_gateway.SmsGatewayChannel",
            },
            "SMS_GATEWAY": {
                **settings.BANLANG_OUTREACH["SMS_GATEWAY"],
                "URL": running.url,
                "TOKEN": TOKEN,
                "CALLBACK_URL": "https://banlang.example/outreach/sms/receipts/",
            },
            "INBOUND_SMS_SECRET": SECRET,
            "RETRY_DELAY_SECONDS": 0,
        }
        yield running


@pytest.fixture
def contact(ea_sup):
    subscriber = make_subscriber(1, province=ea_sup.parent, commune=ea_sup, channels=("sms",))
    return subscriber.contacts.get()


def send(contact, capture, text="Giá cà phê hôm nay tăng"):
    with capture(execute=True):
        message = queue_message(contact, MessageKind.BULLETIN, language="vi", text=text)
    message.refresh_from_db()
    return message


def signed_receipts(client, payload):
    """POST ``payload`` to the receipts endpoint, signed as the gateway signs."""
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()))
    return client.post(
        "/outreach/sms/receipts/",
        body,
        content_type="application/json",
        HTTP_X_BANLANG_TIMESTAMP=stamp,
        HTTP_X_BANLANG_SIGNATURE=signature(SECRET, stamp, body),
    )


def receipt(client, part, status):
    return signed_receipts(client, {"id": part, "status": status})


def test_a_message_goes_with_its_key_encoding_and_parts(
    contact, gateway, django_capture_on_commit_callbacks
):
    message = send(contact, django_capture_on_commit_callbacks, text="Giá cà phê " * 10)
    (sent,) = gateway.sent
    assert sent == {
        "to": contact.address,
        "from": "BanLang",
        "text": "Giá cà phê " * 10,
        "encoding": "ucs2",
        "parts": 2,
        "callback": "https://banlang.example/outreach/sms/receipts/",
    }
    assert (message.state, message.provider_id) == (MessageState.SENT, "gw-1")
    assert list(message.parts.values_list("provider_id", flat=True)) == ["gw-1-1", "gw-1-2"]


def test_a_retry_after_a_crash_sends_nothing_twice(
    contact, gateway, django_capture_on_commit_callbacks
):
    message = send(contact, django_capture_on_commit_callbacks)
    # The worker died after the gateway took the message and before it wrote so down:
    Message.objects.filter(pk=message.pk).update(state=MessageState.QUEUED)
    message.parts.all().delete()
    assert delivery.deliver(message.pk).state == MessageState.SENT
    assert (len(gateway.sent), gateway.requests) == (1, 2)


def test_temporary_answers_are_retried_and_a_wrong_number_fails(
    contact, gateway, django_capture_on_commit_callbacks
):
    gateway.answers.extend([(429, {"error": "slow down"}), (503, {"error": "maintenance"})])
    first = send(contact, django_capture_on_commit_callbacks)
    assert (first.state, first.attempts) == (MessageState.SENT, 3)
    gateway.answers.append((422, {"error": "invalid_number"}))
    wrong = send(contact, django_capture_on_commit_callbacks, text="Tin 2")
    assert (wrong.state, wrong.attempts, wrong.error) == (
        MessageState.FAILED,
        1,
        "SMS gateway 422 invalid_number",
    )


def test_signed_receipts_deliver_when_every_part_arrived(
    client, contact, gateway, django_capture_on_commit_callbacks
):
    message = send(contact, django_capture_on_commit_callbacks, text="Giá cà phê " * 10)
    assert receipt(client, "gw-1-2", "delivered").json() == {"state": "sent"}
    assert receipt(client, "gw-1-2", "delivered").json() == {"state": "sent"}  # twice
    assert receipt(client, "gw-1-1", "delivered").json() == {"state": "delivered"}
    assert receipt(client, "gw-1-1", "failed").json() == {"state": "delivered"}  # late
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
    assert receipt(client, "gw-9-1", "delivered").json() == {"state": None}
    forged = client.post(
        "/outreach/sms/receipts/",
        json.dumps({"id": "gw-1-1", "status": "failed"}),
        content_type="application/json",
    )
    assert forged.status_code == 403
    assert Message.objects.get(pk=message.pk).channel == Channel.SMS


def receipts_batch(client, items):
    return signed_receipts(client, {"receipts": items})


def test_a_batch_of_receipts_is_applied_as_one_receipt_at_a_time_would(
    client, contact, gateway, django_capture_on_commit_callbacks
):
    two_parts = send(contact, django_capture_on_commit_callbacks, text="Giá cà phê " * 10)
    failing = send(contact, django_capture_on_commit_callbacks, text="Tin 2")
    half = send(contact, django_capture_on_commit_callbacks, text="Giá lúa " * 12)
    answer = receipts_batch(
        client,
        [
            {"id": "gw-1-1", "status": "delivered"},
            {"id": "gw-1-2", "status": "delivered"},
            {"id": "gw-2-1", "status": "failed"},
            {"id": "gw-2-1", "status": "delivered"},  # late: failed stays failed
            {"id": "gw-3-2", "status": "delivered"},  # one part of two
            {"id": "gw-9-1", "status": "delivered"},  # nobody's
            {"id": "gw-1-1", "status": "accepted"},  # not final: changes nothing
        ],
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "states": {
            "gw-1-1": "delivered",
            "gw-1-2": "delivered",
            "gw-2-1": "failed",
            "gw-3-2": "sent",
            "gw-9-1": None,
        }
    }
    states = dict(Message.objects.values_list("pk", "state"))
    assert states == {
        two_parts.pk: MessageState.DELIVERED,
        failing.pk: MessageState.FAILED,
        half.pk: MessageState.SENT,
    }
    assert receipts_batch(client, [{"id": "gw-3-1", "status": "delivered"}]).json() == {
        "states": {"gw-3-1": "delivered"}
    }


NOT_A_LIST = "'receipts' must be a list of at most 1000 receipts"


@pytest.mark.parametrize(
    "items, error",
    [
        ([{"id": "gw-1-1"}], "expected JSON with 'id' and 'status'"),
        ([{"id": "gw-1-1", "status": ["delivered"]}, 7], "expected JSON with 'id' and 'status'"),
        ("gw-1-1", NOT_A_LIST),
        ([{"id": "gw-1-1", "status": "delivered"}] * 1000, NOT_A_LIST),
    ],
)
def test_a_bad_batch_is_refused_whole_and_changes_nothing(
    client, contact, gateway, django_capture_on_commit_callbacks, items, error
):
    message = send(contact, django_capture_on_commit_callbacks)
    good = [{"id": "gw-1-1", "status": "delivered"}]
    answer = receipts_batch(client, good + items if isinstance(items, list) else items)
    assert (answer.status_code, answer.json()) == (400, {"error": error})
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert receipts_batch(client, good).json() == {"states": {"gw-1-1": "delivered"}}
