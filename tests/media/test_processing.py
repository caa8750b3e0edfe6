"""Processing uploads into renditions in the background: sizes, formats, idempotency, failures."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Collection

from media.models import MediaAsset, MediaRendition, ProcessingStatus
from media.tasks import process_media


@pytest.fixture(autouse=True)
def fresh_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, django_capture_on_commit_callbacks, kind, path):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/media/{kind}/add/",
            {
                "title": f"Bản ghi {path.stem}",
                "file": SimpleUploadedFile(path.name, path.read_bytes()),
                "collection": Collection.get_first_root_node().pk,
                "language": "vi",
                "transcript": "",
                "tags": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    return MediaAsset.objects.get()


def renditions(asset):
    return {rendition.profile: rendition for rendition in asset.renditions.all()}


def moov_before_mdat(path: Path) -> bool:
    data = path.read_bytes()
    return data.index(b"moov") < data.index(b"mdat")


def integrated_loudness(path: Path) -> float:
    result = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-af", "ebur128", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", result.stderr)[-1])


def test_speech_upload_becomes_two_small_loudness_normalised_renditions(
    client, editor, clips, django_capture_on_commit_callbacks
):
    asset = upload(client, django_capture_on_commit_callbacks, "audio", clips / "speech.m4a")
    assert asset.status == ProcessingStatus.READY, asset.error_message
    made = renditions(asset)
    assert set(made) == {"speech-32k", "speech-64k"}
    low = made["speech-32k"]
    assert low.mime_type == "audio/mp4"
    assert low.bit_rate < 45_000
    assert low.size < made["speech-64k"].size
    path = Path(low.file.path)
    assert moov_before_mdat(path)
    assert abs(integrated_loudness(path) - -16) < 2.5
    assert asset.waveform and Path(asset.file.storage.path(asset.waveform)).exists()
    assert asset.probe["container"].startswith("mov,mp4") and asset.duration == pytest.approx(
        6, abs=0.2
    )


def test_video_is_never_upscaled_and_gets_a_poster(
    client, editor, clips, django_capture_on_commit_callbacks
):
    asset = upload(client, django_capture_on_commit_callbacks, "video", clips / "video-480p.mp4")
    assert asset.status == ProcessingStatus.READY, asset.error_message
    made = renditions(asset)
    assert set(made) == {"video-240p", "video-360p"}
    assert (made["video-240p"].height, made["video-360p"].height) == (240, 360)
    for rendition in made.values():
        assert rendition.width % 2 == 0 and rendition.mime_type == "video/mp4"
        assert moov_before_mdat(Path(rendition.file.path))
    assert asset.poster.endswith(".webp")
    assert asset.type == "video" and (asset.width, asset.height) == (854, 480)


def test_processing_the_same_upload_twice_keeps_one_set_of_renditions(
    client, editor, clips, django_capture_on_commit_callbacks, fresh_media_root
):
    asset = upload(client, django_capture_on_commit_callbacks, "audio", clips / "speech.m4a")
    names = sorted(asset.renditions.values_list("file", flat=True))
    files_before = sorted(fresh_media_root.rglob("*"))
    assert process_media.enqueue(asset.pk).return_value == "unchanged"
    asset.status = ProcessingStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        asset.save()
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.READY
    assert sorted(asset.renditions.values_list("file", flat=True)) == names
    assert MediaRendition.objects.count() == 2
    assert sorted(fresh_media_root.rglob("*")) == files_before


def test_file_that_fails_to_convert_is_marked_failed_and_leaves_no_renditions(
    client, editor, clips, django_capture_on_commit_callbacks, fresh_media_root
):
    asset = upload(
        client, django_capture_on_commit_callbacks, "video", clips / "damaged-faststart.mp4"
    )
    assert asset.status == ProcessingStatus.FAILED
    assert asset.error_code == "transcode"
    assert asset.renditions.count() == 0
    assert not (fresh_media_root / "renditions").exists()
    report = client.get("/admin/media-processing/").content.decode()
    assert "Tệp bị hỏng hoặc không đầy đủ nên không chuyển đổi được." in report


def test_hung_conversion_is_killed_retried_then_reported(
    client, editor, clips, settings, django_capture_on_commit_callbacks
):
    settings.BANLANG_MEDIA = {
        **settings.BANLANG_MEDIA,
        "TRANSCODE_TIMEOUT_MIN_SECONDS": 0.05,
        "TRANSCODE_TIMEOUT_PER_MEDIA_SECOND": 0.001,
    }
    asset = upload(client, django_capture_on_commit_callbacks, "audio", clips / "speech.m4a")
    assert asset.status == ProcessingStatus.FAILED
    assert asset.error_code == "timeout"
    assert asset.attempts == settings.BANLANG_MEDIA["MAX_ATTEMPTS"]
    assert asset.renditions.count() == 0


def test_editor_can_queue_a_failed_asset_again(
    client, editor, clips, settings, django_capture_on_commit_callbacks
):
    settings.BANLANG_MEDIA = {
        **settings.BANLANG_MEDIA,
        "TRANSCODE_TIMEOUT_MIN_SECONDS": 0.05,
        "TRANSCODE_TIMEOUT_PER_MEDIA_SECOND": 0.001,
        "MAX_ATTEMPTS": 1,
    }
    asset = upload(client, django_capture_on_commit_callbacks, "audio", clips / "speech.m4a")
    assert asset.status == ProcessingStatus.FAILED
    settings.BANLANG_MEDIA = {**settings.BANLANG_MEDIA, "TRANSCODE_TIMEOUT_MIN_SECONDS": 60}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/media-processing/{asset.pk}/reprocess/")
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.READY


def test_only_editors_allowed_to_change_media_may_queue_it_again(client, db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    asset = MediaAsset.objects.create(title="Bản ghi", file="media/x.m4a", type="audio")
    viewer = get_user_model().objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(viewer)
    # Refused as if it did not exist, as a recording kept for others is.
    assert client.post(f"/admin/media-processing/{asset.pk}/reprocess/").status_code == 404
    editors = Group.objects.create(name="Media editors")
    GroupCollectionPermission.objects.create(
        group=editors,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="change_media"),
    )
    viewer.groups.add(editors)
    assert client.post(f"/admin/media-processing/{asset.pk}/reprocess/").status_code == 302


def test_an_unreadable_original_is_retried_then_reported(
    settings, db, django_capture_on_commit_callbacks
):
    asset = MediaAsset.objects.create(title="Mất tệp", file="media/gone.m4a", type="audio")
    with django_capture_on_commit_callbacks(execute=True):
        process_media.enqueue(asset.pk)
    asset.refresh_from_db()
    assert asset.status == ProcessingStatus.FAILED
    assert asset.error_code == "failed"
    assert asset.attempts == settings.BANLANG_MEDIA["MAX_ATTEMPTS"]
