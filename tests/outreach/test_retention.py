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

    assert erase_expired() == Erased(contacts=2, subscribers=1, messages=1)
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert not ConsentRecord.objects.filter(subscriber=stale.pk).exists()
    assert ConsentRecord.objects.filter(subscriber=kept).count() == 2
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact, recent.contact) == (None, contact)
    assert erase_expired() == Erased(0, 0, 0)


def test_the_command_reports_what_it_erased(ea_sup, capsys):
    call_command("outreach_retention")
    assert (
        "0 unconfirmed contacts and 0 subscribers deleted; 0 messages cut"
        in capsys.readouterr().out
    )


@pytest.mark.django_db
def test_migrating_creates_the_outreach_officers_group_with_its_permissions():
    group = Group.objects.get(name="Outreach officers")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "access_admin",
        "add_bulletin",
        "add_subscriber",
        "change_bulletin",
        "view_bulletin",
        "view_message",
    ]
