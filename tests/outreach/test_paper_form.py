"""An officer entering a resident's signed paper form in the admin: the consents with the form's
reference, date and printed text, the officer who entered them, and a confirmation still sent
to each contact before anything else."""

import datetime
import re

import lxml.html
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import IntegrityError, transaction
from django.utils import timezone

from outreach import inbound
from outreach.consent import CONSENT_TEXTS
from outreach.models import (
    Channel,
    ConsentRecord,
    Contact,
    Message,
    MessageState,
    Purpose,
    Subscriber,
)
from outreach.models.messages import MessageKind
from outreach.outbox import queue_message
from outreach.paper_form_admin import PaperSubscriptionForm
from outreach.signal_handlers import OUTREACH_OFFICERS, ensure_outreach_officers_group
from tests.outreach.factories import make_subscriber

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")

PAPER_FORM = "/admin/outreach/paper-form/"
VERSION = CONSENT_TEXTS[Purpose.BULLETINS].version


@pytest.fixture
def officer(db):
    """A member of the outreach officers' group, as migrating makes it."""
    user = User.objects.create_user("officer", password="x")
    user.groups.add(Group.objects.get(name=OUTREACH_OFFICERS))
    return user


def paper(commune, **changes):
    data = {
        "commune": str(commune.pk),
        "topics": ["health"],
        "language": "km",
        "phone": "0912 345 678",
        "email": "sokha@example.vn",
        "channels": [Channel.SMS, Channel.ZALO, Channel.EMAIL],
        "purposes": [Purpose.BULLETINS, Purpose.ALERTS],
        "consent_version": VERSION,
        "reference": "EA-SUP-2026-0042",
        "signed_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
    }
    return {**data, **changes}


def enter(client, commune, data, capture):
    with capture(execute=True):
        return client.post(f"{PAPER_FORM}?province={commune.parent.pk}", data)


def test_the_officers_group_may_enter_paper_forms_and_still_not_see_subscribers():
    ensure_outreach_officers_group()
    codenames = set(
        Group.objects.get(name=OUTREACH_OFFICERS).permissions.values_list("codename", flat=True)
    )
    assert "add_subscriber" in codenames
    assert not {"view_subscriber", "change_subscriber", "view_contact"} & codenames


def test_the_form_asks_the_province_first_then_everything_on_the_paper(client, officer, ea_sup):
    client.force_login(officer)
    first = lxml.html.fromstring(client.get(PAPER_FORM).content.decode())
    assert first.xpath("//form[@method='get']//select/@name") == ["province"]
    page = client.get(f"{PAPER_FORM}?province={ea_sup.parent.pk}")
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.content.decode())
    names = set(doc.xpath("//form[@method='post']//*[@name]/@name"))
    assert {
        "commune",
        "topics",
        "language",
        "phone",
        "email",
        "channels",
        "purposes",
        "consent_version",
        "reference",
        "signed_on",
    } <= names
    assert doc.xpath("//input[@type='checkbox'][@checked]") == []
    assert "no-store" in page["Cache-Control"]


