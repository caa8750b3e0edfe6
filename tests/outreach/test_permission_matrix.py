"""Who may see what of outreach: the outbox in the admin, and a subscriber's own pages.

Each surface is asked by every kind of user, with a positive control: the one who may see it
does, so a surface that shows nothing to anyone cannot pass.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import signing

from outreach.models import Channel, Message
from outreach.models.messages import MessageKind
from outreach.subscriptions import manage_token
from tests.outreach.test_subscribing import E164, EMAIL, confirmed_subscriber

pytestmark = pytest.mark.usefixtures("home")

WHO = ["anonymous", "reader", "editor", "outreach officer", "superuser"]


@pytest.fixture
def users(db):
    admin_access = Permission.objects.get(codename="access_admin")
    editors = Group.objects.create(name="Editors (test)")
    editors.permissions.add(admin_access)
    officers = Group.objects.create(name="Outreach officers (test)")
    officers.permissions.add(admin_access, Permission.objects.get(codename="view_message"))
    found = {"anonymous": None, "reader": User.objects.create_user("reader", password="x")}
    found["editor"] = User.objects.create_user("editor", password="x")
    found["editor"].groups.add(editors)
    found["outreach officer"] = User.objects.create_user("officer", password="x")
    found["outreach officer"].groups.add(officers)
    found["superuser"] = User.objects.create_superuser("root", password="x")
    return found


@pytest.fixture
def outbox(ea_sup):
    subscriber = confirmed_subscriber(ea_sup)
    sms = subscriber.contacts.get(channel=Channel.SMS)
    Message.objects.create(
        contact=sms, channel="sms", kind=MessageKind.BULLETIN, language="km", text="Tin sức khỏe"
    )
    return subscriber


@pytest.mark.parametrize("who", WHO)
def test_only_who_may_read_the_outbox_sees_it_and_never_a_whole_number(client, users, outbox, who):
    if users[who]:
        client.force_login(users[who])
    response = client.get("/admin/outbox/")
    if who in ("outreach officer", "superuser"):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Tin sức khỏe" in html and "…5678" in html
        assert E164 not in html and "912345678" not in html
        assert "km" not in html.split("<table", 1)[1]  # no language beside a message
    elif who == "editor":
        # Wagtail's answer to an editor without the permission: back to the dashboard.
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("who", WHO)
def test_a_subscribers_page_answers_its_token_and_nothing_else(client, users, outbox, who):
    if users[who]:
        client.force_login(users[who])
    token = manage_token(outbox)
    page = client.get(f"/vi/subscribe/manage/{token}/")
    assert page.status_code == 200 and E164 in page.content.decode()
    for forged in (
        signing.dumps(str(outbox.public_id)),  # signed, but not for this purpose
        signing.dumps(str(outbox.public_id), salt="outreach.pending"),
        token[:-1] + ("A" if token[-1] != "A" else "B"),
    ):
        for suffix in ("", "export.json", "erase/"):
            response = client.get(f"/vi/subscribe/manage/{forged}/{suffix}")
            assert response.status_code == 404, (forged, suffix)
            assert EMAIL not in response.content.decode()
