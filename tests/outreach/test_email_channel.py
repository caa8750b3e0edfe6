"""The e-mail channel against a real SMTP server (aiosmtpd): what arrives, and what a refusal
does to the message's state."""

import re

import pytest

from outreach.links import unsubscribe_token
from outreach.models import Channel, Message, MessageState
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message
from tests.outreach.smtp_server import smtp_server
from tests.outreach.test_subscribing import confirmed_subscriber, form_data, subscribe

pytestmark = pytest.mark.usefixtures("home")


@pytest.fixture
def smtp(settings):
    """E-mail through SMTP to a local server; the other channels to the outbox."""
    outbox = "outreach.channels.outbox.OutboxChannel"
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "CHANNELS": {
            "email": "outreach.channels.email.EmailChannel",
            "sms": outbox,
            "push": outbox,
            "zalo": outbox,
        },
        "RETRY_DELAY_SECONDS": 0,
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (mailbox, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield mailbox


def test_the_confirmation_arrives_by_smtp_in_the_subscribers_language(
    client, ea_sup, smtp, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="", language="vi")
    subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    (received,) = smtp.received
    assert received["To"] == "h.nie@example.vn"
    assert received["Subject"] == "Xác nhận đăng ký nhận tin"
    assert received["Content-Language"] == "vi"
    message = Message.objects.get()
    assert received["Message-ID"] == f"<{message.key}@banlang>"
    assert (message.state, message.provider_id) == (MessageState.SENT, received["Message-ID"])
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    link = re.search(r"http://testserver/vi/subscribe/confirm/\S+/", text).group()
    assert link in html and 'lang="vi"' in html
    assert "List-Unsubscribe" not in received  # nothing to unsubscribe from yet


def test_a_message_to_a_subscriber_carries_one_click_unsubscribe(
    ea_sup, smtp, django_capture_on_commit_callbacks
):
    email = confirmed_subscriber(ea_sup).contacts.get(channel=Channel.EMAIL)
    language = email.subscriber.language
    url = f"http://testserver/{language}/subscribe/unsubscribe/{unsubscribe_token(email)}/"
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(
            email,
            MessageKind.BULLETIN,
            language="km",
            subject="ព័ត៌មាន",
            text="សុខភាព",
        )
    (received,) = smtp.received
    assert received["List-Unsubscribe"].strip() == f"<{url}>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert received["Subject"] == "ព័ត៌មាន"
    lines = received.get_body(("plain",)).get_content().splitlines()
    assert lines[:2] == ["សុខភាព", ""] and lines[2].endswith(f" {url}")
    # Made when sent: the outbox keeps no one's link.
    assert Message.objects.get().text == "សុខភាព"


def test_a_confirmation_goes_as_written_with_no_unsubscribe_link(
    ea_sup, smtp, django_capture_on_commit_callbacks
):
    email = confirmed_subscriber(ea_sup).contacts.get(channel=Channel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(email, MessageKind.CONFIRMATION, language="vi", subject="Xác nhận", text="Mã")
    (received,) = smtp.received
    assert "List-Unsubscribe" not in received
    assert received.get_body(("plain",)).get_content().strip() == "Mã"


def test_a_temporary_refusal_is_retried_and_then_delivered(
    ea_sup, smtp, django_capture_on_commit_callbacks
):
    email = confirmed_subscriber(ea_sup).contacts.get(channel=Channel.EMAIL)
    smtp.refusals.extend(["451 4.3.0 Try again later", "421 4.7.0 Too many connections"])
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(email, MessageKind.BULLETIN, language="vi", text="Tin")
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 3)
    assert len(smtp.received) == 1


def test_a_mailbox_that_does_not_exist_fails_at_once_with_the_reason(
    ea_sup, smtp, django_capture_on_commit_callbacks
):
    email = confirmed_subscriber(ea_sup).contacts.get(channel=Channel.EMAIL)
    smtp.refusals.append("550 5.1.1 No such user")
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(email, MessageKind.BULLETIN, language="vi", text="Tin")
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.FAILED, 1)
    assert message.error.startswith("550")
    assert smtp.received == []


def test_a_server_that_never_answers_gives_up_after_the_set_attempts(
    ea_sup, settings, django_capture_on_commit_callbacks
):
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "CHANNELS": {
            **settings.BANLANG_OUTREACH["CHANNELS"],
            "email": "outreach.channels.email.EmailChannel",
        },
        "RETRY_DELAY_SECONDS": 0,
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (_mailbox, port):
        pass  # the port is now closed: connections are refused
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    email = confirmed_subscriber(ea_sup).contacts.get(channel=Channel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(email, MessageKind.BULLETIN, language="vi", text="Tin")
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert message.attempts == settings.BANLANG_OUTREACH["SEND_ATTEMPTS"] == 5
    assert message.error.startswith("Gave up:")