def test_a_paper_form_records_each_consent_as_signed_and_sends_only_confirmations(
    client, officer, ea_sup, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    response = enter(client, ea_sup, paper(ea_sup), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert (subscriber.language, subscriber.province, subscriber.commune, subscriber.topics) == (
        "km",
        ea_sup.parent,
        ea_sup,
        ["health"],
    )
    contacts = dict(Contact.objects.values_list("channel", "address"))
    assert contacts == {
        "sms": "+84912345678",
        "zalo": "+84912345678",
        "email": "sokha@example.vn",
    }
    assert not Contact.objects.filter(confirmed_at__isnull=False).exists()
    consents = ConsentRecord.objects.order_by("purpose", "channel")
    assert [(c.purpose, c.channel, c.method) for c in consents] == [
        (purpose, channel, "paper")
        for purpose in ("alerts", "bulletins")
        for channel in ("email", "sms", "zalo")
    ]
    signed = timezone.localdate() - datetime.timedelta(days=2)
    for consent in consents:
        assert consent.entered_by == officer
        assert (consent.form_reference, consent.signed_on) == ("EA-SUP-2026-0042", signed)
        assert consent.version == VERSION
        # The form is printed in the resident's language; without a Khmer text, Vietnamese.
        assert consent.language == "vi" and consent.text.startswith("Tôi đồng ý")
    messages = Message.objects.order_by("channel")
    assert [(m.channel, m.kind, m.state) for m in messages] == [
        ("email", "confirmation", "sent"),
        ("sms", "confirmation", "sent"),
        ("zalo", "confirmation", "sent"),
    ]
    assert "người cán bộ" in Message.objects.get(channel="sms").text
    # Nothing else reaches the contacts until they are confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = queue_message(
            Contact.objects.get(channel="sms"), MessageKind.BULLETIN, language="km", text="Tin"
        )
    bulletin.refresh_from_db()
    assert (bulletin.state, bulletin.error) == (
        MessageState.FAILED,
        "The contact is not confirmed.",
    )


def test_the_officer_enters_the_code_the_resident_reads_out(
    client, officer, ea_sup, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    data = paper(ea_sup, email="", channels=[Channel.SMS])
    waiting = enter(client, ea_sup, data, django_capture_on_commit_callbacks)["Location"]
    assert waiting.startswith(PAPER_FORM) and waiting != PAPER_FORM
    page = client.get(waiting).content.decode()
    assert "…5678" in page and "+84912345678" not in page
    code = re.search(r"\d{6}", Message.objects.get().text).group()
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(waiting, {"code": wrong})
    assert refused.status_code == 400
    assert not Contact.objects.get().is_confirmed
    assert client.post(waiting, {"code": code}).status_code == 302
    assert Contact.objects.get().is_confirmed
    assert 'name="code"' not in client.get(waiting).content.decode()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"reference": ""}, "Trường này là bắt buộc"),
        (
            {"signed_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "chưa đến",
        ),
        ({"phone": "", "channels": [Channel.SMS, Channel.EMAIL]}, "không có số điện thoại"),
        ({"email": "", "channels": [Channel.SMS, Channel.EMAIL]}, "không có địa chỉ e-mail"),
        ({"phone": "0236 3822 123"}, "0912 345 678"),
        ({"channels": []}, "Đánh dấu ít nhất một"),
        ({"purposes": []}, "Đánh dấu ít nhất một"),
        ({"consent_version": "2020-01-01"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(
    client, officer, ea_sup, changes, error, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    response = enter(client, ea_sup, paper(ea_sup, **changes), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert (
        Subscriber.objects.count(),
        Contact.objects.count(),
        ConsentRecord.objects.count(),
        Message.objects.count(),
    ) == (0, 0, 0, 0)


def test_one_paper_form_is_entered_once(
    client, officer, ea_sup, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    assert (
        enter(client, ea_sup, paper(ea_sup), django_capture_on_commit_callbacks).status_code == 302
    )
    again = enter(client, ea_sup, paper(ea_sup), django_capture_on_commit_callbacks)
    assert again.status_code == 400
    assert "đã được nhập" in again.content.decode()
    assert (Subscriber.objects.count(), Message.objects.count()) == (1, 3)


def test_without_the_permission_nobody_enters_a_form(
    client, ea_sup, django_capture_on_commit_callbacks
):
    editor = User.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = enter(client, ea_sup, paper(ea_sup), django_capture_on_commit_callbacks)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Subscriber.objects.count() == 0


def test_the_resident_may_also_send_the_code_back_by_sms(
    client, officer, ea_sup, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    data = paper(ea_sup, email="", channels=[Channel.SMS])
    waiting = enter(client, ea_sup, data, django_capture_on_commit_callbacks)["Location"]
    text = Message.objects.get().text
    assert "người cán bộ" in text and text.endswith("Hoặc trả lời bằng mã này.")
    code = re.search(r"\d{6}", text).group()
    assert inbound.handle("0912 345 678", code).text.startswith("Bản Làng: số này đã được")
    assert Contact.objects.get().is_confirmed
    assert 'name="code"' not in client.get(waiting).content.decode()


def consent(subscriber, reference, purpose=Purpose.BULLETINS, channel=Channel.SMS):
    return ConsentRecord.objects.create(
        subscriber=subscriber,
        purpose=purpose,
        channel=channel,
        method="paper",
        version=VERSION,
        text="Tôi đồng ý",
        language="vi",
        form_reference=reference,
    )


def test_the_database_keeps_each_reference_to_one_entry(ea_sup):
    first = make_subscriber(1, province=ea_sup.parent, channels=(), purposes=())
    second = make_subscriber(2, province=ea_sup.parent, channels=(), purposes=())
    # One form's own consents, one per purpose and channel, and consents given otherwise.
    for purpose in (Purpose.BULLETINS, Purpose.ALERTS):
        for channel in (Channel.SMS, Channel.EMAIL):
            consent(first, "EA-SUP-2026-0042", purpose, channel)
            consent(second, "", purpose, channel)
    consent(second, "EA-SUP-2026-0043")  # the positive control
    with pytest.raises(IntegrityError), transaction.atomic():
        consent(second, "EA-SUP-2026-0042")
    assert ConsentRecord.objects.filter(form_reference="EA-SUP-2026-0042").count() == 4


def test_a_form_another_officer_entered_after_it_was_checked_is_refused_whole(
    client, officer, ea_sup, django_capture_on_commit_callbacks
):
    form = PaperSubscriptionForm(paper(ea_sup), province=ea_sup.parent)
    assert form.is_valid()
    # The other officer's save of the same form lands between this one's check and its save.
    colleague = User.objects.create_user("colleague", password="x")
    colleague.groups.add(Group.objects.get(name=OUTREACH_OFFICERS))
    client.force_login(colleague)
    assert (
        enter(client, ea_sup, paper(ea_sup), django_capture_on_commit_callbacks).status_code == 302
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert form.enter(officer, "http://testserver") is None
    assert callbacks == []
    assert [str(error) for error in form.errors["reference"]] == ["Phiếu giấy này đã được nhập."]
    assert (
        Subscriber.objects.count(),
        Contact.objects.count(),
        ConsentRecord.objects.count(),
        Message.objects.count(),
    ) == (1, 3, 6, 3)
    assert set(ConsentRecord.objects.values_list("entered_by", flat=True)) == {colleague.pk}


def test_the_page_answers_a_race_with_the_forms_error_and_saves_nothing(
    client, officer, ea_sup, monkeypatch, django_capture_on_commit_callbacks
):
    earlier = make_subscriber(9, province=ea_sup.parent, channels=(), purposes=())
    checked = PaperSubscriptionForm.clean_reference

    def checked_then_entered_elsewhere(form):
        reference = checked(form)
        consent(earlier, reference, Purpose.ALERTS, Channel.ZALO)
        return reference

    monkeypatch.setattr(PaperSubscriptionForm, "clean_reference", checked_then_entered_elsewhere)
    client.force_login(officer)
    response = enter(client, ea_sup, paper(ea_sup), django_capture_on_commit_callbacks)
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    assert "Phiếu giấy này đã được nhập." in doc.text_content()
    assert doc.xpath("//input[@name='reference']/@value") == ["EA-SUP-2026-0042"]
    assert (
        Subscriber.objects.count(),
        Contact.objects.count(),
        ConsentRecord.objects.count(),
        Message.objects.count(),
    ) == (1, 0, 1, 0)
