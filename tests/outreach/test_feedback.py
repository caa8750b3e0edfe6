"""Residents' submissions received: reference codes, routing by topic and place, deadlines and
the log of each step."""

import datetime

import pytest
from django.utils import timezone

from heritage.models import Place
from outreach import feedback
from outreach.models import Office, RoutingRule, Submission, SubmissionState


@pytest.fixture
def offices(dak_lak, ea_sup):
    """A province's health department, its agriculture department for market questions, Ea
    Súp's commune office (remote) for everything there, and a national office for the rest
    of health."""
    national = Office.objects.create(name="Bộ Y tế")
    health = Office.objects.create(name="Sở Y tế Đắk Lắk", place=dak_lak, parent=national)
    market = Office.objects.create(name="Sở Nông nghiệp Đắk Lắk", place=dak_lak)
    commune = Office.objects.create(name="UBND xã Ea Súp", place=ea_sup, parent=health, remote=True)
    RoutingRule.objects.create(topic="health", place=None, office=national)
    RoutingRule.objects.create(topic="health", place=dak_lak, office=health)
    RoutingRule.objects.create(topic="market", place=dak_lak, office=market)
    RoutingRule.objects.create(topic="", place=ea_sup, office=commune)
    return {"national": national, "health": health, "market": market, "commune": commune}


def received(**fields):
    values = {
        "kind": "question",
        "text": "Khi nào có thẻ BHYT?",
        "language": "vi",
        "came_by": "web",
    }
    return feedback.Received(**{**values, **fields})


def test_the_most_specific_rule_routes_place_before_topic(offices, dak_lak, ea_sup):
    buon_don = Place.objects.get(name="Buôn Đôn")
    lam_dong = Place.objects.current().get(name="Lâm Đồng")
    assert feedback.route("health", dak_lak, buon_don) == offices["health"]
    assert feedback.route("market", dak_lak, buon_don) == offices["market"]
    # The commune's rule for any topic wins over the province's health rule.
    assert feedback.route("health", dak_lak, ea_sup) == offices["commune"]
    assert feedback.route("health", lam_dong, None) == offices["national"]
    assert feedback.route("education", dak_lak, buon_don) is None  # triage
    assert feedback.route("", None, None) is None


def test_a_submission_gets_a_code_its_office_its_deadline_and_its_log(offices, dak_lak, ea_sup):
    before = timezone.now()
    routed = feedback.receive(received(topic="health", province=dak_lak))
    remote = feedback.receive(received(topic="health", province=dak_lak, commune=ea_sup))
    triage = feedback.receive(received(topic="education", province=dak_lak))
    assert (routed.office, routed.state) == (offices["health"], SubmissionState.ASSIGNED)
    assert (triage.office, triage.state) == (None, SubmissionState.RECEIVED)
    assert routed.due_at - before == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(minutes=1)
    )
    assert remote.due_at - before == pytest.approx(
        datetime.timedelta(days=45), abs=datetime.timedelta(minutes=1)
    )
    assert [(e.kind, e.office) for e in routed.events.all()] == [
        ("received", None),
        ("routed", offices["health"]),
    ]
    assert [e.kind for e in triage.events.all()] == ["received", "triage"]
    codes = {routed.reference, remote.reference, triage.reference}
    assert len(codes) == 3
    assert all(len(code) == 10 and set(code) <= set(feedback.ALPHABET) for code in codes)


def test_a_held_submission_waits_for_moderation_and_reaches_no_office(offices, dak_lak):
    held = feedback.receive(
        received(topic="health", province=dak_lak, held_because=("links", "classifier"))
    )
    assert (held.state, held.office) == (SubmissionState.MODERATION, None)
    assert [(e.kind, e.note) for e in held.events.all()] == [
        ("received", ""),
        ("held", "links, classifier"),
    ]


def test_a_code_is_found_however_it_is_typed_and_an_unknown_one_is_not(offices, dak_lak):
    submission = feedback.receive(received(topic="health", province=dak_lak))
    code = submission.reference
    for typed in (code, code.lower(), feedback.shown(code), f" {code[:5]} {code[5:]} "):
        assert feedback.find(typed) == submission, typed
    assert feedback.find(code[:-1]) is None
    assert feedback.find("00000-00000") is None
    assert feedback.find("' OR 1=1 --") is None


def test_the_text_is_kept_in_nfc_and_contact_only_with_a_channel(offices, dak_lak):
    decomposed = "Gia\u0301 ca\u0300 phê"
    kept = feedback.receive(
        received(text=f"  {decomposed}  ", answer_to="+84912345678", consent_text="Tôi đồng ý")
    )
    assert kept.text == "Giá cà phê"
    assert (kept.answer_to, kept.consented_at, kept.consent_text) == ("", None, "")
    answered = feedback.receive(
        received(answer_channel="sms", answer_to="+84912345678", consent_text="Tôi đồng ý")
    )
    assert answered.answer_to == "+84912345678" and answered.consented_at is not None
    assert Submission.objects.count() == 2


def test_an_answer_goes_to_the_address_the_resident_gave_on_its_channel(
    servers, offices, dak_lak, django_capture_on_commit_callbacks
):
    from outreach.models import Message, MessageState
    from outreach.outbox import queue_answer

    mailbox, smsc = servers
    smsc.receipt_state = None  # the subject is where the answer goes, not its receipt
    by_sms = feedback.receive(
        received(answer_channel="sms", answer_to="+84912345678", consent_text="Tôi đồng ý")
    )
    by_email = feedback.receive(
        received(answer_channel="email", answer_to="dan@example.vn", consent_text="Tôi đồng ý")
    )
    with django_capture_on_commit_callbacks(execute=True):
        queue_answer(by_sms, text="Thẻ BHYT phát trong tháng 12.", subject="", link="")
        queue_answer(by_email, text="Đường sửa xong trong tháng 1.", subject="Trả lời", link="")
    assert smsc.arrived(1)
    assert smsc.texts() == [("84912345678", "Thẻ BHYT phát trong tháng 12.")]
    (email,) = mailbox.received
    assert email["To"] == "dan@example.vn" and "List-Unsubscribe" not in email
    assert set(Message.objects.values_list("state", flat=True)) == {MessageState.SENT}
    # Erased before it went: nothing is sent, and why is said.
    Submission.objects.filter(pk=by_sms.pk).update(answer_to="")
    with django_capture_on_commit_callbacks(execute=True):
        late = queue_answer(by_sms, text="Nhắc lại", subject="", link="")
    late.refresh_from_db()
    assert (late.state, late.error) == (MessageState.FAILED, "The address was erased.")
    assert not smsc.arrived(2, seconds=0.5)
