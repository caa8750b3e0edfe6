"""Admin URLs, bulk actions and choosers answer a hidden record, image, recording or caption
exactly as a missing one, and list only what the editor may see."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from wagtail.images import get_image_model

from heritage.models import RecordMedia
from heritage.signal_handlers import CULTURAL_OFFICERS
from media.models import MediaCaption
from tests.heritage.factories import stored_recording
from tests.heritage.test_protocols import kept_and_shown, readable

MISSING = 987654


def hidden_and_shown(world, kind):
    """A hidden object of ``kind`` and a visible one, with the titles a leak would show."""
    _people, records = world
    if kind == "record":
        return records["secret"], records["restricted"], records["secret"].title
    if kind == "caption":
        kept, shown = kept_and_shown(world, "media")
        return kept.captions.get(), shown.captions.get(), kept.title
    kept, shown = kept_and_shown(world, kind)
    return kept, shown, kept.title


def same_answer(first, second):
    """Two responses an observer could not tell apart: status, headers that vary, body shape."""
    assert first.status_code == second.status_code
    for header in ("Content-Type", "Vary", "Cache-Control"):
        assert first.get(header) == second.get(header), header


def without(body, pk):
    """A page's text with the object's id in its links made anonymous."""
    return body.replace(f"/{pk}/", "/…/")


BULK = [
    ("record", "/admin/bulk/heritage/heritagerecord/delete/"),
    ("image", "/admin/bulk/wagtailimages/image/delete/"),
    ("image", "/admin/bulk/wagtailimages/image/add_tags/"),
    ("image", "/admin/bulk/wagtailimages/image/add_to_collection/"),
    ("caption", "/admin/bulk/media/mediacaption/delete/"),
]


@pytest.mark.parametrize(("kind", "url"), BULK)
def test_bulk_actions_answer_a_hidden_id_like_a_missing_one(client, world, kind, url):
    people, _records = world
    hidden, shown, title = hidden_and_shown(world, kind)
    client.force_login(people["officer"])
    refused = client.get(f"{url}?id={hidden.pk}")
    missing = client.get(f"{url}?id={MISSING}")
    assert refused.status_code == 404
    same_answer(refused, missing)
    same_answer(refused, client.get(f"{url}?id={10**30}"))  # beyond any database's integers
    assert title not in readable(refused)
    mixed = client.get(f"{url}?id={hidden.pk}&id={shown.pk}")
    assert mixed.status_code == 200
    assert str(shown) in readable(mixed)
    assert title not in readable(mixed)


@pytest.mark.parametrize(("kind", "url"), BULK)
def test_selecting_all_selects_only_what_the_editor_may_see(client, world, kind, url):
    people, _records = world
    _hidden, shown, title = hidden_and_shown(world, kind)
    client.force_login(people["officer"])
    body = readable(client.get(f"{url}?id=all"))
    assert str(shown) in body
    assert title not in body
    client.force_login(people["superuser"])
    assert title in readable(client.get(f"{url}?id=all"))


def test_deleting_all_records_deletes_only_those_the_editor_may_see(client, world):
    people, records = world
    people["officer"].user_permissions.add(Permission.objects.get(codename="delete_heritagerecord"))
    client.force_login(people["officer"])
    url = "/admin/bulk/heritage/heritagerecord/delete/?id=all"
    response = client.post(url, {})
    assert response.status_code == 302
    assert records["secret"].__class__.objects.filter(pk=records["secret"].pk).exists()
    assert not records["public"].__class__.objects.filter(pk=records["public"].pk).exists()


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("record", "/admin/snippets/choose/heritage/heritagerecord/chosen-multiple/"),
        ("caption", "/admin/snippets/choose/media/mediacaption/chosen-multiple/"),
    ],
)
def test_choosing_several_answers_only_visible_ones(client, world, kind, url):
    people, _records = world
    hidden, shown, title = hidden_and_shown(world, kind)
    client.force_login(people["officer"])
    refused = client.get(f"{url}?id={hidden.pk}&id={shown.pk}")
    missing = client.get(f"{url}?id={MISSING}&id={shown.pk}")
    assert readable(refused) == readable(missing)
    assert str(shown) in readable(refused)
    assert title not in readable(refused)


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("image", "/admin/images/{pk}/"),
        ("image", "/admin/images/{pk}/delete/"),
        ("image", "/admin/images/{pk}/preview/fill-10x10/"),
        ("image", "/admin/images/usage/{pk}/"),
        ("image", "/admin/images/chooser/chosen/{pk}/"),
        ("image", "/admin/images/chooser/{pk}/select_format/"),
        ("image", "/admin/api/main/images/{pk}/"),
        ("media", "/admin/media/edit/{pk}/"),
        ("media", "/admin/media/delete/{pk}/"),
        ("media", "/admin/media/usage/{pk}/"),
        ("media", "/admin/media/chooser/{pk}/"),
        ("record", "/admin/snippets/heritage/heritagerecord/edit/{pk}/"),
        ("record", "/admin/snippets/heritage/heritagerecord/history/{pk}/"),
        ("record", "/admin/snippets/heritage/heritagerecord/workflow_history/{pk}/"),
        ("record", "/admin/snippets/choose/heritage/heritagerecord/chosen/{pk}/"),
        ("caption", "/admin/snippets/media/mediacaption/edit/{pk}/"),
        ("caption", "/admin/snippets/media/mediacaption/history/{pk}/"),
    ],
)
def test_admin_pages_answer_a_hidden_object_like_a_missing_one(client, world, kind, url):
    people, _records = world
    hidden, shown, title = hidden_and_shown(world, kind)
    client.force_login(people["officer"])
    refused = client.get(url.format(pk=hidden.pk))
    missing = client.get(url.format(pk=MISSING))
    assert refused.status_code == 404
    same_answer(refused, missing)
    assert without(readable(refused), hidden.pk) == without(readable(missing), MISSING)
    assert title not in readable(refused)
    assert client.get(url.format(pk=shown.pk)).status_code in {200, 302}
    client.force_login(people["superuser"])
    assert client.get(url.format(pk=hidden.pk)).status_code in {200, 302}


def test_editing_sessions_do_not_open_hidden_records(client, world):
    people, records = world
    client.force_login(people["officer"])
    url = "/admin/editing-sessions/ping/heritage/heritagerecord/{}/0/"
    refused = client.post(url.format(records["secret"].pk))
    missing = client.post(url.format(MISSING))
    assert refused.status_code == missing.status_code == 404


def test_a_recording_used_by_a_hidden_item_and_a_visible_one_stays_visible(client, world):
    people, records = world
    recording = stored_recording("Ghi âm dùng chung")
    MediaCaption.objects.create(
        asset=recording, language="vi", file=ContentFile(b"WEBVTT\n", name="vi.vtt")
    )
    RecordMedia.objects.create(record=records["secret"], media=recording)
    RecordMedia.objects.create(record=records["restricted"], media=recording)
    client.force_login(people["officer"])
    assert client.get(f"/admin/media/edit/{recording.pk}/").status_code == 200
    image = get_image_model().objects.create(title="x", width=1, height=1, file="original_images/x")
    assert client.get(f"/admin/images/{image.pk}/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/heritage/heritagerecord/?q=Lễ",
        "/admin/snippets/heritage/heritagerecord/results/?q=Lễ",
        "/admin/snippets/choose/heritage/heritagerecord/?q=Lễ",
        "/admin/snippets/choose/heritage/heritagerecord/results/?q=Lễ",
        "/admin/snippets/media/mediacaption/?q=Ghi",
        "/admin/images/?q=Ảnh",
        "/admin/images/chooser/results/?q=Ảnh",
        "/admin/media/?q=Ghi",
        "/admin/media/chooser/?q=Ghi",
    ],
)
@pytest.mark.parametrize("who", ["officer", "custodian", "superuser"])
def test_admin_searches_answer_every_editor(client, world, url, who):
    people, records = world
    kept_and_shown(world, "image")
    if who == "custodian":
        people[who].groups.add(Group.objects.get(name=CULTURAL_OFFICERS))
    client.force_login(people[who])
    response = client.get(url)
    assert response.status_code == 200
    if "heritagerecord" in url:
        assert records["public"].title in readable(response)
