"""The bulletins in the admin: counts, SMS sizes, approval by a second person, re-sending."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from outreach.models import Bulletin, BulletinState, BulletinText, Contact, Message, MessageState
from outreach.models.messages import MessageKind
from tests.outreach.factories import make_subscriber

pytestmark = pytest.mark.usefixtures("home", "outbox_channels")


def officer(name):
    group, _ = Group.objects.get_or_create(name="Outreach officers (test)")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_bulletin", "change_bulletin", "view_message"]
        )
    )
    user = User.objects.create_user(name, password="x")
    user.groups.add(group)
    return user


@pytest.fixture
def bulletin(ea_sup, settings):
    settings.BANLANG_OUTREACH = {**settings.BANLANG_OUTREACH, "APPROVAL_ABOVE": 2}
    for number in range(3):
        make_subscriber(number, province=ea_sup.parent, commune=ea_sup, channels=("sms",))
    author = officer("author")
    bulletin = Bulletin.objects.create(
        name="Bão số 9", topic="health", channels=["sms"], created_by=author
    )
    bulletin.provinces.add(ea_sup.parent)
    BulletinText.objects.create(
        bulletin=bulletin,
        language="vi",
        short="Bão số 9 đổ bộ chiều nay. Không ra đồng, không qua suối.",
        title="Bão số 9",
    )
    return bulletin


def test_the_author_cannot_approve_a_large_bulletin_and_another_officer_can(
    client, bulletin, django_capture_on_commit_callbacks
):
    client.force_login(bulletin.created_by)
    page = client.get(f"/admin/bulletins/{bulletin.pk}/").content.decode()
    assert "56 ký tự ucs2, 1 SMS" in page  # with marks
    assert "56 ký tự gsm7, 1 SMS" in page  # folded
    refused = client.post(f"/admin/bulletins/{bulletin.pk}/send/", follow=True)
    assert "người khác phải duyệt" in refused.content.decode()
    bulletin.refresh_from_db()
    assert (bulletin.state, Message.objects.count()) == (BulletinState.AWAITING_APPROVAL, 0)
    client.force_login(officer("approver"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/bulletins/{bulletin.pk}/send/")
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.SENT
    assert Message.objects.filter(state=MessageState.SENT).count() == 3
    listing = client.get("/admin/bulletins/").content.decode()
    assert "Bão số 9" in listing


def test_failed_messages_are_sent_again_on_request(
    client, bulletin, django_capture_on_commit_callbacks
):
    for contact in Contact.objects.all():
        Message.objects.create(
            bulletin=bulletin,
            contact=contact,
            channel="sms",
            kind=MessageKind.BULLETIN,
            language="vi",
            text="Bão",
            state=MessageState.FAILED,
            attempts=5,
            error="Gave up: SMSC status 0x58",
        )
    client.force_login(officer("officer"))
    page = client.get(f"/admin/bulletins/{bulletin.pk}/").content.decode()
    assert "Gave up: SMSC status 0x58" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/bulletins/{bulletin.pk}/resend/")
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}
    assert Message.objects.count() == 3


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_bulletins_are_only_for_outreach_officers(client, bulletin, who):
    if who == "editor":
        editor = User.objects.create_user("editor", password="x")
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(editor)
    for url in ("/admin/bulletins/", f"/admin/bulletins/{bulletin.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "Bão số 9" not in response.content.decode()
    assert client.post(f"/admin/bulletins/{bulletin.pk}/send/").status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.state == BulletinState.DRAFT
