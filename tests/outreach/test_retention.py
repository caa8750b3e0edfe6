"""Personal data is erased on schedule: unconfirmed contacts after a week, message recipients
after ninety days; confirmed subscribers and the counts stay."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from outreach.models import ConsentRecord, Contact, Message, Subscriber
from outreach.models.messages import MessageKind
from outreach.retention import Erased, erase_expired
from tests.outreach.factories import make_subscriber


def test_unconfirmed_contacts_go_after_a_week_and_old_messages_lose_their_recipient(ea_sup):
    kept = make_subscriber(1, province=ea_sup.parent)
    stale = make_subscriber(2, province=ea_sup.parent, confirmed=False)
    fresh = make_subscriber(3, province=ea_sup.parent, confirmed=False)
    week_ago = timezone.now() - datetime.timedelta(days=8)
    Contact.objects.filter(subscriber=stale).update(created_at=week_ago)
    contact = kept.contacts.first()
    old = Message.objects.create(
        contact=contact, channel=contact.channel, kind=MessageKind.BULLETIN, language="vi", text="a"
    )
    recent = Message.objects.create(
        contact=contact, channel=contact.channel, kind=MessageKind.BULLETIN, language="vi", text="b"
    )
    Message.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=91)
    )

    assert erase_expired() == Erased(
        contacts=2, subscribers=1, messages=1, answer_addresses=0, submission_files=0
    )
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert not ConsentRecord.objects.filter(subscriber=stale.pk).exists()
    assert ConsentRecord.objects.filter(subscriber=kept).count() == 2
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact, recent.contact) == (None, contact)
    assert erase_expired() == Erased(0, 0, 0, 0, 0)


def test_the_command_reports_what_it_erased(ea_sup, capsys):
    call_command("outreach_retention")
    assert (
        "0 unconfirmed contacts and 0 subscribers deleted; 0 messages cut from their "
        "contacts; 0 residents' addresses and 0 of their photos and voice messages erased"
        in capsys.readouterr().out
    )


@pytest.mark.django_db
def test_migrating_creates_the_outreach_officers_group_with_its_permissions():
    group = Group.objects.get(name="Outreach officers")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "access_admin",
        "add_bulletin",
        "add_programme",
        "add_subscriber",
        "change_bulletin",
        "change_programme",
        "delete_programme",
        "view_bulletin",
        "view_loudspeakercluster",
        "view_message",
        "view_programme",
    ]


def test_a_residents_address_goes_a_year_after_the_question_was_closed_or_answered(dak_lak):
    from outreach import feedback
    from outreach.models import Submission

    def asked(**dates):
        submission = feedback.receive(
            feedback.Received(
                kind="question",
                text="Khi nào có điện?",
                language="vi",
                came_by="web",
                answer_channel="sms",
                answer_to="+84912345678",
                consent_text="Tôi đồng ý",
            )
        )
        Submission.objects.filter(pk=submission.pk).update(**dates)
        return submission.pk

    year = timezone.now() - datetime.timedelta(days=366)
    month = timezone.now() - datetime.timedelta(days=30)
    closed_long_ago = asked(closed_at=year, answered_at=year)
    answered_long_ago = asked(answered_at=year)
    closed_lately = asked(closed_at=month, answered_at=year)
    open_for_long = asked(received_at=year)
    assert erase_expired() == Erased(0, 0, 0, answer_addresses=2, submission_files=0)
    kept = dict(Submission.objects.values_list("pk", "answer_to"))
    assert kept == {
        closed_long_ago: "",
        answered_long_ago: "",
        closed_lately: "+84912345678",
        open_for_long: "+84912345678",
    }
    assert Submission.objects.filter(text="Khi nào có điện?").count() == 4  # the questions stay
    assert erase_expired() == Erased(0, 0, 0, 0, 0)
