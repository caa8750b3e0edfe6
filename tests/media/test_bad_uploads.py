"""Hostile and broken uploads: a clear error for the uploader, nothing stored, nothing fetched."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from media.models import MediaAsset
from tests.media.conftest import jpeg_html_polyglot, jpeg_with_gps, pixel_bomb_png

UNREADABLE_EN = "This is not an audio or video file we can read"


@pytest.fixture(autouse=True)
def fresh_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english_editor(editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    return editor


def stored_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


def upload_media(client, kind, name, data):
    return client.post(
        f"/admin/media/{kind}/add/",
        {
            "title": "Ghi âm họp thôn",
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
            "language": "vi",
            "transcript": "",
            "tags": "",
        },
    )


def assert_refused(response, message, media_root):
    assert response.status_code == 200, "a refused upload re-displays the form"
    assert message in response.content.decode()
    assert MediaAsset.objects.count() == 0
    assert stored_files(media_root) == []


def test_hls_playlist_renamed_mp4_reads_nothing_and_calls_nobody(
    client, english_editor, listener, fresh_media_root
):
    playlist = (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
        f'#EXT-X-KEY:METHOD=AES-128,URI="http://127.0.0.1:{listener.port}/key"\n'
        f"#EXTINF:10.0,\nhttp://127.0.0.1:{listener.port}/segment0.ts\n"
        "#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
    )
    response = upload_media(client, "video", "festival.mp4", playlist.encode())
    assert_refused(response, UNREADABLE_EN, fresh_media_root)
    assert listener.connections == 0


def test_ffconcat_script_renamed_mp4_is_refused(client, english_editor, clips, fresh_media_root):
    script = f"ffconcat version 1.0\nfile '{clips / 'speech.m4a'}'\nfile '/etc/passwd'\n"
    response = upload_media(client, "video", "concat.mp4", script.encode())
    assert_refused(response, UNREADABLE_EN, fresh_media_root)


def test_truncated_mp4_is_refused(client, english_editor, clips, fresh_media_root):
    response = upload_media(client, "video", "cut.mp4", (clips / "truncated.mp4").read_bytes())
    assert_refused(response, UNREADABLE_EN, fresh_media_root)


def test_zero_byte_file_is_refused(client, english_editor, fresh_media_root):
    response = upload_media(client, "audio", "empty.mp3", b"")
    assert_refused(response, "empty", fresh_media_root)


def test_text_file_renamed_mp3_is_refused(client, english_editor, clips, fresh_media_root):
    response = upload_media(client, "audio", "song.mp3", (clips / "notes.mp3").read_bytes())
    assert_refused(response, UNREADABLE_EN, fresh_media_root)


def test_ten_hour_recording_is_refused_at_probe_before_any_transcoding(
    client, english_editor, clips, fresh_media_root
):
    response = upload_media(
        client, "audio", "silence.flac", (clips / "ten-hours.flac").read_bytes()
    )
    assert_refused(
        response, "The recording is 600 minutes long; the limit is 180 minutes.", fresh_media_root
    )


def test_refusal_is_explained_in_the_editors_language(client, editor, clips, fresh_media_root):
    response = upload_media(client, "audio", "song.mp3", (clips / "notes.mp3").read_bytes())
    assert_refused(response, "Đây không phải tệp âm thanh hoặc video", fresh_media_root)


def test_file_over_the_size_cap_is_refused(
    client, english_editor, clips, settings, fresh_media_root
):
    settings.BANLANG_MEDIA = {**settings.BANLANG_MEDIA, "MAX_UPLOAD_BYTES": 50_000}
    response = upload_media(client, "audio", "talk.m4a", (clips / "speech.m4a").read_bytes())
    assert_refused(response, "The file is larger than", fresh_media_root)


def upload_image(client, name, data):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Ảnh lễ hội",
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


def test_pixel_bomb_png_is_refused(client, english_editor, fresh_media_root):
    response = upload_image(client, "bomb.png", pixel_bomb_png())
    assert response.status_code == 200
    assert "pixels" in response.content.decode()
    assert get_image_model().objects.count() == 0
    assert stored_files(fresh_media_root) == []


def exif_tags(data: bytes) -> dict:
    with PILImage.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return {**dict(exif), **dict(exif.get_ifd(0x8825))}


def test_gps_tagged_jpeg_is_accepted_and_stripped_everywhere(client, english_editor):
    original = jpeg_with_gps()
    assert {0x010F, 0x0110, 0xA431, 1, 2, 3, 4} <= set(exif_tags(original))
    response = upload_image(client, "photo.jpg", original)
    assert response.status_code == 302, response.content.decode()[:500]
    image = get_image_model().objects.get()
    with image.file.open("rb") as stored:
        assert exif_tags(stored.read()) == {}
    for spec in ("width-320", "width-320|format-webp"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as stored:
            assert exif_tags(stored.read()) == {}, spec


def test_jpeg_html_polyglot_is_re_encoded_and_never_served_as_html(client, english_editor):
    response = upload_image(client, "innocent.jpg", jpeg_html_polyglot())
    assert response.status_code == 302
    image = get_image_model().objects.get()
    with image.file.open("rb") as stored:
        data = stored.read()
    assert b"<html" not in data and b"<script" not in data
    served = client.get(image.file.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
