"""Offices are reminded, once a day, by e-mail through the outbox, of what is overdue or due
soon in their queue: counts and codes, never a resident's details."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from outreach import reminders
from outreach.models import Message, MessageState, Office, Submission, SubmissionState
from outreach.models.messages import MessageKind
from tests.outreach.test_handling import ask, make_offices

pytestmark = pytest.mark.usefixtures("home")


def due(submission, days, **fields):
    Submission.objects.filter(pk=submission.pk).update(
        due_at=timezone.now() + datetime.timedelta(days=days), **fields
    )
    submission.refresh_from_db()
    return submission


@pytest.fixture
def offices(dak_lak, ea_sup):
    found = make_offices(dak_lak, ea_sup)
    Office.objects.filter(pk=found["health"].pk).update(email="soyte@daklak.gov.vn")
    found["health"].refresh_from_db()
    return found


def test_an_office_is_told_what_is_overdue_and_due_soon_once_a_day(
    servers, offices, dak_lak, ea_sup, django_capture_on_commit_callbacks
):
    mailbox, _smsc = servers
    late = due(ask(dak_lak, answer_to="+84911111111"), -2)
    soon = due(ask(dak_lak), 1)
    due(ask(dak_lak), 20)  # not yet
    due(ask(dak_lak), -5, state=SubmissionState.ANSWERED)  # answered: nothing owed
    due(ask(dak_lak, commune=ea_sup), -1)  # the commune office's, which has no e-mail
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_offices() == 1
    (email,) = mailbox.received
    assert email["To"] == "soyte@daklak.gov.vn"
    text = email.get_body(("plain",)).get_content()
    assert "1 quá hạn" in text and "1 sắp đến hạn" in text
    assert f"{late.reference[:5]}-{late.reference[5:]}" in text
    assert f"{soon.reference[:5]}-{soon.reference[5:]}" in text
    assert "/admin/questions/?overdue=1" in text
    assert "+84911111111" not in text and "Khi nào" not in text  # no resident's details
    message = Message.objects.get(kind=MessageKind.REMINDER)
    assert (message.office, message.state) == (offices["health"], MessageState.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_offices() == 0  # once a day
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert reminders.remind_offices(now=tomorrow) == 1


def test_the_command_says_how_many_offices_were_reminded(offices, capsys):
    call_command("outreach_reminders")
    assert "0 offices reminded" in capsys.readouterr().out
