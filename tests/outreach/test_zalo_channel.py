"""Zalo ZNS against a local server holding its contract: template messages, tracking ids, and
access tokens renewed with single-use refresh tokens."""

import pytest

from outreach.models import MessageState, ProviderToken
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message
from tests.outreach.factories import make_subscriber


@pytest.fixture
def contact(ea_sup):
    return make_subscriber(1, province=ea_sup.parent, channels=("sms",)).contacts.get()


def send(contact, capture, text="Giá cà phê tăng"):
    contact.channel = "zalo"
    contact.save()
    with capture(execute=True):
        message = queue_message(
            contact, MessageKind.BULLETIN, language="vi", text=text, link="https://banlang.vn/a/"
        )
    message.refresh_from_db()
    return message


def test_the_first_message_gets_a_token_and_goes_through_the_template(
    contact, zalo, django_capture_on_commit_callbacks
):
    message = send(contact, django_capture_on_commit_callbacks)
    assert zalo.messages == [
        {
            "phone": contact.address[1:],
            "template_id": "401234",
            "template_data": {"content": "Giá cà phê tăng", "url": "https://banlang.vn/a/"},
            "tracking_id": str(message.key),
        }
    ]
    assert (message.state, message.provider_id) == (MessageState.SENT, "zns-1")
    token = ProviderToken.objects.get()
    assert (token.access_token, token.refresh_token) == ("access-2", "refresh-2")


def test_an_expired_token_is_renewed_once_and_the_new_refresh_token_kept(
    contact, zalo, django_capture_on_commit_callbacks
):
    send(contact, django_capture_on_commit_callbacks)
    zalo.expire()
    message = send(contact, django_capture_on_commit_callbacks, text="Tin 2")
    assert (message.state, message.attempts) == (MessageState.SENT, 1)
    assert zalo.renewals == 2
    assert ProviderToken.objects.get().refresh_token == "refresh-3"
    assert [sent["template_data"]["content"] for sent in zalo.messages] == [
        "Giá cà phê tăng",
        "Tin 2",
    ]


def test_a_rate_limit_is_retried_and_an_unknown_number_fails(
    contact, zalo, django_capture_on_commit_callbacks
):
    zalo.errors.append(-32)
    limited = send(contact, django_capture_on_commit_callbacks)
    assert (limited.state, limited.attempts) == (MessageState.SENT, 2)
    zalo.errors.append(-118)
    unknown = send(contact, django_capture_on_commit_callbacks, text="Tin 2")
    assert (unknown.state, unknown.error) == (MessageState.FAILED, "Zalo -118 refused")


def test_a_message_without_a_link_fails_at_once_and_reaches_nobody(
    contact, zalo, django_capture_on_commit_callbacks
):
    contact.channel = "zalo"
    contact.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(contact, MessageKind.BULLETIN, language="vi", text="Tin")
    message.refresh_from_db()
    assert (message.state, message.error) == (
        MessageState.FAILED,
        "Zalo: the template needs a link, and this message has none.",
    )
    assert (zalo.messages, zalo.renewals) == ([], 0)
