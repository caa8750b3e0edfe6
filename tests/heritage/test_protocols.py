"""Cultural protocols: the permission matrix every surface relies on."""

import pytest
import wagtail_factories
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry
from wagtailmedia.permissions import permission_policy as media_permissions

from heritage.models import HeritageRecord, RecordMedia
from heritage.protocols import can_view
from tests.heritage.factories import CommunityGroupFactory, stored_recording
from tests.heritage.matrix import MATRIX, PROTOCOLS


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_who_may_see_which_record(world, who, protocol):
    people, records = world
    assert can_view(people[who], records[protocol]) is (protocol in MATRIX[who])


@pytest.mark.parametrize("who", list(MATRIX))
def test_listings_and_counts_hold_only_what_the_user_may_see(world, who):
    people, records = world
    visible = HeritageRecord.objects.visible_to(people[who])
    assert visible.count() == len(MATRIX[who])
    assert set(visible) == {records[protocol] for protocol in MATRIX[who]}


def test_membership_in_several_communities_does_not_count_a_record_twice(world):
    people, records = world
    second = CommunityGroupFactory()
    second.members.add(people["member"])
    records["community"].communities.add(second)
    assert HeritageRecord.objects.visible_to(people["member"]).count() == 2


def test_editors_see_only_their_records_in_the_admin(client, world):
    people, records = world
    client.force_login(people["officer"])
    body = client.get("/admin/snippets/heritage/heritagerecord/").content.decode()
    for protocol in ("public", "community", "restricted"):
        assert records[protocol].title in body
    assert records["secret"].title not in body
    assert (
        client.get(
            f"/admin/snippets/heritage/heritagerecord/edit/{records['secret'].pk}/"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/heritage/heritagerecord/edit/{pk}/",
        "/admin/snippets/heritage/heritagerecord/history/{pk}/",
        "/admin/snippets/heritage/heritagerecord/usage/{pk}/",
        "/admin/snippets/heritage/heritagerecord/delete/{pk}/",
        "/admin/snippets/heritage/heritagerecord/preview/{pk}/",
        "/admin/snippets/choose/heritage/heritagerecord/chosen/{pk}/",
    ],
)
def test_no_admin_view_opens_a_record_the_editor_may_not_see(client, world, url):
    people, records = world
    client.force_login(people["officer"])
    response = client.get(url.format(pk=records["secret"].pk))
    assert response.status_code == 404
    assert records["secret"].title.encode() not in response.content
    assert records["secret"].title.encode("unicode_escape") not in response.content
    assert client.get(url.format(pk=records["restricted"].pk)).status_code in {200, 302, 405}


def test_the_record_chooser_lists_only_visible_records(client, world):
    people, records = world
    client.force_login(people["officer"])
    body = client.get("/admin/snippets/choose/heritage/heritagerecord/").json()["html"]
    assert records["restricted"].title in body
    assert records["secret"].title not in body


def test_officers_may_add_and_choose_images_and_recordings(world):
    people, _records = world
    officer = people["officer"]
    image_permissions = policy_registry.get_by_type(get_image_model())
    assert image_permissions.user_has_permission(officer, "choose")
    assert media_permissions.user_has_permission(officer, "add")


@pytest.mark.parametrize(
    ("who", "chooser"),
    [("officer", "/admin/images/chooser/"), ("officer", "/admin/media/chooser/")],
)
def test_choosers_hide_media_kept_for_others(client, world, who, chooser):
    people, records = world
    kept, shown = (
        (
            wagtail_factories.ImageFactory(title=title, collection=Collection.get_first_root_node())
            for title in ("Ảnh bí truyền", "Ảnh hội xuân")
        )
        if "images" in chooser
        else (stored_recording(title) for title in ("Ghi âm bí truyền", "Ghi âm hội xuân"))
    )
    field = "image" if "images" in chooser else "media"
    RecordMedia.objects.create(record=records["secret"], **{field: kept})
    RecordMedia.objects.create(record=records["public"], **{field: shown})
    client.force_login(people["officer"])
    response = client.get(chooser)
    assert response.status_code == 200
    body = response.json()["html"]
    assert shown.title in body
    assert kept.title not in body
