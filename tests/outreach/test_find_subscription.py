"""Getting back to one's subscription without the link: a code by SMS (or Zalo), a link by
e-mail, answered alike whether or not the number or address is subscribed."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.contacts import contact_hash
from outreach.models import Channel, Contact, Message
from outreach.models.messages import MessageKind
from tests.outreach.factories import make_subscriber

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")

FIND = "/vi/subscribe/find/"
KNOWN_PHONE, KNOWN_E164 = "0910 000 001", "+84910000001"  # make_subscriber(1)
UNKNOWN_PHONE = "0910 000 002"
KNOWN_EMAIL, UNKNOWN_EMAIL = "person1@example.vn", "person2@example.vn"
# Expires is the clock (never_cache sets it to now), so two answers a second apart differ in it;
# that both carry it is checked with the headers' names.
HEADERS_COMPARED = ("Content-Type", "Cache-Control", "Content-Language", "Vary")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def known(ea_sup):
    """A subscriber with a confirmed number and address."""
    return make_subscriber(1, province=ea_sup.parent, commune=ea_sup)


def ask(client, contact, capture):
    with capture(execute=True):
        return client.post(FIND, {"contact": contact})


def code_in(message):
    return re.search(r"\d{6}", message.text).group()


def headers(response):
    return {name: response.get(name) for name in HEADERS_COMPARED}


def body(response, token=""):
    """The page without its CSRF token, which differs on every page, and without the token of
    its own address (in the links to it in other languages), which differs by number."""
    html = CSRF.sub("", response.content.decode())
    return html.replace(token, "…") if token else html


def token_of(answer):
    return answer["Location"].removeprefix(FIND).strip("/")


def test_the_subscribe_page_links_to_finding_a_subscription(client):
    page = client.get("/vi/subscribe/").content.decode()
    assert f'href="{FIND}"' in page
    find = client.get(FIND)
    assert find.status_code == 200
    assert "no-store" in find["Cache-Control"]
    assert 'name="contact"' in find.content.decode()


def test_a_known_number_gets_one_code_that_opens_the_manage_page_once(
    client, known, django_capture_on_commit_callbacks
):
    response = ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    code_page = response["Location"]
    assert code_page.startswith(FIND) and code_page != FIND
    (message,) = Message.objects.all()
    assert (message.channel, message.kind, message.state) == ("sms", "confirmation", "sent")
    assert message.contact.address == KNOWN_E164
    assert "no-store" in client.get(code_page)["Cache-Control"]
    opened = client.post(code_page, {"code": code_in(message)})
    assert opened.status_code == 302
    assert opened["Location"].startswith("/vi/subscribe/manage/")
    manage = client.get(opened["Location"])
    assert manage.status_code == 200 and KNOWN_E164 in manage.content.decode()
    # Used once: the same code opens nothing again.
    again = client.post(code_page, {"code": code_in(message)})
    assert again.status_code == 400
    assert "Mã không đúng" in again.content.decode()


def test_a_known_and_an_unknown_number_are_answered_alike(
    client, known, django_capture_on_commit_callbacks
):
    answers = {
        phone: ask(client, phone, django_capture_on_commit_callbacks)
        for phone in (KNOWN_PHONE, UNKNOWN_PHONE)
    }
    known_answer, unknown_answer = answers[KNOWN_PHONE], answers[UNKNOWN_PHONE]
    assert known_answer.status_code == unknown_answer.status_code == 302
    assert headers(known_answer) == headers(unknown_answer)
    assert sorted(known_answer.headers) == sorted(unknown_answer.headers)
    known_page = client.get(known_answer["Location"])
    unknown_page = client.get(unknown_answer["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert headers(known_page) == headers(unknown_page)
    assert body(known_page, token_of(known_answer)) == body(unknown_page, token_of(unknown_answer))
    # A wrong code is refused alike; the positive control: the known number got its code.
    (message,) = Message.objects.all()
    wrong = "000000" if code_in(message) != "000000" else "111111"
    refused = {
        phone: client.post(answer["Location"], {"code": wrong}) for phone, answer in answers.items()
    }
    assert [r.status_code for r in refused.values()] == [400, 400]
    assert body(refused[KNOWN_PHONE], token_of(known_answer)) == body(
        refused[UNKNOWN_PHONE], token_of(unknown_answer)
    )
    assert message.contact.address == KNOWN_E164


def test_a_known_and_an_unknown_address_are_answered_alike_and_only_the_known_gets_a_link(
    client, known, django_capture_on_commit_callbacks
):
    known_answer = ask(client, KNOWN_EMAIL, django_capture_on_commit_callbacks)
    unknown_answer = ask(client, UNKNOWN_EMAIL, django_capture_on_commit_callbacks)
    assert known_answer.status_code == unknown_answer.status_code == 302
    assert known_answer["Location"] == unknown_answer["Location"] == f"{FIND}sent/"
    assert headers(known_answer) == headers(unknown_answer)
    sent_page = client.get(f"{FIND}sent/")
    assert sent_page.status_code == 200 and "no-store" in sent_page["Cache-Control"]
    (message,) = Message.objects.all()
    assert (message.channel, message.kind, message.contact.address) == (
        "email",
        "confirmation",
        KNOWN_EMAIL,
    )
    link = re.search(r"http://testserver(/vi/subscribe/manage/\S+/)", message.text).group(1)
    assert message.link == f"http://testserver{link}"
    page = client.get(link)
    assert page.status_code == 200 and KNOWN_EMAIL in page.content.decode()


def test_the_link_comes_by_smtp_and_the_code_by_smpp(
    client, known, servers, django_capture_on_commit_callbacks
):
    mailbox, smsc = servers
    ask(client, KNOWN_EMAIL, django_capture_on_commit_callbacks)
    ask(client, UNKNOWN_EMAIL, django_capture_on_commit_callbacks)
    code_page = ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)["Location"]
    ask(client, UNKNOWN_PHONE, django_capture_on_commit_callbacks)
    assert [email["To"] for email in mailbox.received] == [KNOWN_EMAIL]
    ((number, text),) = smsc.texts()
    assert number == KNOWN_E164[1:]
    code = re.search(r"\d{6}", text).group()
    assert client.post(code_page, {"code": code}).status_code == 302


def test_an_unconfirmed_contact_is_sent_nothing_and_answered_like_the_others(
    client, ea_sup, django_capture_on_commit_callbacks
):
    make_subscriber(1, province=ea_sup.parent, confirmed=False)
    make_subscriber(3, province=ea_sup.parent)  # the positive control
    pending = ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)
    confirmed = ask(client, "0910 000 003", django_capture_on_commit_callbacks)
    assert pending.status_code == confirmed.status_code == 302
    assert headers(pending) == headers(confirmed)
    (message,) = Message.objects.all()
    assert message.contact.address == "+84910000003"


def test_a_number_on_zalo_only_gets_its_code_by_zalo(
    client, ea_sup, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber(1, province=ea_sup.parent, channels=(Channel.SMS,))
    subscriber.contacts.update(
        channel=Channel.ZALO, address_hash=contact_hash(Channel.ZALO, KNOWN_E164)
    )
    code_page = ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)["Location"]
    (message,) = Message.objects.all()
    assert (message.channel, message.contact.address) == ("zalo", KNOWN_E164)
    opened = client.post(code_page, {"code": code_in(message)})
    assert opened.status_code == 302 and "/manage/" in opened["Location"]


def test_a_code_tried_too_often_or_expired_stops_working(
    client, known, settings, django_capture_on_commit_callbacks
):
    code_page = ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)["Location"]
    code = code_in(Message.objects.get())
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.BANLANG_OUTREACH["CODE_MAX_ATTEMPTS"]):
        assert client.post(code_page, {"code": wrong}).status_code == 400
    assert client.post(code_page, {"code": code}).status_code == 400
    # A new code works again, until it expires.
    Message.objects.all().delete()
    code_page = ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)["Location"]
    code = code_in(Message.objects.get())
    minutes = settings.BANLANG_OUTREACH["CODE_VALID_MINUTES"]
    Contact.objects.filter(channel=Channel.SMS).update(
        code_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.post(code_page, {"code": code}).status_code == 400
    Contact.objects.filter(channel=Channel.SMS).update(
        code_expires_at=timezone.now() + datetime.timedelta(minutes=minutes)
    )
    assert client.post(code_page, {"code": code}).status_code == 302


def test_asking_is_limited_per_address_alike_for_known_and_unknown(
    client, known, settings, django_capture_on_commit_callbacks
):
    limit = settings.BANLANG_OUTREACH["FIND_PER_HOUR"]
    for _ in range(limit):
        assert ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks).status_code == 302
        assert ask(client, UNKNOWN_PHONE, django_capture_on_commit_callbacks).status_code == 302
    assert Message.objects.count() == limit
    known_refused = ask(client, "+84 910 000 001", django_capture_on_commit_callbacks)
    unknown_refused = ask(client, UNKNOWN_PHONE, django_capture_on_commit_callbacks)
    assert known_refused.status_code == unknown_refused.status_code == 429
    assert headers(known_refused) == headers(unknown_refused)
    assert body(known_refused) == body(unknown_refused)
    assert "Thử lại sau một giờ" in known_refused.content.decode()
    assert Message.objects.count() == limit
    # Another address is not held back; the e-mail address of the same person neither.
    assert ask(client, KNOWN_EMAIL, django_capture_on_commit_callbacks).status_code == 302
    assert Message.objects.count() == limit + 1


def test_what_is_neither_a_number_nor_an_address_is_explained(
    client, known, django_capture_on_commit_callbacks
):
    response = ask(client, "0236 3822 123", django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "0912 345 678" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert Message.objects.count() == 0


def test_a_forged_code_page_token_is_a_404(client):
    missing = client.get("/vi/subscribe/khong-co-trang-nay/")
    response = client.get(f"{FIND}not-a-token/")
    assert response.status_code == 404
    assert response["Content-Type"] == missing["Content-Type"]


def test_the_code_message_is_in_the_subscribers_language(
    client, ea_sup, django_capture_on_commit_callbacks
):
    make_subscriber(1, province=ea_sup.parent, language="en")
    ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)
    assert Message.objects.get().text.startswith("Bản Làng: your code is")
    assert Message.objects.get().kind == MessageKind.CONFIRMATION


def test_the_request_does_the_same_work_for_a_known_and_an_unknown_number(
    client, known, django_capture_on_commit_callbacks
):
    queries = {}
    for phone in (KNOWN_PHONE, UNKNOWN_PHONE):
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks() as callbacks,  # the task, not yet run
        ):
            client.post(FIND, {"contact": phone})
        queries[phone] = [query["sql"] for query in captured.captured_queries]
        assert len(callbacks) == 1
        with django_capture_on_commit_callbacks(execute=True):
            callbacks[0]()
    assert queries[KNOWN_PHONE] == queries[UNKNOWN_PHONE]
    assert not any("outreach_" in sql for sql in queries[KNOWN_PHONE])
    # The positive control: the task that ran afterwards sent the known number its code.
    assert Message.objects.filter(kind=MessageKind.CONFIRMATION).count() == 1


def test_the_way_back_by_zalo_links_to_the_subscription_page_in_its_language(
    client, ea_sup, zalo, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber(1, province=ea_sup.parent, channels=(Channel.SMS,), language="en")
    subscriber.contacts.update(
        channel=Channel.ZALO, address_hash=contact_hash(Channel.ZALO, KNOWN_E164)
    )
    ask(client, KNOWN_PHONE, django_capture_on_commit_callbacks)
    (sent,) = zalo.messages
    link = re.fullmatch(
        r"http://testserver(/en/subscribe/manage/[^/]+/)", sent["template_data"]["url"]
    )
    assert client.get(link.group(1)).status_code == 200
