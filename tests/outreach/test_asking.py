"""Residents ask on the web without JavaScript: the form in two steps, its errors in the
reader's language with nothing stored, the code, and the page the code opens."""

import re

import pytest

from outreach.models import Office, RoutingRule, Submission, SubmissionEvent, SubmissionState

pytestmark = pytest.mark.usefixtures("home")

PHONE = "0912 345 678"
E164 = "+84912345678"


@pytest.fixture
def office(dak_lak):
    office = Office.objects.create(name="Sở Y tế Đắk Lắk", name_km="មន្ទីរសុខាភិបាល", place=dak_lak)
    RoutingRule.objects.create(topic="health", place=dak_lak, office=office)
    return office


def form(ea_sup, **fields):
    values = {
        "kind": "question",
        "topic": "health",
        "commune": ea_sup.pk,
        "language": "km",
        "text": "ពេលណាខ្ញុំទទួលបានប័ណ្ណធានារ៉ាប់រងសុខភាព?",
        "answer_channel": "",
        "phone": "",
        "email": "",
        "website": "",
    }
    return {**values, **fields}


def post(client, ea_sup, language="vi", **fields):
    url = f"/{language}/ask/?province={ea_sup.parent.pk}"
    return client.post(url, form(ea_sup, **fields))


def test_the_form_comes_in_two_steps_without_javascript(client, ea_sup):
    first = client.get("/km/ask/")
    assert first.status_code == 200
    page = first.content.decode()
    assert 'name="province"' in page and "<textarea" not in page
    second = client.get(f"/km/ask/?province={ea_sup.parent.pk}").content.decode()
    assert '<textarea name="text"' in second and "Ea Súp" in second
    assert 'type="radio" name="answer_channel" value="" checked' in second
    assert re.search(r'<input type="checkbox" name="consent"[^>]*>', second)
    assert 'name="consent" id="id_consent" checked' not in second  # never ticked for them


def test_a_resident_asks_in_khmer_and_follows_it_by_its_code(client, ea_sup, office):
    answer = post(client, ea_sup, language="km")
    assert answer.status_code == 302
    submission = Submission.objects.get()
    code = f"{submission.reference[:5]}-{submission.reference[5:]}"
    assert answer["Location"] == f"/km/ask/{code}/"
    assert (submission.office, submission.state, submission.language) == (
        office,
        SubmissionState.ASSIGNED,
        "km",
    )
    assert (submission.commune, submission.came_by, submission.answer_to) == (ea_sup, "web", "")
    page = client.get(answer["Location"])
    assert page.status_code == 200
    shown = page.content.decode()
    assert code in shown and "មន្ទីរសុខាភិបាល" in shown  # the office's name in Khmer
    assert '<blockquote lang="km">' in shown
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    by_code = client.get("/km/ask/code/", {"code": submission.reference.lower()})
    assert (by_code.status_code, by_code["Location"]) == (302, f"/km/ask/{code}/")


def test_an_answer_by_sms_needs_a_number_and_consent_and_stores_nothing_until_then(
    client, ea_sup, office
):
    no_number = post(client, ea_sup, answer_channel="sms")
    assert no_number.status_code == 400
    assert "Hãy ghi số điện thoại di động" in no_number.content.decode()
    no_consent = post(client, ea_sup, answer_channel="sms", phone=PHONE)
    assert no_consent.status_code == 400
    assert "Hãy đánh dấu ô này" in no_consent.content.decode()
    wrong = post(client, ea_sup, answer_channel="sms", phone="12345", consent="on")
    assert wrong.status_code == 400
    assert Submission.objects.count() == 0
    kept = post(client, ea_sup, answer_channel="sms", phone=PHONE, consent="on")
    assert kept.status_code == 302
    submission = Submission.objects.get()
    assert (submission.answer_channel, submission.answer_to) == ("sms", E164)
    assert (
        submission.consented_at is not None
        and "chỉ dùng để gửi câu trả lời" in submission.consent_text
    )
    assert E164 not in client.get(kept["Location"]).content.decode()
    assert "912" not in client.get(kept["Location"]).content.decode()


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"text": "Giúp"}, "Giá trị này phải có ít nhất 10 kí tự (hiện có 4)"),
        ({"text": "a" * 4001}, "Giá trị này chỉ có tối đa 4000 kí tự (hiện có 4001)"),
        ({"topic": "nope"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"commune": 999999}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, ea_sup, office, fields, error):
    answer = post(client, ea_sup, **fields)
    assert answer.status_code == 400
    assert error in answer.content.decode()
    assert Submission.objects.count() == 0


def test_an_unknown_code_is_answered_like_a_missing_page(client, ea_sup, office):
    post(client, ea_sup)
    known = Submission.objects.get().reference
    assert client.get(f"/vi/ask/{known}/").status_code == 200  # the positive control
    missing = client.get("/vi/ask/ABCDE-23456/")
    nothing = client.get("/vi/subscribe/khong-co-trang-nay/")
    assert missing.status_code == nothing.status_code == 404
    assert missing["Content-Type"] == nothing["Content-Type"]
    lookup = client.get("/vi/ask/code/", {"code": "ABCDE-23456"})
    assert lookup.status_code == 404
    assert "Không có câu hỏi" in lookup.content.decode()


def test_what_the_screening_suspects_is_kept_for_moderation_never_dropped(client, ea_sup, office):
    spam = "Nhà cái uy tín, nổ hũ đổi thưởng, nạp tiền nhận 200k tại vn88-uytin.top ngay"
    assert post(client, ea_sup, text=spam).status_code == 302
    assert post(client, ea_sup, website="http://spam.example").status_code == 302
    genuine = post(client, ea_sup, text="Đường vào buôn Ea Súp bị sạt lở, khi nào sửa?")
    assert genuine.status_code == 302
    held = Submission.objects.filter(state=SubmissionState.MODERATION)
    notes = SubmissionEvent.objects.filter(kind="held").values_list("note", flat=True)
    assert sorted(notes) == ["classifier", "honeypot"]
    assert held.count() == 2 and set(held.values_list("office", flat=True)) == {None}
    passed = Submission.objects.exclude(state=SubmissionState.MODERATION).get()
    assert (passed.office, passed.state) == (office, SubmissionState.ASSIGNED)  # the control
    # Every one of them has its code and its page, the held ones too.
    assert client.get(genuine["Location"]).status_code == 200


def test_the_sixth_question_in_ten_minutes_from_one_address_is_held(client, ea_sup, office):
    for number in range(6):
        post(client, ea_sup, text=f"Câu hỏi số {number} về thẻ bảo hiểm y tế của gia đình tôi")
    states = list(Submission.objects.order_by("pk").values_list("state", flat=True))
    assert states == [SubmissionState.ASSIGNED] * 5 + [SubmissionState.MODERATION]
    other = client.post(
        f"/vi/ask/?province={ea_sup.parent.pk}",
        form(ea_sup, text="Một câu hỏi khác từ một máy khác về học phí"),
        REMOTE_ADDR="10.0.0.7",
    )
    assert other.status_code == 302
    assert Submission.objects.order_by("pk").last().state == SubmissionState.ASSIGNED
