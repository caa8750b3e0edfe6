"""The record's admin form holds the protocols: hidden files are refused like missing ones, a
file's audience widens only by a confirmed and logged choice, and children the editor may not
see are neither shown nor changed."""

import pytest
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Collection, ModelLogEntry

from heritage.models import CommunityNarrative, RecordMedia
from heritage.protocols import CulturalProtocol
from tests.heritage.admin_forms import add_inline, errors, form_action, form_data
from tests.heritage.factories import stored_recording
from tests.heritage.test_media_access import fetch, files_of

EDIT = "/admin/snippets/heritage/heritagerecord/edit/{}/"
MISSING = 987654


def photo(title):
    return wagtail_factories.ImageFactory(title=title, collection=Collection.get_first_root_node())


def kept_in(record, kind, title, protocol=CulturalProtocol.PUBLIC):
    """A file of ``kind`` a media item of ``record`` holds."""
    thing = photo(title) if kind == "image" else stored_recording(title)
    return RecordMedia.objects.create(record=record, protocol=protocol, **{kind: thing})


def publish_with_item(client, record, kind, pk, **more):
    """Post the record's edit form as shown, plus one public media item holding ``pk``."""
    data = form_data(client.get(EDIT.format(record.pk)))
    add_inline(data, "media_items", protocol="public", caption_vi="Ảnh lễ hội", **{kind: pk})
    data.update({name: [value] for name, value in more.items()})
    data["action-publish"] = ["publish"]
    return client.post(EDIT.format(record.pk), data)


@pytest.mark.parametrize("kind", ["image", "media"])
def test_a_hidden_file_is_refused_like_a_missing_one(client, world, kind):
    people, records = world
    secret = kept_in(records["secret"], kind, "Ảnh bí truyền")
    hidden = getattr(secret, kind)
    client.force_login(people["officer"])
    refused = publish_with_item(client, records["public"], kind, hidden.pk)
    missing = publish_with_item(client, records["public"], kind, MISSING)
    assert refused.status_code == missing.status_code == 200
    assert errors(refused) == errors(missing) != []
    assert records["public"].media_items.count() == 0
    for path in files_of(secret):
        assert fetch(client, people["anonymous"], path).status_code == 404


@pytest.mark.parametrize("kind", ["image", "media"])
def test_a_visible_file_kept_for_fewer_people_widens_only_when_confirmed(client, world, kind):
    people, records = world
    restricted = kept_in(records["restricted"], kind, "Ảnh cán bộ chụp")
    chosen = getattr(restricted, kind)
    client.force_login(people["officer"])
    asked = publish_with_item(client, records["public"], kind, chosen.pk)
    assert asked.status_code == 200
    body = asked.content.decode()
    assert "confirm_wider_audience" in body
    assert chosen.title in body
    assert records["public"].media_items.count() == 0
    assert fetch(client, people["anonymous"], chosen.file.name).status_code == 404
    client.force_login(people["officer"])
    confirmed = publish_with_item(
        client, records["public"], kind, chosen.pk, confirm_wider_audience="on"
    )
    assert confirmed.status_code == 302
    assert records["public"].media_items.get().protocol == CulturalProtocol.PUBLIC
    assert fetch(client, people["anonymous"], chosen.file.name).status_code == 200
    logged = ModelLogEntry.objects.get(action="heritage.file_audience_widened")
    assert logged.object_id == str(chosen.pk)
    assert logged.user == people["officer"]
    assert logged.data["audience"] == ["public"]
    client.force_login(people["officer"])
    again = form_data(client.get(EDIT.format(records["public"].pk)))
    again["action-publish"] = ["publish"]
    assert client.post(EDIT.format(records["public"].pk), again).status_code == 302
    assert ModelLogEntry.objects.filter(action="heritage.file_audience_widened").count() == 1


def test_reusing_a_public_file_needs_no_confirmation(client, world):
    people, records = world
    shown = kept_in(records["public"], "image", "Ảnh hội xuân")
    client.force_login(people["officer"])
    response = publish_with_item(client, records["community"], "image", shown.image.pk)
    assert response.status_code == 302
    assert records["community"].media_items.count() == 1


