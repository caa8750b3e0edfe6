"""A resident subscribes on a phone with JavaScript off, in Khmer: province, then commune,
topics and consents; confirms her number by the SMS code and her address by the e-mail link;
then stops the messages from the link every message carries."""

import re

import pytest

from heritage.models import Place, PlaceLevel
from outreach.links import unsubscribe_token
from outreach.models import Channel, ConsentRecord, Contact, Message, Subscriber, Suppression
from tests.browser.conftest import fits_the_screen


@pytest.fixture
def places(transactional_db):
    province, _ = Place.objects.get_or_create(
        name="Đắk Lắk", level=PlaceLevel.PROVINCE, valid_until=None, parent=None
    )
    Place.objects.create(name="Ea Súp", level=PlaceLevel.COMMUNE, parent=province)
    return province


def test_subscribing_confirming_and_stopping_without_javascript(
    no_script_phone, live_server, places, outbox_channels
):
    page = no_script_phone
    page.goto(f"{live_server.url}/km/subscribe/")
    assert page.locator("html").get_attribute("lang") == "km"
    page.select_option("select[name=province]", label="Đắk Lắk")
    page.click("form.step button")
    assert fits_the_screen(page)
    page.select_option("select[name=commune]", label="Ea Súp")
    page.check("input[name=topics][value=health]")
    assert page.locator("select[name=language] option[selected]").get_attribute("value") == "km"
    page.fill("input[name=phone]", "0912 345 678")
    page.fill("input[name=email]", "h.nie@example.vn")
    page.check("input[name=purposes][value=bulletins]")
    page.click("form.subscribe button[type=submit]")
    assert "/km/subscribe/waiting/" in page.url
    assert fits_the_screen(page)
    subscriber = Subscriber.objects.get()
    assert (subscriber.language, subscriber.commune.name) == ("km", "Ea Súp")
    assert list(ConsentRecord.objects.values_list("purpose", flat=True)) == ["bulletins"] * 2

    sms_text = Message.objects.get(channel=Channel.SMS).text
    page.fill("input[name=code]", re.search(r"\d{6}", sms_text).group())
    page.click("form.code button")
    assert Contact.objects.get(channel=Channel.SMS).is_confirmed
    assert page.locator("a[href*='/subscribe/manage/']").count() == 1

    email_text = Message.objects.get(channel=Channel.EMAIL).text
    link = re.search(r"http://\S+/subscribe/confirm/\S+/", email_text).group()
    page.goto(link)
    assert not Contact.objects.get(channel=Channel.EMAIL).is_confirmed
    with page.expect_navigation():
        page.click("main form button")
    assert Contact.objects.get(channel=Channel.EMAIL).is_confirmed

    sms = Contact.objects.get(channel=Channel.SMS)
    page.goto(f"{live_server.url}/km/subscribe/unsubscribe/{unsubscribe_token(sms)}/")
    with page.expect_navigation():
        page.click("main form button")
    assert not Contact.objects.filter(channel=Channel.SMS).exists()
    assert Suppression.objects.filter(channel=Channel.SMS).count() == 1
    assert fits_the_screen(page)
