"""Subscribing on the web without JavaScript, confirming, correcting, exporting, erasing and
withdrawing: each step's rows, messages and pages, on the outbox channel."""

import json
import re

import lxml.html
import pytest
from django.core import signing

from outreach.consent import CONSENT_TEXTS
from outreach.contacts import contact_hash
from outreach.links import manage_token, unsubscribe_token
from outreach.models import (
    Channel,
    ConsentRecord,
    Contact,
    Interest,
    Message,
    MessageState,
    Purpose,
    Subscriber,
    Suppression,
)
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")

PHONE = "0912 345 678"
E164 = "+84912345678"
EMAIL = "h.nie@example.vn"


def form_data(commune, **changes):
    data = {
        "commune": str(commune.pk),
        "topics": ["health", "market"],
        "language": "km",
        "phone": PHONE,
        "email": EMAIL,
        "agency": "",
        "purposes": [Purpose.BULLETINS, Purpose.ALERTS],
    }
    return {**data, **changes}


def subscribe(client, province, data, capture):
    with capture(execute=True):
        return client.post(f"/vi/subscribe/?province={province.pk}", data)


def sent_text(channel):
    return Message.objects.get(channel=channel, kind=MessageKind.CONFIRMATION).text


def test_the_first_step_asks_only_for_the_province_and_nothing_is_ticked(client, dak_lak):
    page = client.get("/km/subscribe/")
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.content.decode())
    assert [form.get("method") for form in doc.iter("form") if "step" in form.classes] == ["get"]
    provinces = doc.xpath("//select[@name='province']/option/text()")
    assert len(provinces) == 34 and "Đắk Lắk" in provinces
    assert doc.xpath("//input[@type='checkbox']") == []
    second = lxml.html.fromstring(client.get(f"/km/subscribe/?province={dak_lak.pk}").content)
    assert second.xpath("//select[@name='commune']/option/text()") == [
        "Toàn tỉnh",
        "Buôn Đôn",
        "Ea Súp",
    ]
    boxes = second.xpath("//input[@type='checkbox']")
    assert len(boxes) == 7 + 2
    assert [box for box in boxes if box.get("checked") is not None] == []
    assert second.xpath("//select[@name='language']/option[@selected]/@value") == ["km"]


