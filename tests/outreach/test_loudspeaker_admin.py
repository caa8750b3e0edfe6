"""The loudspeaker admin: clusters' times and languages, device tokens shown once and revoked,
and who may reach each page."""

import hashlib
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from wagtail.test.utils.form_data import nested_form_data

from outreach.models import LoudspeakerCluster
from outreach.signal_handlers import OUTREACH_OFFICERS

ADD_CLUSTER = "/admin/snippets/outreach/loudspeakercluster/add/"


@pytest.fixture
def cluster(ea_sup):
    made = LoudspeakerCluster.objects.create(
        name="Cụm loa xã Ea Súp", times=["06:00"], languages=["vi"]
    )
    made.communes.add(ea_sup)
    return made


@pytest.fixture
def users(db):
    officer = User.objects.create_user("officer", password="x")
    officer.groups.add(Group.objects.get(name=OUTREACH_OFFICERS))
    editor = User.objects.create_user("editor", password="x")
    editors = Group.objects.create(name="Editors (test)")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(editors)
    return {
        "anonymous": None,
        "editor": editor,
        "officer": officer,
        "superuser": User.objects.create_superuser("root", password="x"),
    }


def cluster_form(ea_sup, times):
    return {
        **nested_form_data({"name": "Cụm loa Buôn Đôn", "times": times}),
        "communes": [ea_sup.pk],
        "languages": ["vi", "rad"],
    }


def test_times_are_understood_in_order_once_and_a_wrong_one_is_named(admin_client, ea_sup):
    response = admin_client.post(ADD_CLUSTER, cluster_form(ea_sup, "17:00, 6:00,06:00"))
    assert response.status_code == 302
    cluster = LoudspeakerCluster.objects.get()
    assert (cluster.times, cluster.languages) == (["06:00", "17:00"], ["vi", "rad"])

    response = admin_client.post(ADD_CLUSTER, cluster_form(ea_sup, "06:00, 25:00"))
    assert response.status_code == 200
    assert "“25:00” không phải giờ trong ngày như 06:00." in response.content.decode()
    response = admin_client.post(ADD_CLUSTER, cluster_form(ea_sup, " , "))
    assert "Hãy nhập ít nhất một giờ phát." in response.content.decode()
    assert LoudspeakerCluster.objects.count() == 1


def shown_token(response):
    found = re.search(r'<code id="device-token">([^<]+)</code>', response.content.decode())
    return found.group(1) if found else None


def test_a_token_is_shown_once_kept_as_a_digest_and_revoked(admin_client, cluster):
    url = f"/admin/loudspeakers/clusters/{cluster.pk}/token/"
    assert shown_token(admin_client.get(url)) is None
    token = shown_token(admin_client.post(url))
    assert token and len(token) >= 40
    cluster.refresh_from_db()
    assert cluster.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(LoudspeakerCluster.objects.values().get())
    assert shown_token(admin_client.get(url)) is None  # never again

    second = shown_token(admin_client.post(url))
    cluster.refresh_from_db()
    assert second != token
    assert cluster.token_digest == hashlib.sha256(second.encode()).hexdigest()

    response = admin_client.post(f"{url}revoke/")
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.token_digest, cluster.token_issued_at) == ("", None)
    assert admin_client.get(f"{url}revoke/").status_code == 405


@pytest.mark.parametrize("who", ["anonymous", "editor", "officer", "superuser"])
def test_who_may_reach_the_loudspeaker_admin(client, users, cluster, who):
    if users[who]:
        client.force_login(users[who])
    token = f"/admin/loudspeakers/clusters/{cluster.pk}/token/"
    pages = {
        "programmes": client.get("/admin/snippets/outreach/programme/"),
        "clusters": client.get("/admin/snippets/outreach/loudspeakercluster/"),
        "token": client.get(token),
        "issue": client.post(token),
        "revoke": client.post(f"{token}revoke/"),
    }
    statuses = {name: response.status_code for name, response in pages.items()}
    if who == "anonymous":
        assert set(statuses.values()) == {302}
        assert all(r["Location"].startswith("/admin/login/") for r in pages.values())
    elif who == "editor":
        # Wagtail's answer to a user of the admin without the permission: back to the dashboard.
        assert set(statuses.values()) == {302}
        assert {r["Location"] for r in pages.values()} == {"/admin/"}
    elif who == "officer":
        # Officers assemble programmes and see the clusters; tokens are for administrators.
        assert (statuses["programmes"], statuses["clusters"]) == (200, 200)
        refused = [pages[name] for name in ("token", "issue", "revoke")]
        assert {(r.status_code, r["Location"]) for r in refused} == {(302, "/admin/")}
    else:
        assert statuses == {
            "programmes": 200,
            "clusters": 200,
            "token": 200,
            "issue": 200,
            "revoke": 302,
        }
    cluster.refresh_from_db()
    assert bool(cluster.token_digest) is False  # issued by the superuser, then revoked
    if who == "superuser":
        assert shown_token(pages["issue"])


def test_a_cluster_that_does_not_exist_is_not_found(admin_client, cluster):
    assert (
        admin_client.get(f"/admin/loudspeakers/clusters/{cluster.pk + 1}/token/").status_code == 404
    )
    assert (
        admin_client.post(
            f"/admin/loudspeakers/clusters/{cluster.pk + 1}/token/revoke/"
        ).status_code
        == 404
    )
