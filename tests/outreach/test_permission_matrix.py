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
        ("A" if token[0] != "A" else "B") + token[1:],
    ):
        for suffix in ("", "export.json", "erase/"):
            response = client.get(f"/vi/subscribe/manage/{forged}/{suffix}")
            assert response.status_code == 404, (forged, suffix)
            assert EMAIL not in response.content.decode()


def token_urls(subscriber):
    """Every page reached by a token, with the token genuine."""
    from outreach.subscriptions import CONFIRM_SALT, unsubscribe_token
    from outreach.views import PENDING_SALT

    email = subscriber.contacts.get(channel=Channel.EMAIL)
    manage = manage_token(subscriber)
    pending = signing.dumps(str(subscriber.public_id), salt=PENDING_SALT)
    return {
        "waiting": f"/vi/subscribe/waiting/{pending}/",
        "confirm": f"/vi/subscribe/confirm/{signing.dumps(email.pk, salt=CONFIRM_SALT)}/",
        "manage": f"/vi/subscribe/manage/{manage}/",
        "export": f"/vi/subscribe/manage/{manage}/export.json",
        "erase": f"/vi/subscribe/manage/{manage}/erase/",
        "unsubscribe": f"/vi/subscribe/unsubscribe/{unsubscribe_token(email)}/",
    }


def forged(url):
    """``url`` with its token (the longest path segment) changed in its first character: the
    signed value, never the signature's last character, whose low bits base64 ignores."""
    segments = url.split("/")
    token = max(segments, key=len)
    changed = ("A" if token[0] != "A" else "B") + token[1:]
    return "/".join(changed if segment == token else segment for segment in segments)


HEADERS_COMPARED = ("Content-Type", "Cache-Control", "Content-Language", "Vary")


@pytest.mark.parametrize("who", WHO)
def test_every_token_page_answers_a_forged_token_exactly_like_a_missing_page(
    client, users, outbox, who
):
    if users[who]:
        client.force_login(users[who])
    missing = client.get("/vi/subscribe/khong-co-trang-nay/")
    assert missing.status_code == 404
    for name, url in token_urls(outbox).items():
        assert client.get(url).status_code == 200, name  # the positive control
        answer = client.get(forged(url))
        assert answer.status_code == 404, name
        assert {h: answer.get(h) for h in HEADERS_COMPARED} == {
            h: missing.get(h) for h in HEADERS_COMPARED
        }, name
        assert E164 not in answer.content.decode() and EMAIL not in answer.content.decode()