def test_an_unknown_province_or_commune_is_refused_in_the_readers_language(
    client, dak_lak, django_capture_on_commit_callbacks
):
    page = client.get("/vi/subscribe/?province=999999")
    assert page.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in page.content.decode()
    other = dak_lak.__class__.objects.get(name="Lạc Dương")
    response = subscribe(client, dak_lak, form_data(other), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert Subscriber.objects.count() == 0


def test_bad_input_is_explained_and_leaves_no_row(
    client, ea_sup, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="0236 3822 123", email="h.nie@", purposes=[], topics=[])
    response = subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    html = response.content.decode()
    assert "0912 345 678" in html  # the phone example
    assert "ten@example.vn" in html
    assert "Đánh dấu ít nhất một" in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//input[@name='phone']/@aria-invalid") == ["true"]
    assert doc.xpath("//input[@name='phone']/@value") == ["0236 3822 123"]
    assert (Subscriber.objects.count(), Contact.objects.count(), Message.objects.count()) == (
        0,
        0,
        0,
    )


def test_without_any_contact_the_form_says_so(client, ea_sup, django_capture_on_commit_callbacks):
    data = form_data(ea_sup, phone="", email="")
    response = subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Nhập số điện thoại di động, địa chỉ e-mail, hoặc cả hai" in response.content.decode()


def test_subscribing_records_each_consent_with_its_text_and_sends_only_confirmations(
    client, ea_sup, django_capture_on_commit_callbacks
):
    response = subscribe(
        client, ea_sup.parent, form_data(ea_sup), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert (subscriber.language, subscriber.province, subscriber.commune) == (
        "km",
        ea_sup.parent,
        ea_sup,
    )
    assert sorted(subscriber.topics) == ["health", "market"]
    contacts = {contact.channel: contact for contact in subscriber.contacts.all()}
    assert contacts[Channel.SMS].address == E164
    assert contacts[Channel.EMAIL].address == EMAIL
    assert not any(contact.is_confirmed for contact in contacts.values())
    consents = ConsentRecord.objects.order_by("purpose", "channel")
    assert [(c.purpose, c.channel, c.method) for c in consents] == [
        ("alerts", "email", "web"),
        ("alerts", "sms", "web"),
        ("bulletins", "email", "web"),
        ("bulletins", "sms", "web"),
    ]
    bulletins = consents.filter(purpose=Purpose.BULLETINS).first()
    assert bulletins.version == CONSENT_TEXTS[Purpose.BULLETINS].version
    assert bulletins.language == "vi"  # the page was read in Vietnamese
    assert bulletins.text.startswith("Tôi đồng ý")
    messages = Message.objects.order_by("channel")
    assert [(m.channel, m.kind, m.state) for m in messages] == [
        ("email", "confirmation", "sent"),
        ("sms", "confirmation", "sent"),
    ]
    assert re.fullmatch(r".*mã của bạn là \d{6}\..*", sent_text(Channel.SMS))


def test_the_sms_code_confirms_the_number_and_a_wrong_one_does_not(
    client, ea_sup, django_capture_on_commit_callbacks
):
    response = subscribe(
        client, ea_sup.parent, form_data(ea_sup), django_capture_on_commit_callbacks
    )
    waiting = response["Location"]
    code = re.search(r"\d{6}", sent_text(Channel.SMS)).group()
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(waiting, {"code": wrong})
    assert refused.status_code == 400
    assert "Mã không đúng" in refused.content.decode()
    assert not Contact.objects.get(channel=Channel.SMS).is_confirmed
    confirmed = client.post(waiting, {"code": f" {code} "})
    assert confirmed.status_code == 302
    assert Contact.objects.get(channel=Channel.SMS).is_confirmed
    assert not Contact.objects.get(channel=Channel.EMAIL).is_confirmed


def test_a_code_tried_too_often_stops_working(client, ea_sup, django_capture_on_commit_callbacks):
    response = subscribe(
        client, ea_sup.parent, form_data(ea_sup), django_capture_on_commit_callbacks
    )
    code = re.search(r"\d{6}", sent_text(Channel.SMS)).group()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(response["Location"], {"code": wrong})
    assert client.post(response["Location"], {"code": code}).status_code == 400
    assert not Contact.objects.get(channel=Channel.SMS).is_confirmed


def test_the_email_link_shows_a_button_and_only_the_button_confirms(
    client, ea_sup, django_capture_on_commit_callbacks
):
    subscribe(client, ea_sup.parent, form_data(ea_sup), django_capture_on_commit_callbacks)
    link = re.search(r"http://testserver(\S+)", sent_text(Channel.EMAIL)).group(1)
    assert client.get(link).status_code == 200
    assert not Contact.objects.get(channel=Channel.EMAIL).is_confirmed
    done = client.post(link)
    assert done.status_code == 200
    assert Contact.objects.get(channel=Channel.EMAIL).is_confirmed
    assert client.get(link[:-3] + "xyz/").status_code == 404


def confirmed_subscriber(ea_sup, language="km"):
    subscriber = Subscriber.objects.create(
        language=language, province=ea_sup.parent, commune=ea_sup
    )
    Interest.objects.create(subscriber=subscriber, topic="health")
    for channel, address in ((Channel.SMS, E164), (Channel.EMAIL, EMAIL)):
        contact = Contact.objects.create(
            subscriber=subscriber,
            channel=channel,
            address=address,
            address_hash=contact_hash(channel, address),
        )
        contact.confirmed_at = contact.created_at
        contact.save()
        for purpose in (Purpose.BULLETINS, Purpose.ALERTS):
            ConsentRecord.objects.create(
                subscriber=subscriber,
                purpose=purpose,
                channel=channel,
                method="web",
                version="v",
                text="t",
                language="vi",
            )
    return subscriber


def test_the_manage_page_shows_corrects_and_withdraws_one_purpose(client, ea_sup):
    subscriber = confirmed_subscriber(ea_sup)
    url = f"/vi/subscribe/manage/{manage_token(subscriber)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert E164 in page.content.decode()
    data = {
        "commune": "",
        "topics": ["market"],
        "language": "vi",
        "agency": "",
        "purposes": [Purpose.ALERTS],
    }
    saved = client.post(f"{url}?province={ea_sup.parent.pk}", data)
    assert saved.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.language, subscriber.commune, subscriber.topics) == ("vi", None, ["market"])
    active = ConsentRecord.objects.filter(withdrawn_at__isnull=True)
    assert sorted(active.values_list("purpose", flat=True)) == ["alerts", "alerts"]
    assert ConsentRecord.objects.filter(withdrawn_at__isnull=False).count() == 2


def test_a_forged_or_foreign_token_is_a_404_like_a_missing_page(client, ea_sup):
    subscriber = confirmed_subscriber(ea_sup)
    token = manage_token(subscriber)
    missing = client.get("/vi/khong-co-trang-nay/")
    for url in (
        f"/vi/subscribe/manage/x{token[1:]}/",
        f"/vi/subscribe/manage/{signing.dumps(str(subscriber.public_id))}/",
        f"/vi/subscribe/manage/{token}/export.json".replace(token, token + "a"),
        f"/vi/subscribe/unsubscribe/{token}/",
        f"/vi/subscribe/waiting/{token}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == missing["Content-Type"]
    assert client.get(f"/vi/subscribe/manage/{token}/").status_code == 200


def test_the_export_holds_the_data_but_never_the_language(client, ea_sup):
    subscriber = confirmed_subscriber(ea_sup, language="km")
    response = client.get(f"/vi/subscribe/manage/{manage_token(subscriber)}/export.json")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert [contact["address"] for contact in data["contacts"]] == [E164, EMAIL]
    assert data["topics"] == ["health"]
    assert len(data["consents"]) == 4
    assert "language" in data["left_out"]
    dumped = json.dumps(data)
    assert '"km"' not in dumped and "Khmer" not in dumped and 'language": "' not in dumped


def test_erasing_leaves_only_the_suppression_hashes(client, ea_sup):
    subscriber = confirmed_subscriber(ea_sup)
    url = f"/vi/subscribe/manage/{manage_token(subscriber)}/erase/"
    assert client.get(url).status_code == 200
    assert Subscriber.objects.count() == 1
    assert client.post(url).status_code == 200
    assert (Subscriber.objects.count(), Contact.objects.count()) == (0, 0)
    assert (ConsentRecord.objects.count(), Interest.objects.count()) == (0, 0)
    assert sorted(Suppression.objects.values_list("channel", "reason")) == [
        ("email", "erased"),
        ("sms", "erased"),
    ]
    assert Suppression.objects.filter(address_hash=contact_hash("sms", E164)).exists()


def test_one_click_unsubscribe_withdraws_without_cookies_and_nothing_more_is_sent(
    ea_sup, django_capture_on_commit_callbacks
):
    from django.test import Client

    subscriber = confirmed_subscriber(ea_sup)
    email = subscriber.contacts.get(channel=Channel.EMAIL)
    url = f"/vi/subscribe/unsubscribe/{unsubscribe_token(email)}/"
    mail_service = Client(enforce_csrf_checks=True)
    assert mail_service.get(url).status_code == 200
    assert Contact.objects.filter(pk=email.pk).exists()  # a link scanner's GET changes nothing
    response = mail_service.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Contact.objects.filter(pk=email.pk).exists()
    assert Suppression.objects.filter(
        channel="email", address_hash=contact_hash("email", EMAIL), reason="withdrawn"
    ).exists()
    # The SMS contact stays, with its consents; the e-mail's are gone.
    assert sorted(ConsentRecord.objects.values_list("channel", flat=True)) == ["sms", "sms"]
    assert mail_service.post(url).status_code == 404


def test_a_withdrawn_or_unconfirmed_contact_is_sent_nothing_and_a_confirmed_one_is(
    ea_sup, django_capture_on_commit_callbacks
):
    subscriber = confirmed_subscriber(ea_sup)
    sms = subscriber.contacts.get(channel=Channel.SMS)
    email = subscriber.contacts.get(channel=Channel.EMAIL)
    email.confirmed_at = None
    email.save()
    Suppression.objects.create(channel="sms", address_hash="0" * 64, reason="withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        sent = queue_message(sms, MessageKind.BULLETIN, language="km", text="Tin")
        unconfirmed = queue_message(email, MessageKind.BULLETIN, language="km", text="Tin")
    sent.refresh_from_db()
    unconfirmed.refresh_from_db()
    assert (sent.state, sent.provider_id) == (MessageState.SENT, f"outbox:{sent.key}")
    assert (unconfirmed.state, unconfirmed.error) == (
        MessageState.FAILED,
        "The contact is not confirmed.",
    )
    Suppression.objects.create(channel="sms", address_hash=sms.address_hash, reason="withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        after = queue_message(sms, MessageKind.BULLETIN, language="km", text="Tin")
    after.refresh_from_db()
    assert (after.state, after.error) == (MessageState.FAILED, "The contact withdrew.")


def push_json(endpoint="https://fcm.googleapis.com/fcm/send/abc123"):
    import base64
    import json as json_module

    def b64(size):
        return base64.urlsafe_b64encode(bytes(range(size))).decode().rstrip("=")

    return json_module.dumps({"endpoint": endpoint, "keys": {"p256dh": b64(65), "auth": b64(16)}})


def test_a_browsers_push_subscription_is_confirmed_by_itself(
    client, ea_sup, settings, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="", email="", push_subscription=push_json())
    response = subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    push = Contact.objects.get()
    assert (push.channel, push.is_confirmed) == (Channel.PUSH, True)
    assert push.address == "https://fcm.googleapis.com/fcm/send/abc123"
    assert set(push.details) == {"p256dh", "auth"}
    assert Message.objects.count() == 0  # nothing to confirm


@pytest.mark.parametrize(
    "subscription",
    [
        "{",
        '{"endpoint": "https://push.example/x"}',
        push_json(endpoint="http://push.example/x"),
        push_json(endpoint="javascript:alert(1)"),
        push_json().replace('"auth": "', '"auth": "AAAA'),
    ],
)
def test_a_broken_push_subscription_is_explained_and_saves_nothing(
    client, ea_sup, subscription, django_capture_on_commit_callbacks
):
    data = form_data(ea_sup, phone="", email="", push_subscription=subscription)
    response = subscribe(client, ea_sup.parent, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Không đọc được đăng ký nhận thông báo" in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_the_push_option_is_offered_only_with_a_vapid_key(client, dak_lak, settings):
    url = f"/vi/subscribe/?province={dak_lak.pk}"
    assert "push.js" not in client.get(url).content.decode()
    settings.BANLANG_OUTREACH = {
        **settings.BANLANG_OUTREACH,
        "PUSH": {**settings.BANLANG_OUTREACH["PUSH"], "VAPID_PUBLIC_KEY": "BKey"},
    }
    page = client.get(url).content.decode()
    assert 'data-push-key="BKey"' in page and "outreach/push.js" in page
    assert '<p class="push-option" hidden>' in page  # shown by the script only


def test_no_outreach_page_is_kept_by_a_cache_or_the_offline_reader(client, ea_sup):
    subscriber = confirmed_subscriber(ea_sup)
    token = manage_token(subscriber)
    sms = subscriber.contacts.get(channel=Channel.SMS)
    for url in (
        "/vi/subscribe/",
        f"/vi/subscribe/manage/{token}/",
        f"/vi/subscribe/manage/{token}/export.json",
        f"/vi/subscribe/manage/{token}/erase/",
        f"/vi/subscribe/unsubscribe/{unsubscribe_token(sms)}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
