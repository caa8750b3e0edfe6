"""The resident's whole path, against the local SMTP server and SMSC: she subscribes on /km/,
confirms her address by the e-mail link and her number by the SMS code, receives the Khmer
bulletin of a Khmer article in her topic, then stops e-mail with one click and SMS by STOP."""

import re
import time

from django.test import Client
from django.utils import translation

from outreach.models import Contact, Subscriber, Suppression
from tests.cms.factories import ArticlePageFactory
from tests.outreach.test_smpp_channel import settle

KM_TITLE = "ការការពារជំងឺគ្រុនចាញ់"
KM_SUMMARY = "គេងក្នុងមុងរាល់យប់"


def test_subscribe_confirm_receive_in_khmer_and_stop_on_both_channels(
    health, ea_sup, servers, django_capture_on_commit_callbacks
):
    mailbox, smsc = servers
    resident = Client()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = resident.post(
            f"/km/subscribe/?province={ea_sup.parent.pk}",
            {
                "commune": str(ea_sup.pk),
                "topics": ["health"],
                "language": "km",
                "phone": "0912 345 678",
                "email": "sokha@example.vn",
                "purposes": ["bulletins"],
            },
        )["Location"]

    # The SMS code, from the SMSC; the e-mail link, from the SMTP server.
    ((number, code_text),) = smsc.texts()
    code = re.search(r"\d{6}", code_text).group()
    confirmation = mailbox.received[0].get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(\S+)", confirmation).group(1)
    assert resident.post(waiting, {"code": code}).status_code == 302
    assert resident.post(link).status_code == 200
    assert all(contact.is_confirmed for contact in Contact.objects.all())

    with translation.override("vi"):  # the editor works in Vietnamese
        article = ArticlePageFactory(
            parent=health,
            title="Phòng chống sốt rét",
            slug="phong-chong-sot-ret",
            title_km=KM_TITLE,
            summary_km=KM_SUMMARY,
            body_km=[{"type": "paragraph", "value": "<p>មូសចម្លងជំងឺគ្រុនចាញ់</p>"}],
            live=False,
        )
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    bulletin_sms = smsc.texts()[-1]
    assert bulletin_sms[0] == number == "84912345678"
    assert bulletin_sms[1].startswith(KM_TITLE + "\nhttp://testserver/km/")
    email = mailbox.received[-1]
    assert (email["Subject"].strip(), email["Content-Language"]) == (KM_TITLE, "km")
    assert email.get_body(("plain",)).get_content().startswith(KM_SUMMARY)

    one_click = email["List-Unsubscribe"].strip().strip("<>").removeprefix("http://testserver")
    mail_service = Client(enforce_csrf_checks=True)
    mail_service.post(
        one_click, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert list(Contact.objects.values_list("channel", flat=True)) == ["sms"]

    smsc.send_mo(number, "stop")
    deadline = time.monotonic() + 10  # the SMSC's message arrives when it arrives
    while Contact.objects.exists() and time.monotonic() < deadline:
        settle(smsc, 1, seconds=0.1)
    assert (Subscriber.objects.count(), Contact.objects.count()) == (0, 0)
    assert smsc.texts()[-1] == (number, "Bản Làng sẽ không gửi tin nào nữa tới số này.")
    assert Suppression.objects.count() == 2
