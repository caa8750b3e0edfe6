"""Choosing Zalo on the subscribe page: the number's Zalo account as a contact of its own, with
its own consents and its own code, sent through the Zalo template."""

import re

import lxml.html
import pytest
from django.core import signing

from outreach.models import Channel, ConsentRecord, Contact, Message, Purpose, Subscriber
from outreach.models.messages import MessageKind
from outreach.subscriptions import CONFIRM_SALT
from tests.outreach.factories import make_subscriber
from tests.outreach.test_subscribing import E164, PHONE, form_data, subscribe

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")


def codes(channel):
    """The codes sent on ``channel``, oldest first."""
    messages = Message.objects.filter(channel=channel, kind=MessageKind.CONFIRMATION)
    return [re.search(r"\d{6}", m.text).group() for m in messages.order_by("created_at")]


def test_the_page_offers_zalo_and_says_what_zalo_will_send(client, dak_lak):
    page = client.get(f"/km/subscribe/?province={dak_lak.pk}")
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.content.decode())
    (field,) = doc.xpath("//input[@name='zalo']")
    assert (field.get("type"), field.get("inputmode")) == ("tel", "tel")
    label = doc.xpath(f"//label[@for='{field.get('id')}']")[0]
    assert label.text_content() == "Số điện thoại có Zalo"
    assert label.get("lang") == "vi"  # the Khmer page shows the Vietnamese text, tagged
    (hint,) = doc.xpath("//p[@id='id_zalo-help']")
    assert "tài khoản chính thức Bản Làng" in hint.text_content()
    assert field.get("aria-describedby") == "id_zalo-help"
    # Nothing more to tick: the channels are the addresses given.
    assert len(doc.xpath("//input[@type='checkbox']")) == 7 + 2


def test_choosing_zalo_alone_makes_a_zalo_contact_with_its_consents_and_a_zalo_code(
    client, ea_sup, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="", email="", zalo=PHONE)
    response = subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.channel, contact.address, contact.is_confirmed) == (
        Channel.ZALO,
        E164,
        False,
    )
    consents = ConsentRecord.objects.order_by("purpose")
    assert [(c.purpose, c.channel, c.method) for c in consents] == [
        (Purpose.ALERTS, "zalo", "web"),
        (Purpose.BULLETINS, "zalo", "web"),
    ]
    assert [(m.channel, m.kind, m.state) for m in Message.objects.all()] == [
        ("zalo", "confirmation", "sent")
    ]
    assert len(codes(Channel.ZALO)) == 1
    waiting = client.get(response["Location"]).content.decode()
    assert "hãy nhập mã chúng tôi đã gửi qua Zalo" in waiting
    assert "Mã trong tin nhắn Zalo" in waiting


def test_sms_and_zalo_on_one_number_are_confirmed_each_by_its_own_code(
    client, ea_sup, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, email="", zalo=PHONE)
    response = subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    waiting = response["Location"]
    assert Contact.objects.count() == 2 and ConsentRecord.objects.count() == 4
    (sms_code,), (zalo_code,) = codes(Channel.SMS), codes(Channel.ZALO)
    # The SMS first, the Zalo contact after.
    assert "Mã trong tin nhắn SMS" in client.get(waiting).content.decode()
    assert client.post(waiting, {"code": sms_code}).status_code == 302
    confirmed = dict(Contact.objects.values_list("channel", "confirmed_at"))
    assert confirmed["sms"] is not None and confirmed["zalo"] is None
    assert "Mã trong tin nhắn Zalo" in client.get(waiting).content.decode()
    if sms_code != zalo_code:
        # The SMS code, used up, does not confirm the Zalo account.
        assert client.post(waiting, {"code": sms_code}).status_code == 400
        assert Contact.objects.get(channel=Channel.ZALO).confirmed_at is None
    assert client.post(waiting, {"code": zalo_code}).status_code == 302
    assert all(contact.is_confirmed for contact in Contact.objects.all())
    page = client.get(waiting).content.decode()
    assert 'class="code"' not in page and "/vi/subscribe/manage/" in page


def test_a_bad_zalo_number_is_explained_and_saves_nothing(
    client, ea_sup, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="", email="", zalo="0236 3822 123")
    response = subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.xpath("//input[@name='zalo']/@aria-invalid") == ["true"]
    assert doc.xpath("//input[@name='zalo']/@aria-describedby") == ["id_zalo-help id_zalo-errors"]
    assert "0912 345 678" in doc.xpath("string(//ul[@id='id_zalo-errors'])")
    assert (Subscriber.objects.count(), Contact.objects.count(), Message.objects.count()) == (
        0,
        0,
        0,
    )


def test_the_zalo_code_goes_through_the_zalo_template_to_the_numbers_account(
    client, ea_sup, zalo, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="", email="", zalo=PHONE, language="vi")
    subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    (sent,) = zalo.messages
    assert sent["phone"] == "84912345678"
    assert sent["template_id"] == "401234"
    assert re.fullmatch(r"Bản Làng: mã của bạn là \d{6}\..*", sent["template_data"]["content"])
    assert Message.objects.get().state == "sent"


def test_the_manage_page_lists_the_zalo_contact_and_asks_for_no_address(
    client, ea_sup, django_capture_on_commit_callbacks
):
    from outreach.links import manage_token

    data = form_data(ea_sup, phone="", email="", zalo=PHONE)
    subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    subscriber = Subscriber.objects.get()
    page = client.get(f"/vi/subscribe/manage/{manage_token(subscriber)}/").content.decode()
    assert f"Zalo: {E164}" in page
    assert 'name="zalo"' not in page and 'name="phone"' not in page


def test_the_zalo_code_comes_with_a_link_that_confirms_the_account_in_its_language(
    client, ea_sup, zalo, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="", email="", zalo=PHONE, language="en")
    subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    (sent,) = zalo.messages
    link = re.fullmatch(
        r"http://testserver(/en/subscribe/confirm/[^/]+/)", sent["template_data"]["url"]
    )
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "Confirm that you want news from Bản Làng on this Zalo account." in page.content.decode()
    assert not Contact.objects.get().is_confirmed
    assert client.post(link.group(1)).status_code == 200
    assert Contact.objects.get().is_confirmed


def test_a_confirmation_link_never_confirms_an_sms_number(client, ea_sup):
    subscriber = make_subscriber(
        1, province=ea_sup.parent, channels=(Channel.SMS,), confirmed=False
    )
    token = signing.dumps(subscriber.contacts.get().pk, salt=CONFIRM_SALT)
    assert client.get(f"/vi/subscribe/confirm/{token}/").status_code == 404
    assert client.post(f"/vi/subscribe/confirm/{token}/").status_code == 404
    assert not Contact.objects.get().is_confirmed
