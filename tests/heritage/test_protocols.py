"""Cultural protocols: the permission matrix every surface relies on."""

import json

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex
from wagtail.permissions import policy_registry
from wagtailmedia.permissions import permission_policy as media_permissions

from heritage.models import HeritageRecord, RecordMedia
from heritage.protocols import can_view, visible_in_one_expression, visible_to
from media.models import MediaCaption
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


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_rule_written_as_one_expression_lets_through_the_same_records(world, who):
    people, records = world
    as_terms = HeritageRecord.objects.filter(visible_to(people[who]))
    as_expression = HeritageRecord.objects.filter(visible_in_one_expression(people[who]))
    assert set(as_expression) == set(as_terms) == {records[p] for p in MATRIX[who]}
    assert as_expression.count() == len(MATRIX[who])


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


def kept_and_shown(world, kind):
    """One image or recording only a secret record uses, and one a public record uses."""
    _people, records = world
    if kind == "image":
        kept, shown = (
            wagtail_factories.ImageFactory(title=title, collection=Collection.get_first_root_node())
            for title in ("Ảnh bí truyền", "Ảnh hội xuân")
        )
    else:
        kept, shown = (stored_recording(title) for title in ("Ghi âm bí truyền", "Ghi âm hội xuân"))
        for recording in (kept, shown):
            MediaCaption.objects.create(
                asset=recording, language="vi", file=ContentFile(b"WEBVTT\n", name="vi.vtt")
            )
    RecordMedia.objects.create(record=records["secret"], **{kind: kept})
    RecordMedia.objects.create(record=records["public"], **{kind: shown})
    return kept, shown


@pytest.mark.parametrize(
    ("kind", "listing"),
    [
        ("image", "/admin/images/chooser/"),
        ("media", "/admin/media/chooser/"),
        ("image", "/admin/images/"),
        ("image", "/admin/images/?q=Ảnh"),
        ("media", "/admin/media/"),
        ("media", "/admin/media/?q=Ghi"),
        ("media", "/admin/media-processing/"),
        ("media", "/admin/snippets/media/mediacaption/"),
        ("image", "/admin/api/main/images/"),
    ],
)
def test_admin_listings_hide_media_kept_for_others(client, world, kind, listing):
    people, _records = world
    kept, shown = kept_and_shown(world, kind)
    client.force_login(people["officer"])
    response = client.get(listing)
    assert response.status_code == 200
    body = readable(response)
    assert shown.title in body
    assert kept.title not in body


def readable(response):
    """A response's text, with JSON (chooser and API answers) unescaped so titles show."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("image", "/admin/images/{pk}/"),
        ("image", "/admin/images/{pk}/delete/"),
        ("image", "/admin/images/usage/{pk}/"),
        ("image", "/admin/images/chooser/chosen/{pk}/"),
        ("media", "/admin/media/edit/{pk}/"),
        ("media", "/admin/media/delete/{pk}/"),
        ("media", "/admin/media/usage/{pk}/"),
        ("media", "/admin/media/chooser/{pk}/"),
    ],
)
def test_no_admin_view_opens_media_kept_for_others(client, world, kind, url):
    people, _records = world
    kept, shown = kept_and_shown(world, kind)

    def text(pk):
        response = client.get(url.format(pk=pk), follow=True)
        assert response.status_code in (200, 403, 404)
        return readable(response)

    client.force_login(people["officer"])
    assert shown.title in text(shown.pk)
    assert kept.title not in text(kept.pk)
    client.force_login(people["superuser"])
    assert kept.title in text(kept.pk)


@pytest.mark.parametrize("kind", ["image", "media"])
def test_usage_pages_do_not_name_records_kept_for_others(client, world, kind):
    people, records = world
    _kept, shown = kept_and_shown(world, kind)
    RecordMedia.objects.create(record=records["secret"], **{kind: shown})
    for record in records.values():
        ReferenceIndex.create_or_update_for_object(record)
    url = (
        f"/admin/images/usage/{shown.pk}/" if kind == "image" else f"/admin/media/usage/{shown.pk}/"
    )
    client.force_login(people["officer"])
    body = client.get(url).content.decode()
    assert records["public"].title in body
    assert records["secret"].title not in body
    client.force_login(people["superuser"])
    assert records["secret"].title in client.get(url).content.decode()


def test_captions_of_recordings_kept_for_others_do_not_open(client, world):
    people, _records = world
    kept, shown = kept_and_shown(world, "media")
    client.force_login(people["officer"])
    url = "/admin/snippets/media/mediacaption/edit/{}/"
    assert client.get(url.format(shown.captions.get().pk)).status_code == 200
    refused = client.get(url.format(kept.captions.get().pk), follow=True)
    assert kept.title not in refused.content.decode()