def test_the_edit_form_neither_shows_nor_changes_hidden_children(client, world):
    people, records = world
    record = records["public"]
    CommunityNarrative.objects.create(
        record=record, title="Lời kể công khai", text="Ai cũng đọc được", contributor="Già làng"
    )
    secret_story = CommunityNarrative.objects.create(
        record=record,
        title="Bài khấn bí truyền",
        text="Lời khấn chỉ người giữ được nghe",
        contributor="Thầy cúng",
        protocol=CulturalProtocol.SECRET_SACRED,
    )
    secret_item = kept_in(record, "image", "Ảnh bàn thờ kín", CulturalProtocol.SECRET_SACRED)
    secret_item.caption = "Chú thích bí truyền"
    secret_item.save()
    client.force_login(people["officer"])
    page = client.get(EDIT.format(record.pk))
    body = page.content.decode()
    assert "Lời kể công khai" in body
    for leak in ("Bài khấn bí truyền", "Lời khấn chỉ người", "Chú thích bí truyền", "Ảnh bàn thờ"):
        assert leak not in body
    assert secret_item.image.file.name.split("/")[-1] not in body
    data = form_data(page)
    data["title_vi"] = ["Lễ hội Lồng Tồng (sửa)"]
    # An id of a hidden child, posted as if it were shown, changes nothing.
    add_inline(data, "narratives", title_vi="Đã lộ", text_vi="Đã lộ", contributor="x")
    index = int(data["narratives-TOTAL_FORMS"][0]) - 1
    data[f"narratives-{index}-id"] = [str(secret_story.pk)]
    data[f"narratives-{index}-protocol"] = ["public"]
    data["action-publish"] = ["publish"]
    response = client.post(EDIT.format(record.pk), data)
    assert response.status_code in (200, 302)
    secret_story.refresh_from_db()
    assert secret_story.protocol == CulturalProtocol.SECRET_SACRED
    assert secret_story.text == "Lời khấn chỉ người giữ được nghe"
    data.pop(f"narratives-{index}-id")
    for name in [key for key in data if key.startswith(f"narratives-{index}-")]:
        del data[name]
    data["narratives-TOTAL_FORMS"] = [str(index)]
    assert client.post(EDIT.format(record.pk), data).status_code == 302
    record.refresh_from_db()
    assert record.title_vi == "Lễ hội Lồng Tồng (sửa)"
    assert set(record.narratives.values_list("title", "protocol")) == {
        ("Lời kể công khai", "public"),
        ("Bài khấn bí truyền", "secret-sacred"),
    }
    secret_item.refresh_from_db()
    assert secret_item.protocol == CulturalProtocol.SECRET_SACRED
    assert secret_item.caption == "Chú thích bí truyền"


def told_openly_and_in_secret(record):
    """A secret narrative of ``record``, and one everyone may read."""
    CommunityNarrative.objects.create(
        record=record,
        title="Bài khấn bí truyền",
        text="Lời khấn kín",
        contributor="Thầy cúng",
        protocol=CulturalProtocol.SECRET_SACRED,
    )
    CommunityNarrative.objects.create(
        record=record, title="Lời kể công khai", text="Ai cũng đọc", contributor="Già làng"
    )


@pytest.mark.parametrize("view", ["revision", "compare", "preview"])
def test_revisions_and_previews_show_only_the_children_the_editor_may_see(client, world, view):
    people, records = world
    record = records["public"]
    told_openly_and_in_secret(record)
    first = record.save_revision(user=people["superuser"])
    for narrative in record.narratives.all():
        narrative.title += " (bản sửa)"
        narrative.save()
    record.refresh_from_db()
    second = record.save_revision(user=people["superuser"])
    base = f"/admin/snippets/heritage/heritagerecord/history/{record.pk}/revisions/"
    if view == "revision":
        url = f"{base}{first.pk}/view/"
    elif view == "compare":
        url = f"{base}compare/earliest...{second.pk}/"
    else:
        url = f"/admin/snippets/heritage/heritagerecord/preview/{record.pk}/"
    client.force_login(people["officer"])
    if view == "preview":
        client.post(url, form_data(client.get(EDIT.format(record.pk))))
    body = client.get(url).content.decode()
    assert "Lời kể công khai" in body
    assert "Bài khấn bí truyền" not in body
    assert "Lời khấn kín" not in body
    client.force_login(people["superuser"])
    if view == "preview":
        client.post(url, form_data(client.get(EDIT.format(record.pk))))
    assert "Bài khấn bí truyền" in client.get(url).content.decode()


def test_the_recording_field_is_a_chooser_that_lists_no_titles(client, world):
    people, records = world
    kept_in(records["secret"], "media", "Ghi âm bí truyền")
    kept_in(records["public"], "media", "Ghi âm hội xuân")
    client.force_login(people["officer"])
    body = client.get(EDIT.format(records["public"].pk)).content.decode()
    assert "Ghi âm bí truyền" not in body
    assert "Ghi âm hội xuân" in body  # the chosen one, in its chooser


def test_captions_cannot_be_added_to_a_hidden_recording(client, world):
    people, records = world
    secret = kept_in(records["secret"], "media", "Ghi âm bí truyền").media
    shown = kept_in(records["public"], "media", "Ghi âm hội xuân").media
    client.force_login(people["officer"])
    url = "/admin/snippets/media/mediacaption/add/"
    page = client.get(url)
    assert "Ghi âm bí truyền" not in page.content.decode()

    def add(asset_pk):
        upload = SimpleUploadedFile("vi.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nx\n")
        return client.post(url, {"asset": asset_pk, "language": "vi", "file": upload})

    refused, missing = add(secret.pk), add(MISSING)
    assert refused.status_code == missing.status_code == 200
    assert errors(refused) == errors(missing) != []
    assert not secret.captions.exists()
    assert add(shown.pk).status_code == 302
    assert shown.captions.count() == 1


def test_copying_a_record_copies_no_child_the_editor_may_not_see(client, world):
    people, records = world
    record = records["public"]
    told_openly_and_in_secret(record)
    client.force_login(people["officer"])
    url = f"/admin/snippets/heritage/heritagerecord/copy/{record.pk}/"
    page = client.get(url)
    assert "Lời kể công khai" in page.content.decode()
    assert "Bài khấn bí truyền" not in page.content.decode()
    data = form_data(page)
    data["slug"] = ["ban-sao"]
    data["action-publish"] = ["publish"]
    assert client.post(form_action(page), data).status_code == 302
    copy = record.__class__.objects.get(slug="ban-sao")
    assert list(copy.narratives.values_list("title", flat=True)) == ["Lời kể công khai"]
    assert record.narratives.count() == 2
