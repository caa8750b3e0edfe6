"""Residents' submissions in the admin: the queue with its counts, filters and deadlines, and
the page where an office answers, notes, hands over, escalates, releases and closes."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach import feedback, handling
from outreach.models import Message, MessageState, Submission
from outreach.models.messages import MessageKind
from tests.outreach.test_handling import (
    EDE_STAND_IN,
    RESIDENT,
    VIETNAMESE,
    ask,
    make_offices,
    make_staff,
    steps,
)

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")


@pytest.fixture
def offices(dak_lak, ea_sup):
    return make_offices(dak_lak, ea_sup)


@pytest.fixture
def staff(offices):
    return make_staff(offices)


def counts(page):
    """The counts by state at the top of the queue, as shown."""
    return {
        state: int(count)
        for state, count in re.findall(r'data-state="(\w+)">[^<]*<strong>(\d+)</strong>', page)
    }


def codes(page):
    """The codes listed, in order."""
    return re.findall(r'/admin/questions/\d+/">([A-Z0-9]{5}-[A-Z0-9]{5})</a>', page)


def code(submission):
    return feedback.shown(submission.reference)


def due_in(submission, days):
    Submission.objects.filter(pk=submission.pk).update(
        due_at=timezone.now() + datetime.timedelta(days=days)
    )
    return submission


@pytest.fixture
def queue(offices, staff, dak_lak, ea_sup):
    """Three of the department's (one overdue, one due in two days, one answered), one in Ê
    Đê about education routed by a coordinator, one of the commune's, one in triage and one
    held."""
    overdue = due_in(ask(dak_lak), -1)
    soon = due_in(ask(dak_lak), 2)
    answered = ask(dak_lak)
    handling.answer(answered, staff["health"], text=VIETNAMESE, language="vi", vietnamese="")
    ede = ask(dak_lak, topic="education", language="rad")
    handling.reassign(ede, staff["coordinator"], offices["health"], "")
    commune = ask(dak_lak, commune=ea_sup)
    triage = ask(dak_lak, topic="education")
    held = ask(dak_lak, held_because=("links",))
    return {
        "overdue": overdue,
        "soon": soon,
        "answered": answered,
        "ede": ede,
        "commune": commune,
        "triage": triage,
        "held": held,
    }


def test_an_office_sees_its_own_queue_most_urgent_first_with_counts_by_state(client, staff, queue):
    client.force_login(staff["health"])
    response = client.get("/admin/questions/")
    page = response.content.decode()
    assert response.status_code == 200
    assert counts(page) == {
        "received": 0,
        "moderation": 0,
        "assigned": 3,
        "in_progress": 0,
        "answered": 1,
        "closed": 0,
        "not_ours": 0,
        "rejected": 0,
    }
    # The open ones, the soonest due first; the answered one only when asked for.
    assert codes(page) == [code(queue["overdue"]), code(queue["soon"]), code(queue["ede"])]
    assert codes(client.get("/admin/questions/?state=answered").content.decode()) == [
        code(queue["answered"])
    ]
    assert len(codes(client.get("/admin/questions/?state=all").content.decode())) == 4
    assert "Ea Súp" not in page.split("<tbody>")[1]  # the commune's is not theirs


def test_a_coordinator_sees_every_queue_and_filters_it(client, offices, staff, queue):
    client.force_login(staff["coordinator"])
    page = client.get("/admin/questions/").content.decode()
    assert counts(page)["moderation"] == 1 and counts(page)["received"] == 1
    assert sum(counts(page).values()) == 7
    assert len(codes(page)) == 6  # all open ones, the held one too
    no_office = client.get("/admin/questions/?office=triage").content.decode()
    assert set(codes(no_office)) == {code(queue["triage"]), code(queue["held"])}
    commune = client.get(f"/admin/questions/?office={offices['commune'].pk}").content.decode()
    assert codes(commune) == [code(queue["commune"])]
    assert counts(commune) == {**dict.fromkeys(counts(commune), 0), "assigned": 1}
    by_topic = client.get("/admin/questions/?topic=education").content.decode()
    assert set(codes(by_topic)) == {code(queue["ede"]), code(queue["triage"])}
    by_language = client.get("/admin/questions/?language=rad").content.decode()
    assert codes(by_language) == [code(queue["ede"])]
    assert sum(counts(by_language).values()) == 1
    overdue = client.get("/admin/questions/?overdue=1").content.decode()
    assert codes(overdue) == [code(queue["overdue"])]
    assert sum(counts(overdue).values()) == 7  # the counts say what each state holds
    moderation = client.get("/admin/questions/?state=moderation").content.decode()
    assert codes(moderation) == [code(queue["held"])]
    # A filter not understood is ignored, never an error.
    assert client.get("/admin/questions/?state=nonsense&office=x&page=99").status_code == 200


def test_office_staff_have_no_office_filter_and_cannot_reach_another_office_by_it(
    client, offices, staff, queue
):
    client.force_login(staff["health"])
    page = client.get(f"/admin/questions/?office={offices['commune'].pk}").content.decode()
    assert 'name="office"' not in page
    assert code(queue["commune"]) not in page
    assert len(codes(page)) == 3


def test_overdue_and_soon_due_rows_are_marked_in_words_not_by_colour_alone(client, staff, queue):
    client.force_login(staff["health"])
    page = client.get("/admin/questions/").content.decode()
    rows = {
        found: row
        for row in page.split("<tbody>")[1].split("</tr>")
        for found in codes(row + "</tr>")
    }
    overdue, soon, later = (rows[code(queue[name])] for name in ("overdue", "soon", "ede"))
    assert 'class="is-overdue"' in overdue and "Quá hạn" in overdue
    assert 'class="is-soon"' in soon and "Đến hạn trong 3 ngày" in soon
    assert "is-" not in later and "Quá hạn" not in later and "Đến hạn" not in later


def test_the_queue_shows_fifty_to_a_page(client, staff, dak_lak):
    for _ in range(53):
        ask(dak_lak)
    client.force_login(staff["health"])
    first = client.get("/admin/questions/").content.decode()
    second = client.get("/admin/questions/?page=2").content.decode()
    assert (len(codes(first)), len(codes(second))) == (50, 3)
    assert not set(codes(first)) & set(codes(second))
    assert "Trang 2/2" in second and counts(second)["assigned"] == 53


@pytest.mark.parametrize("who", ["health", "coordinator"])
def test_the_queue_takes_as_many_queries_for_sixty_rows_as_for_three(
    client, staff, dak_lak, offices, who
):
    client.force_login(staff[who])
    client.get("/admin/questions/")  # the menus and sessions settle

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/questions/").status_code == 200
        return len(captured)

    for _ in range(3):
        ask(dak_lak)
    few = queries()
    for _ in range(57):
        handling.start(ask(dak_lak), staff["health"])
    many_rows = client.get("/admin/questions/").content.decode()
    assert len(codes(many_rows)) == 50
    assert queries() == few
    assert few <= 20


def test_the_page_shows_the_text_in_its_language_its_log_and_the_contact_to_its_office_only(
    client, staff, queue
):
    ede = queue["ede"]
    Submission.objects.filter(pk=ede.pk).update(text="Hỏi về trường học (in Ê Đê)")
    client.force_login(staff["health"])
    page = client.get(f"/admin/questions/{ede.pk}/").content.decode()
    assert '<div class="question-text" lang="rad">Hỏi về trường học (in Ê Đê)</div>' in page
    assert RESIDENT in page and "Đắk Lắk" in page
    assert "Chuyển lại" in page and "coordinator" in page  # the log: reassigned, by whom
    assert 'value="rad" selected' in page  # the answer in the resident's language by default
    client.force_login(staff["coordinator"])
    page = client.get(f"/admin/questions/{ede.pk}/").content.decode()
    assert "Hỏi về trường học" in page and RESIDENT not in page
    assert "chỉ hiện cho cơ quan đang xử lý" in page


def test_answering_in_ede_from_the_page_sends_it_and_says_so(
    client, staff, queue, django_capture_on_commit_callbacks
):
    ede = queue["ede"]
    client.force_login(staff["health"])
    posted = {
        "action": "answer",
        "answer-text": EDE_STAND_IN,
        "answer-language": "rad",
        "answer-vietnamese": VIETNAMESE,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/questions/{ede.pk}/", posted, follow=True)
    assert response.redirect_chain == [(f"/admin/questions/{ede.pk}/", 302)]
    page = response.content.decode()
    assert "Câu trả lời đã được lưu và đang được gửi tới người dân." in page
    assert f'<div class="question-text" lang="rad">{EDE_STAND_IN}</div>' in page
    assert f'<div class="question-text" lang="vi">{VIETNAMESE}</div>' in page
    ede.refresh_from_db()
    assert (ede.state, ede.answer_language, ede.answer_vi) == ("answered", "rad", VIETNAMESE)
    (message,) = Message.objects.filter(submission=ede)
    assert (message.channel, message.text, message.state) == ("sms", EDE_STAND_IN, "sent")


def test_an_answer_without_its_vietnamese_or_a_refused_step_shows_the_page_again_unchanged(
    client, staff, queue
):
    ede, answered = queue["ede"], queue["answered"]
    client.force_login(staff["health"])
    response = client.post(
        f"/admin/questions/{ede.pk}/",
        {"action": "answer", "answer-text": EDE_STAND_IN, "answer-language": "rad"},
    )
    assert response.status_code == 400
    assert "cần kèm bản tiếng Việt" in response.content.decode()
    assert EDE_STAND_IN in response.content.decode()  # what was written is kept
    response = client.post(
        f"/admin/questions/{answered.pk}/",
        {"action": "close", "close-state": "rejected", "close-note": "Sai"},
    )
    assert response.status_code == 400
    assert "Không thể làm việc này" in response.content.decode()
    assert Submission.objects.get(pk=answered.pk).state == "answered"
    assert Submission.objects.get(pk=ede.pk).answer == ""
    assert not Message.objects.filter(submission=ede).exists()


def test_each_step_from_the_page_is_taken_logged_and_said(client, offices, staff, queue):
    client.force_login(staff["coordinator"])
    held, triage = queue["held"], queue["triage"]
    for posted, said in (
        ({"action": "release"}, "Đã cho qua kiểm duyệt."),
        ({"action": "note", "note-text": "Gọi lại cho sở"}, "Đã thêm ghi chú."),
        ({"action": "start"}, "Đã chuyển sang đang xử lý."),
        ({"action": "escalate", "escalate-note": "Cần bộ trả lời"}, "Bộ Y tế"),
    ):
        response = client.post(f"/admin/questions/{held.pk}/", posted, follow=True)
        assert said in response.content.decode(), posted
    response = client.post(
        f"/admin/questions/{triage.pk}/",
        {"action": "reassign", "reassign-office": offices["commune"].pk, "reassign-note": ""},
        follow=True,
    )
    assert "Đã chuyển cho UBND xã Ea Súp." in response.content.decode()
    response = client.post(
        f"/admin/questions/{triage.pk}/",
        {"action": "close", "close-state": "not_ours", "close-note": "Việc của huyện"},
        follow=True,
    )
    assert "Đã đóng với kết quả “Không thuộc thẩm quyền”." in response.content.decode()
    assert [kind for kind, _actor, _office in steps(Submission.objects.get(pk=held.pk))] == [
        "received",
        "held",
        "routed",
        "note",
        "started",
        "escalated",
    ]
    assert steps(Submission.objects.get(pk=triage.pk))[-2:] == [
        ("reassigned", "coordinator", "UBND xã Ea Súp"),
        ("not_ours", "coordinator", "UBND xã Ea Súp"),
    ]


def test_an_answer_that_could_not_be_delivered_is_flagged_on_its_page_and_in_the_queue(
    client, staff, queue
):
    answered = queue["answered"]
    (message,) = Message.objects.filter(submission=answered)
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, error="SMSC: the number does not exist"
    )
    client.force_login(staff["health"])
    page = client.get(f"/admin/questions/{answered.pk}/").content.decode()
    assert "Câu trả lời chưa đến được người dân" in page
    assert "SMSC: the number does not exist" in page
    listed = client.get("/admin/questions/?state=answered").content.decode()
    assert "Câu trả lời chưa đến được người dân" in listed
    assert Message.objects.filter(kind=MessageKind.ANSWER).count() == 1


def test_a_submission_hidden_from_the_user_is_answered_exactly_like_a_missing_one(
    client, staff, queue
):
    client.force_login(staff["commune"])
    theirs = client.get(f"/admin/questions/{queue['commune'].pk}/")
    assert theirs.status_code == 200  # the positive control
    missing = client.get("/admin/questions/999999/")
    assert missing.status_code == 404
    for name in ("overdue", "triage", "held"):
        hidden = client.get(f"/admin/questions/{queue[name].pk}/")
        assert hidden.status_code == 404, name
        assert hidden.content == missing.content, name
        posted = client.post(f"/admin/questions/{queue[name].pk}/", {"action": "note"})
        assert posted.status_code == 404, name
    assert Submission.objects.get(pk=queue["overdue"].pk).events.count() == 2


def test_the_menu_shows_questions_to_office_staff_and_coordinators_only(client, staff, queue):
    from django.contrib.auth.models import Permission, User

    editor = User.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user, shown in ((staff["commune"], True), (staff["coordinator"], True), (editor, False)):
        client.force_login(user)
        page = client.get("/admin/").content.decode()
        assert ("/admin/questions/" in page) is shown, user
    assert client.get("/admin/questions/").status_code == 302  # the editor: no queue


@pytest.mark.parametrize(
    "query",
    [
        "state=%00&topic=%ff&language=..%2f&office=-1&overdue=yes&page=99999999999999999999",
        "office=triage&office=1&state=all&page=-3",
        "state=" + "x" * 5000,
        "page=%F0%9F%98%80&overdue=%0a",
    ],
)
def test_the_queue_and_the_figures_shrug_off_hostile_query_strings(client, staff, queue, query):
    """The admin is outside the fuzz crawl: its two filtered pages are asked here."""
    for who in ("health", "coordinator"):
        client.force_login(staff[who])
        for url in ("/admin/questions/", "/admin/questions/report/"):
            answer = client.get(f"{url}?{query}")
            assert answer.status_code == 200, (who, url)
            assert "\x00" not in answer.content.decode()
            # Nor in the listing's links, which keep only the filters understood.
            assert "x" * 100 not in answer.content.decode() and "%00" not in answer.content.decode()
