"""SMS over SMPP against a real SMSC (``smpp34``'s server): the code, UCS-2 and GSM-7,
concatenated parts, receipts per part, refusals, a lost SMSC, and residents' messages."""

import re
import time

import pytest
import smpplib.consts

from outreach import sms_incoming
from outreach.channels import smpp
from outreach.models import Channel, Contact, Message, MessageState, Subscriber
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message
from tests.outreach.factories import make_subscriber
from tests.outreach.smsc import smsc_server
from tests.outreach.test_subscribing import form_data, subscribe

pytestmark = pytest.mark.usefixtures("home")


@pytest.fixture
def smsc(settings):
    """SMS over SMPP to a local SMSC; e-mail to the outbox."""
    outbox = "outreach.channels.outbox.OutboxChannel"
    smpp.session().close()
    smpp.session().take_incoming()  # another test's SMSC numbered its parts the same way
    with smsc_server() as server:
        settings.BANLANG_OUTREACH = {
            **settings.BANLANG_OUTREACH,
            "CHANNELS": {
                "email": outbox,
                "sms": "outreach.channels.smpp.SmppChannel",
                "push": outbox,
                "zalo": outbox,
            },
            "SMPP": {
                **settings.BANLANG_OUTREACH["SMPP"],
                "PORT": server.port,
                "SYSTEM_ID": "banlang",
                "PASSWORD": "secret",
            },
            "RETRY_DELAY_SECONDS": 0,
        }
        yield server
        smpp.session().close()
        smpp.session().take_incoming()


def settle(smsc, count, seconds=10):
    """Wait (up to ``seconds``, for busy CI machines) for ``count`` receipts or messages to
    reach the client, and apply them."""
    deadline = time.monotonic() + seconds
    while len(smpp.session().incoming) < count and time.monotonic() < deadline:
        smpp.session().poll()
        time.sleep(0.02)
    sms_incoming.drain()


def sms_contact(ea_sup, number=1, language="vi"):
    return make_subscriber(
        number, province=ea_sup.parent, commune=ea_sup, channels=("sms",), language=language
    ).contacts.get()


def test_the_confirmation_code_reaches_the_smsc_in_ucs2(
    client, ea_sup, smsc, django_capture_on_commit_callbacks
):
    smsc.receipt_state = None  # the subject here is the text, not its receipts
    subscribe(
        client, ea_sup.parent, form_data(ea_sup, email=""), django_capture_on_commit_callbacks
    )
    ((destination, text),) = smsc.texts()
    assert destination == "84912345678"
    assert re.fullmatch(
        r"Bản Làng: mã của bạn là \d{6}\. Nhập mã này trên trang web để xác nhận\. "
        r"Hoặc trả lời bằng mã này\.",
        text,
    )
    assert smsc.parts[0].data_coding == smpplib.consts.SMPP_ENCODING_ISO10646
    message = Message.objects.get()
    assert (message.state, message.provider_id) == (MessageState.SENT, f"{smsc.prefix}-1")


def test_a_long_text_goes_in_parts_and_is_delivered_when_all_parts_are(
    ea_sup, smsc, django_capture_on_commit_callbacks
):
    contact = sms_contact(ea_sup)
    text = "Giá cà phê nhân xô tại Đắk Lắk hôm nay tăng 500 đồng, lên 45.500 đồng/kg. " * 2
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(contact, MessageKind.BULLETIN, language="vi", text=text)
    assert [part.esm_class & 0x40 for part in smsc.parts] == [0x40, 0x40, 0x40]
    assert smsc.texts() == [(contact.address[1:], text)]
    settle(smsc, 3)
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
    assert list(message.parts.values_list("provider_id", flat=True)) == [
        f"{smsc.prefix}-1",
        f"{smsc.prefix}-2",
        f"{smsc.prefix}-3",
    ]


def test_an_unmarked_text_goes_in_gsm7(ea_sup, smsc, django_capture_on_commit_callbacks):
    contact = sms_contact(ea_sup)
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(contact, MessageKind.BULLETIN, language="vi", text="Gia ca phe 45.500d/kg")
    assert smsc.parts[0].data_coding == smpplib.consts.SMPP_ENCODING_DEFAULT
    assert smsc.texts() == [(contact.address[1:], "Gia ca phe 45.500d/kg")]


def test_a_part_that_failed_fails_the_message_and_late_receipts_change_nothing(
    ea_sup, smsc, django_capture_on_commit_callbacks
):
    smsc.receipt_state = "UNDELIV"
    contact = sms_contact(ea_sup)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(contact, MessageKind.BULLETIN, language="vi", text="Tin")
    settle(smsc, 1)
    message.refresh_from_db()
    assert (message.state, message.error, message.attempts) == (
        MessageState.FAILED,
        "Receipt: failed",
        1,
    )
    from outreach import receipts

    late = receipts.Receipt(f"{smsc.prefix}-1", MessageState.DELIVERED)
    assert receipts.record(late, Channel.SMS) == MessageState.FAILED


def test_throttling_is_retried_and_a_wrong_number_fails_at_once(
    ea_sup, smsc, django_capture_on_commit_callbacks
):
    smsc.receipt_state = None  # the subject here is the answers, not the receipts
    smsc.refusals.extend([smpplib.consts.SMPP_ESME_RTHROTTLED, smpplib.consts.SMPP_ESME_RMSGQFUL])
    contact = sms_contact(ea_sup)
    with django_capture_on_commit_callbacks(execute=True):
        throttled = queue_message(contact, MessageKind.BULLETIN, language="vi", text="Tin")
    throttled.refresh_from_db()
    assert (throttled.state, throttled.attempts) == (MessageState.SENT, 3)
    smsc.refusals.append(smpplib.consts.SMPP_ESME_RINVDSTADR)
    with django_capture_on_commit_callbacks(execute=True):
        wrong = queue_message(contact, MessageKind.BULLETIN, language="vi", text="Tin 2")
    wrong.refresh_from_db()
    assert (wrong.state, wrong.attempts) == (MessageState.FAILED, 1)
    assert wrong.error == "SMSC status 0xb"


def test_an_smsc_that_is_down_is_retried_then_given_up_without_crashing(
    ea_sup, smsc, settings, django_capture_on_commit_callbacks
):
    with smsc_server() as gone:
        port = gone.port
    settings.BANLANG_OUTREACH["SMPP"]["PORT"] = port  # nothing listens there now
    smpp.session().close()
    contact = sms_contact(ea_sup)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(contact, MessageKind.BULLETIN, language="vi", text="Tin")
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.FAILED, 5)
    assert message.error.startswith("Gave up: SMPP")


def test_stop_by_sms_withdraws_and_the_resident_is_answered(
    ea_sup, smsc, django_capture_on_commit_callbacks
):
    contact = sms_contact(ea_sup)
    with django_capture_on_commit_callbacks(execute=True):
        queue_message(contact, MessageKind.BULLETIN, language="vi", text="Tin")
    settle(smsc, 1)
    smsc.send_mo(
        "84912345678" if contact.address == "+84912345678" else contact.address[1:], "STOP"
    )
    settle(smsc, 1)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Subscriber.objects.count() == 0
    assert smsc.texts()[-1] == (
        contact.address[1:],
        "Bản Làng sẽ không gửi tin nào nữa tới số này.",
    )


def test_the_listener_applies_receipts_that_arrive_between_sends(
    ea_sup, smsc, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    smsc.receipt_delay = 0.5  # after the worker is done with its answer
    contact = sms_contact(ea_sup)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(contact, MessageKind.BULLETIN, language="vi", text="Tin")
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    call_command("smpp_listen", seconds=1)
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED
