"""Photos and voice messages sent with a question: checked before anything is stored, stored
with their submission or not at all, stripped of tags, converted for staff, served only to who
handles them, erased with the resident's details."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone, translation
from PIL import Image

from media.ffmpeg import probe
from outreach import feedback
from outreach.feedback_files import check_photo, check_voice
from outreach.models import Office, RoutingRule, Submission, SubmissionEvent, SubmissionFile
from outreach.retention import erase_expired
from tests.media.conftest import jpeg_html_polyglot, jpeg_with_gps
from tests.outreach.test_asking import form

pytestmark = pytest.mark.usefixtures("home")


@pytest.fixture
def office(dak_lak):
    office = Office.objects.create(name="Sở Y tế Đắk Lắk", place=dak_lak)
    RoutingRule.objects.create(topic="health", place=dak_lak, office=office)
    return office


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored(media_root):
    """Every file stored under the residents' folder."""
    folder = media_root / "feedback"
    return sorted(p.relative_to(media_root).as_posix() for p in folder.rglob("*") if p.is_file())


def upload(path, name=None, content_type="application/octet-stream"):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Send the form, and run what its commit queues (converting a voice message)."""

    def send(ea_sup, language="vi", **fields):
        url = f"/{language}/ask/?province={ea_sup.parent.pk}"
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, form(ea_sup, **fields))

    return send


def test_a_resident_says_the_question_and_adds_a_photo_stripped_of_its_tags(
    client, post, ea_sup, office, voices, media_root
):
    answer = post(
        ea_sup,
        text="",
        voice=upload(voices / "voice.m4a", content_type="audio/mp4"),
        photo=SimpleUploadedFile("IMG_2041.jpg", jpeg_with_gps(), "image/jpeg"),
    )
    assert answer.status_code == 302
    submission = Submission.objects.get()
    assert (submission.text, submission.office) == ("", office)
    photo = submission.files.get(kind=SubmissionFile.Kind.PHOTO)
    voice = submission.files.get(kind=SubmissionFile.Kind.VOICE)
    assert photo.file.name.startswith("feedback/photo/") and photo.file.name.endswith(".jpg")
    assert "IMG_2041" not in photo.file.name and submission.reference not in photo.file.name
    with Image.open(photo.file.path) as image:
        assert (image.size, image.format) == ((640, 480), "JPEG")
        assert dict(image.getexif()) == {}  # no GPS, make, model or serial number
    assert photo.content_type == "image/jpeg" and photo.size == Path(photo.file.path).stat().st_size
    # The voice message is kept as sent and converted (the test task queue runs at once).
    assert voice.file.name.startswith("feedback/voice/") and voice.file.name.endswith(".m4a")
    assert voice.status == SubmissionFile.Status.READY
    assert voice.seconds == pytest.approx(6, abs=0.1)
    report = probe(Path(voice.playable.path))
    audio = report["streams"][0]
    assert (audio["codec_name"], audio["channels"], audio["sample_rate"]) == ("aac", 1, "22050")
    assert float(report["format"]["duration"]) == pytest.approx(6, abs=0.2)
    assert stored(media_root) == sorted([photo.file.name, voice.file.name, voice.playable.name])
    # The status page says what came with it, never plays or shows it.
    page = client.get(answer["Location"]).content.decode()
    assert "Tin nhắn thoại</span> (0:06)" in page and "Ảnh</span>" in page
    assert "feedback/" not in page and "<audio" not in page and "<img" not in page


def test_a_voice_message_recorded_by_chrome_on_android_is_taken(post, ea_sup, office, voices):
    answer = post(ea_sup, text="", voice=upload(voices / "voice.webm", content_type="audio/webm"))
    assert answer.status_code == 302
    voice = SubmissionFile.objects.get()
    assert (voice.content_type, voice.status) == ("audio/webm", SubmissionFile.Status.READY)
    assert voice.playable.name.endswith(".m4a")


def test_a_recording_that_cannot_be_converted_is_kept_for_staff_to_download(
    client, post, ea_sup, office, voices, media_root
):
    from django.contrib.auth.models import User

    assert post(ea_sup, text="", voice=upload(voices / "cut-short.m4a")).status_code == 302
    voice = SubmissionFile.objects.get()
    assert (voice.status, voice.playable.name) == (SubmissionFile.Status.FAILED, "")
    assert stored(media_root) == [voice.file.name]
    client.force_login(User.objects.create_superuser("root", password="x"))
    page = client.get(f"/admin/questions/{voice.submission_id}/").content.decode()
    assert f'<a href="{voice.file.url}" download>' in page and "<audio" not in page


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"text": ""}, "Hãy viết câu hỏi, phản ánh hoặc kiến nghị, hoặc ghi âm lại."),
        ({"voice": "notes.m4a"}, "Đây không phải tệp âm thanh hoặc video mà hệ thống đọc được."),
        ({"voice": "video.mp4"}, "Đây là video hoặc hình ảnh, không phải tin nhắn thoại."),
        ({"voice": "voice.m4a", "photo": "polyglot"}, None),  # a control: both are fine
        ({"photo": "notes.m4a"}, "Tệp này không phải ảnh JPEG, PNG, WebP hoặc GIF."),
    ],
)
def test_a_broken_recording_or_photo_is_explained_and_nothing_is_stored(
    post, ea_sup, office, voices, media_root, fields, error
):
    files = {}
    for field, name in fields.items():
        if field == "text":
            files[field] = name
        elif name == "polyglot":
            files[field] = SimpleUploadedFile("a.jpg", jpeg_html_polyglot(), "image/jpeg")
        else:
            files[field] = upload(voices / name)
    # A good photo beside the bad recording (and a good recording beside the bad photo) is
    # not stored either: the resident sends it all again.
    if "voice" in fields and fields["voice"] != "voice.m4a":
        files["photo"] = SimpleUploadedFile("ok.jpg", jpeg_with_gps(), "image/jpeg")
    if "photo" in fields and fields["photo"] == "notes.m4a":
        files["voice"] = upload(voices / "voice.m4a")
    answer = post(ea_sup, **files)
    if error is None:
        assert answer.status_code == 302
        assert SubmissionFile.objects.count() == 2 and len(stored(media_root)) == 3
        return
    assert answer.status_code == 400
    assert error in answer.content.decode()
    assert Submission.objects.count() == SubmissionFile.objects.count() == 0
    assert not (media_root / "feedback").exists()


def test_a_voice_message_longer_than_allowed_is_refused_in_the_readers_language(
    post, ea_sup, office, voices, settings
):
    settings.BANLANG_FEEDBACK = {**settings.BANLANG_FEEDBACK, "VOICE_MAX_SECONDS": 5}
    answer = post(ea_sup, language="en", voice=upload(voices / "voice.m4a"))
    assert answer.status_code == 400
    assert "The voice message lasts 0:06; the limit is 0:05." in answer.content.decode()
    assert Submission.objects.count() == 0
    settings.BANLANG_FEEDBACK = {**settings.BANLANG_FEEDBACK, "VOICE_MAX_SECONDS": 7}
    assert post(ea_sup, voice=upload(voices / "voice.m4a")).status_code == 302


def test_files_over_the_size_limits_are_refused_before_they_are_read(voices, settings):
    settings.BANLANG_FEEDBACK = {
        **settings.BANLANG_FEEDBACK,
        "PHOTO_MAX_BYTES": 1024**2,
        "VOICE_MAX_BYTES": 1024**2,
    }
    big = b"\xff\xd8" + b"\0" * 1024**2
    with translation.override("en"):
        with pytest.raises(ValueError, match="The photo is larger than 1 MB"):
            check_photo(SimpleUploadedFile("big.jpg", big, "image/jpeg"))
        with pytest.raises(ValueError, match="The voice message is larger than 1 MB"):
            check_voice(SimpleUploadedFile("big.m4a", big, "audio/mp4"))
    assert check_voice(upload(voices / "voice.m4a")).seconds > 5  # the control


def test_a_failure_after_the_files_were_written_leaves_no_file_and_no_row(
    ea_sup, voices, media_root
):
    photo = check_photo(SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg"))
    second = check_photo(SimpleUploadedFile("b.png", _png(), "image/png"))
    received = feedback.Received(
        kind="question",
        text="Đường vào buôn bị sạt lở, xin xem ảnh.",
        language="vi",
        came_by="web",
        province=ea_sup.parent,
        files=(photo, second),  # two photos: the second breaks the one-of-each rule
    )
    with pytest.raises(IntegrityError):
        feedback.receive(received)
    assert Submission.objects.count() == SubmissionEvent.objects.count() == 0
    assert SubmissionFile.objects.count() == 0 and stored(media_root) == []
    feedback.receive(received.__class__(**{**received.__dict__, "files": (photo,)}))  # control
    assert SubmissionFile.objects.count() == 1 and len(stored(media_root)) == 1


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_residents_files_are_erased_with_their_details_a_year_after_closing(
    ea_sup, voices, media_root, django_capture_on_commit_callbacks
):
    def asked(**dates):
        received = feedback.Received(
            kind="report",
            text="",
            language="vi",
            came_by="web",
            province=ea_sup.parent,
            files=(
                check_photo(SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")),
                check_voice(upload(voices / "voice.webm")),
            ),
        )
        with django_capture_on_commit_callbacks(execute=True):
            submission = feedback.receive(received)
        Submission.objects.filter(pk=submission.pk).update(**dates)
        return submission

    year_ago = timezone.now() - datetime.timedelta(days=366)
    old = asked(closed_at=year_ago, answered_at=year_ago)
    recent = asked(closed_at=timezone.now())
    assert len(stored(media_root)) == 6  # each: photo, recording, converted recording
    with django_capture_on_commit_callbacks(execute=True):
        erased = erase_expired()
    assert erased.submission_files == 2
    assert SubmissionFile.objects.filter(submission=old).count() == 0
    assert SubmissionFile.objects.filter(submission=recent).count() == 2  # the control
    kept = {name for row in recent.files.all() for name in row.stored_names()}
    assert set(stored(media_root)) == kept
    assert Submission.objects.filter(pk=old.pk).exists()  # the question itself stays
