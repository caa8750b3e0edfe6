"""The offices' handling of residents' submissions: who sees which, each step with who took
it, the answer kept and sent to the resident, and the steps refused."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from outreach import feedback, handling, links
from outreach.handling import HandlingRefused
from outreach.models import (
    Message,
    MessageState,
    Office,
    RoutingRule,
    Submission,
    SubmissionState,
)

pytestmark = pytest.mark.usefixtures("home")

RESIDENT = "+84912345678"
EDE_STAND_IN = "[Ê Đê: the answer as the office writes it]"
"""Where a real answer in Ê Đê would be: the tests never make up minority-language text."""
VIETNAMESE = "Thẻ bảo hiểm y tế được phát tại UBND xã trong tháng 12."


def make_offices(dak_lak, ea_sup):
    """The Ministry of Health; Đắk Lắk's health department under it; Ea Súp's commune office
    (remote) under that, each with its staff group. Health questions in Đắk Lắk go to the
    department, anything from Ea Súp to the commune; the rest waits in triage."""
    national = Office.objects.create(name="Bộ Y tế", group=Group.objects.create(name="Bộ Y tế"))
    health = Office.objects.create(
        name="Sở Y tế Đắk Lắk",
        place=dak_lak,
        parent=national,
        group=Group.objects.create(name="Sở Y tế Đắk Lắk"),
    )
    commune = Office.objects.create(
        name="UBND xã Ea Súp",
        place=ea_sup,
        parent=health,
        remote=True,
        group=Group.objects.create(name="UBND xã Ea Súp"),
    )
    RoutingRule.objects.create(topic="health", place=dak_lak, office=health)
    RoutingRule.objects.create(topic="", place=ea_sup, office=commune)
    return {"national": national, "health": health, "commune": commune}


@pytest.fixture
def offices(dak_lak, ea_sup):
    return make_offices(dak_lak, ea_sup)


def member(name, office):
    """A user who may enter the admin, in ``office``'s staff group."""
    user = User.objects.create_user(name, password="x")
    office.group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(office.group)
    return user


def make_coordinator(name="coordinator"):
    """A user who triages: any submission, any office."""
    user = User.objects.create_user(name, password="x")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_submission"])
    )
    return User.objects.get(pk=user.pk)  # without the permission cache


def make_staff(offices):
    """A member of the health department, one of Ea Súp's office, and a coordinator."""
    return {
        "health": member("y-te", offices["health"]),
        "commune": member("ea-sup", offices["commune"]),
        "coordinator": make_coordinator(),
    }


@pytest.fixture
def staff(offices):
    return make_staff(offices)


def ask(dak_lak, **fields):
    """A resident's question about health in Đắk Lắk, answered by SMS unless said otherwise."""
    values = {
        "kind": "question",
        "text": "Khi nào có thẻ bảo hiểm y tế cho trẻ em?",
        "language": "vi",
        "came_by": "web",
        "topic": "health",
        "province": dak_lak,
        "answer_channel": "sms",
        "answer_to": RESIDENT,
        "consent_text": "Tôi đồng ý",
    }
    return feedback.receive(feedback.Received(**{**values, **fields}))


def steps(submission):
    return [
        (event.kind, event.actor and event.actor.username, event.office and event.office.name)
        for event in submission.events.select_related("actor", "office")
    ]


def test_staff_see_their_offices_submissions_and_a_coordinator_sees_all(
    offices, staff, dak_lak, ea_sup
):
    health = ask(dak_lak)
    commune = ask(dak_lak, commune=ea_sup)
    triage = ask(dak_lak, topic="education")
    held = ask(dak_lak, held_because=("links",))
    root = User.objects.create_superuser("root", password="x")
    nobody = User.objects.create_user("reader", password="x")
    assert list(handling.offices_of(staff["health"])) == [offices["health"]]
    assert set(handling.offices_of(root)) == set(offices.values())
    assert not handling.offices_of(staff["coordinator"]).exists()
    assert [handling.may_triage(user) for user in (*staff.values(), root, nobody)] == [
        False,
        False,
        True,
        True,
        False,
    ]
    assert set(handling.visible_to(staff["health"])) == {health}
    assert set(handling.visible_to(staff["commune"])) == {commune}
    everything = {health, commune, triage, held}
    assert set(handling.visible_to(staff["coordinator"])) == everything
    assert set(handling.visible_to(root)) == everything
    assert not handling.visible_to(nobody).exists()


def test_only_the_office_handling_it_may_see_how_to_reach_the_resident(
    offices, staff, dak_lak, ea_sup
):
    health = ask(dak_lak)
    assert handling.handles(staff["health"], health)
    assert not handling.handles(staff["commune"], health)
    assert not handling.handles(staff["coordinator"], health)  # a coordinator, not its office
    assert handling.handles(User.objects.create_superuser("root", password="x"), health)
    assert not handling.handles(staff["coordinator"], ask(dak_lak, topic="education"))


def test_an_answer_in_ede_keeps_the_vietnamese_beside_it_goes_by_sms_and_shows_on_its_page(
    offices, staff, dak_lak, servers, client, django_capture_on_commit_callbacks
):
    _mailbox, smsc = servers
    smsc.receipt_state = None  # the subject is the answer as sent, not its receipt
    question = ask(dak_lak, language="rad")
    with django_capture_on_commit_callbacks(execute=True):
        message = handling.answer(
            question, staff["health"], text=EDE_STAND_IN, language="rad", vietnamese=VIETNAMESE
        )
    question.refresh_from_db()
    assert (question.state, question.answer, question.answer_language, question.answer_vi) == (
        SubmissionState.ANSWERED,
        EDE_STAND_IN,
        "rad",
        VIETNAMESE,
    )
    assert question.answered_at is not None
    assert steps(question)[-1] == ("answered", "y-te", "Sở Y tế Đắk Lắk")
    assert smsc.arrived(1) and smsc.texts() == [(RESIDENT[1:], EDE_STAND_IN)]
    message.refresh_from_db()
    code = feedback.shown(question.reference)
    assert (message.channel, message.language, message.state) == ("sms", "rad", MessageState.SENT)
    assert message.link == f"{links.site_url()}/rad/ask/{code}/"
    assert message.subject == f"Trả lời câu hỏi {code} của bạn"  # Ê Đê has no catalogue yet
    page = client.get(f"/rad/ask/{code}/").content.decode()
    assert f'<div class="answer" lang="rad"><p>{EDE_STAND_IN}</p></div>' in page
    assert f'<div class="answer" lang="vi"><p>{VIETNAMESE}</p></div>' in page
    assert RESIDENT not in page


def test_an_answer_too_long_for_six_sms_parts_sends_the_link_to_its_page_instead(
    offices, staff, dak_lak, servers, django_capture_on_commit_callbacks
):
    _mailbox, smsc = servers
    question = ask(dak_lak)
    long = "Thẻ bảo hiểm y tế được phát tại xã. " * 12  # 432 UCS-2 units, seven parts
    with django_capture_on_commit_callbacks(execute=True):
        handling.answer(question, staff["health"], text=long, language="vi", vietnamese="")
    question.refresh_from_db()
    assert question.answer == long.strip() and question.answer_vi == ""
    code = feedback.shown(question.reference)
    assert smsc.arrived(1)
    ((to, text),) = smsc.texts()
    assert to == RESIDENT[1:]
    assert text == (
        f"Bản Làng: câu trả lời cho câu hỏi {code} quá dài để gửi qua SMS; "
        f"đọc tại {links.site_url()}/vi/ask/{code}/"
    )


def test_an_answer_by_email_has_its_subject_and_the_link_to_its_page(
    offices, staff, dak_lak, servers, django_capture_on_commit_callbacks
):
    mailbox, _smsc = servers
    question = ask(dak_lak, answer_channel="email", answer_to="dan@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        handling.answer(question, staff["health"], text=VIETNAMESE, language="vi", vietnamese="")
    code = feedback.shown(question.reference)
    (email,) = mailbox.received
    assert email["To"] == "dan@example.vn"
    assert email["Subject"].strip() == f"Trả lời câu hỏi {code} của bạn"
    body = email.get_body(("plain",)).get_content()
    assert VIETNAMESE in body and f"{links.site_url()}/vi/ask/{code}/" in body


def test_an_answer_followed_by_its_code_alone_is_not_sent(
    offices, staff, dak_lak, django_capture_on_commit_callbacks
):
    question = ask(dak_lak, answer_channel="", answer_to="")
    with django_capture_on_commit_callbacks(execute=True):
        sent = handling.answer(
            question, staff["health"], text=VIETNAMESE, language="vi", vietnamese=""
        )
    assert sent is None and not Message.objects.exists()
    assert Submission.objects.get(pk=question.pk).state == SubmissionState.ANSWERED


def test_an_answer_in_another_language_needs_the_vietnamese_beside_it(offices, staff, dak_lak):
    question = ask(dak_lak, language="rad")
    with pytest.raises(HandlingRefused, match="tiếng Việt"):
        handling.answer(question, staff["health"], text=EDE_STAND_IN, language="rad", vietnamese="")
    with pytest.raises(HandlingRefused):
        handling.answer(question, staff["health"], text="  ", language="vi", vietnamese="")
    with pytest.raises(HandlingRefused):
        handling.answer(question, staff["health"], text=VIETNAMESE, language="xx", vietnamese="")
    question.refresh_from_db()
    assert (question.state, question.answer, Message.objects.count()) == ("assigned", "", 0)


def test_starting_and_notes_are_logged_with_who_took_them(offices, staff, dak_lak):
    question = ask(dak_lak)
    handling.start(question, staff["health"])
    assert question.state == SubmissionState.IN_PROGRESS
    handling.note(question, staff["coordinator"], "Đã gọi điện cho trạm y tế xã.")
    question.refresh_from_db()
    assert question.state == SubmissionState.IN_PROGRESS
    assert steps(question)[-2:] == [
        ("started", "y-te", "Sở Y tế Đắk Lắk"),
        ("note", "coordinator", "Sở Y tế Đắk Lắk"),
    ]
    assert question.events.last().note == "Đã gọi điện cho trạm y tế xã."


def test_reassigning_hands_over_keeps_the_deadline_and_is_logged(offices, staff, dak_lak):
    question = ask(dak_lak)
    due = question.due_at
    handling.reassign(question, staff["health"], offices["commune"], "Thuộc xã Ea Súp.")
    question.refresh_from_db()
    assert (question.office, question.state, question.due_at) == (
        offices["commune"],
        SubmissionState.ASSIGNED,
        due,
    )
    assert steps(question)[-1] == ("reassigned", "y-te", "UBND xã Ea Súp")
    assert question.events.last().note == "Thuộc xã Ea Súp."
    # The department handed it over: it is no longer theirs to hand on.
    with pytest.raises(HandlingRefused):
        handling.reassign(question, staff["health"], offices["national"], "")
    # A coordinator sends one from triage to an office.
    triage = ask(dak_lak, topic="education")
    handling.reassign(triage, staff["coordinator"], offices["health"], "")
    assert (triage.office, triage.state) == (offices["health"], SubmissionState.ASSIGNED)
    assert steps(triage)[-1] == ("reassigned", "coordinator", "Sở Y tế Đắk Lắk")


def test_escalating_goes_to_the_office_above_and_refuses_without_one(
    offices, staff, dak_lak, ea_sup
):
    question = ask(dak_lak, commune=ea_sup)
    handling.start(question, staff["commune"])
    handling.escalate(question, staff["commune"], "Quá khả năng của xã.")
    assert (question.office, question.state) == (offices["health"], SubmissionState.ASSIGNED)
    handling.escalate(question, staff["coordinator"], "")
    assert question.office == offices["national"]
    assert [step for step in steps(question) if step[0] == "escalated"] == [
        ("escalated", "ea-sup", "Sở Y tế Đắk Lắk"),
        ("escalated", "coordinator", "Bộ Y tế"),
    ]
    with pytest.raises(HandlingRefused, match="cấp trên"):
        handling.escalate(question, staff["coordinator"], "")
    assert Submission.objects.get(pk=question.pk).office == offices["national"]


def test_releasing_a_held_submission_routes_it_as_the_rules_say_or_to_triage(
    offices, staff, dak_lak
):
    routed = ask(dak_lak, held_because=("links",))
    unrouted = ask(dak_lak, topic="education", held_because=("classifier",))
    with pytest.raises(HandlingRefused):
        handling.release(routed, staff["health"])  # office staff never see what is held
    handling.release(routed, staff["coordinator"])
    handling.release(unrouted, staff["coordinator"])
    assert (routed.office, routed.state) == (offices["health"], SubmissionState.ASSIGNED)
    assert (unrouted.office, unrouted.state) == (None, SubmissionState.RECEIVED)
    assert steps(routed)[-1] == ("routed", "coordinator", "Sở Y tế Đắk Lắk")
    assert steps(unrouted)[-1] == ("triage", "coordinator", None)
    with pytest.raises(HandlingRefused):
        handling.release(routed, staff["coordinator"])  # no longer held


def test_closing_not_ours_and_rejecting_are_logged_and_final(offices, staff, dak_lak):
    answered = ask(dak_lak)
    handling.answer(answered, staff["health"], text=VIETNAMESE, language="vi", vietnamese="")
    handling.close(answered, staff["health"], SubmissionState.CLOSED, "")
    other = ask(dak_lak)
    handling.close(other, staff["health"], SubmissionState.NOT_OURS, "Thuộc ngành giáo dục.")
    spam = ask(dak_lak, held_because=("links",))
    handling.close(spam, staff["coordinator"], SubmissionState.REJECTED, "Quảng cáo.")
    for submission, state in (
        (answered, SubmissionState.CLOSED),
        (other, SubmissionState.NOT_OURS),
        (spam, SubmissionState.REJECTED),
    ):
        submission.refresh_from_db()
        assert submission.state == state and submission.closed_at is not None
        assert steps(submission)[-1][0] == state  # the outcome is the step
    assert other.events.last().note == "Thuộc ngành giáo dục."
    assert spam.events.last().note == "Quảng cáo."
    with pytest.raises(HandlingRefused):
        handling.answer(spam, staff["coordinator"], text="Trả lời", language="vi", vietnamese="")
    with pytest.raises(HandlingRefused):
        handling.close(answered, staff["health"], SubmissionState.REJECTED, "")
    with pytest.raises(HandlingRefused):  # not a closing state
        handling.close(ask(dak_lak), staff["health"], SubmissionState.ANSWERED, "")


def test_steps_on_another_offices_submission_or_in_the_wrong_state_are_refused(
    offices, staff, dak_lak
):
    question = ask(dak_lak)
    before = list(question.events.values_list("pk", flat=True))
    refused = [
        lambda: handling.start(question, staff["commune"]),
        lambda: handling.note(question, staff["commune"], "Xem giúp"),
        lambda: handling.answer(
            question, staff["commune"], text="Trả lời", language="vi", vietnamese=""
        ),
        lambda: handling.reassign(question, staff["commune"], offices["commune"], ""),
        lambda: handling.escalate(question, staff["commune"], ""),
        lambda: handling.close(question, staff["commune"], SubmissionState.REJECTED, ""),
        lambda: handling.reassign(question, staff["health"], offices["health"], ""),  # its own
        lambda: handling.note(question, staff["health"], "   "),
    ]
    for step in refused:
        with pytest.raises(HandlingRefused):
            step()
    handling.start(question, staff["health"])
    with pytest.raises(HandlingRefused):
        handling.start(question, staff["health"])  # already started
    question.refresh_from_db()
    assert question.office == offices["health"] and question.state == "in_progress"
    assert len(before) + 1 == question.events.count()


def test_a_refusal_says_why_in_the_users_language(offices, staff, dak_lak):
    question = ask(dak_lak)
    with pytest.raises(HandlingRefused) as refused:
        handling.start(question, staff["commune"])
    assert "cơ quan khác" in str(refused.value)
    assert isinstance(refused.value, ValueError)


def test_the_deadline_stays_when_a_submission_is_escalated(offices, staff, dak_lak, ea_sup):
    question = ask(dak_lak, commune=ea_sup)
    assert question.due_at - question.received_at > datetime.timedelta(days=44)
    due = question.due_at
    handling.escalate(question, staff["commune"], "")
    assert Submission.objects.get(pk=question.pk).due_at == due
    assert due > timezone.now()
