"""Photos and voice messages residents send with a submission.

Each is checked before anything is stored: a photo is re-encoded without its metadata by the
media app's hardened image pipeline (``media.images``), a voice message is probed by ffprobe
(``media.validation``) and must be a short sound recording. They are stored with their
submission in one step, or not at all (``store``, called by ``feedback.receive``). A voice
message is then converted in the background into small speech audio any browser plays
(``convert_voice``). A row's files leave storage when the row is deleted (``signal_handlers``).
"""

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cms.formatting import format_clock
from media.errors import MediaRejected
from media.ffmpeg import MediaToolError
from media.forms import uploaded_path
from media.images import ImageRejected, clean_image
from media.processing import AUDIO_PROFILES, render_profile
from media.tasks import local_copy
from media.validation import inspect_upload
from outreach.models import Submission, SubmissionFile

logger = logging.getLogger(__name__)

PHOTO_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
VOICE_CONTAINERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": ("m4a", "audio/mp4"),
    "matroska,webm": ("webm", "audio/webm"),
    "ogg": ("ogg", "audio/ogg"),
    "mp3": ("mp3", "audio/mpeg"),
    "wav": ("wav", "audio/wav"),
    "flac": ("flac", "audio/flac"),
    "aac": ("aac", "audio/aac"),
}
"""The containers a voice message may come in, with the name and type it is stored under."""
SPEECH = AUDIO_PROFILES[0]
"""What staff play: the media app's smallest speech audio."""
PHOTO_TOO_BIG = _("The photo is larger than %(limit)s MB.")
VOICE_TOO_BIG = _("The voice message is larger than %(limit)s MB.")
VOICE_TOO_LONG = _("The voice message lasts %(length)s; the limit is %(limit)s.")
NOT_A_RECORDING = _("This is a video or a picture, not a voice message.")


class AttachmentRejected(ValueError):
    """A photo or a voice message we will not take; the message says why, in the resident's
    language."""


@dataclass(frozen=True)
class Attachment:
    """A checked photo or voice message, ready to be stored with its submission."""

    kind: str
    content: File
    extension: str
    content_type: str
    seconds: float = 0


def limits() -> dict[str, int]:
    """The size and length limits of ``BANLANG_FEEDBACK``."""
    keys = ("PHOTO_MAX_BYTES", "VOICE_MAX_BYTES", "VOICE_MAX_SECONDS")
    return {key: settings.BANLANG_FEEDBACK[key] for key in keys}


def check_photo(uploaded: UploadedFile) -> Attachment:
    """The photo re-encoded upright, without GPS, device or other tags; refused if it is too
    big or not a picture we read."""
    limit = limits()["PHOTO_MAX_BYTES"]
    if uploaded.size is not None and uploaded.size > limit:
        raise AttachmentRejected(PHOTO_TOO_BIG % {"limit": limit // 1024**2})
    uploaded.seek(0)
    try:
        clean = clean_image(uploaded.read())
    except ImageRejected as rejection:
        raise AttachmentRejected(str(rejection)) from None
    extension = PHOTO_EXTENSIONS[clean.format]
    return Attachment(
        SubmissionFile.Kind.PHOTO, ContentFile(clean.data), extension, clean.content_type
    )


def check_voice(uploaded: UploadedFile) -> Attachment:
    """The recording as sent, once ffprobe found it to be sound we can convert, short enough;
    refused with the reason otherwise."""
    bounds = limits()
    if uploaded.size is not None and uploaded.size > bounds["VOICE_MAX_BYTES"]:
        raise AttachmentRejected(VOICE_TOO_BIG % {"limit": bounds["VOICE_MAX_BYTES"] // 1024**2})
    with uploaded_path(uploaded) as path:
        try:
            probe = inspect_upload(path)
        except MediaRejected as rejection:
            raise AttachmentRejected(rejection.message) from None
    if probe.kind != "audio" or probe.container not in VOICE_CONTAINERS:
        raise AttachmentRejected(NOT_A_RECORDING)
    if round(probe.duration) > bounds["VOICE_MAX_SECONDS"]:  # as long as the resident is told
        length, limit = format_clock(probe.duration), format_clock(bounds["VOICE_MAX_SECONDS"])
        raise AttachmentRejected(VOICE_TOO_LONG % {"length": length, "limit": limit})
    extension, content_type = VOICE_CONTAINERS[probe.container]
    uploaded.seek(0)
    return Attachment(
        SubmissionFile.Kind.VOICE, File(uploaded), extension, content_type, probe.duration
    )


def store(submission: Submission, attachments: tuple[Attachment, ...], written: list[str]) -> None:
    """Store ``attachments`` with ``submission``, inside the caller's transaction; each name
    written is added to ``written`` so that the caller deletes them if the transaction fails.
    Voice messages are converted once it commits (``signal_handlers``)."""
    for attachment in attachments:
        row = SubmissionFile(
            submission=submission,
            kind=attachment.kind,
            content_type=attachment.content_type,
            size=attachment.content.size,
            seconds=attachment.seconds,
            status=(
                SubmissionFile.Status.PENDING
                if attachment.kind == SubmissionFile.Kind.VOICE
                else SubmissionFile.Status.READY
            ),
        )
        row.file.save(f"{attachment.kind}.{attachment.extension}", attachment.content, save=False)
        assert row.file.name is not None  # the storage named the file it saved
        written.append(row.file.name)
        row.save()


def delete_stored(names: list[str]) -> None:
    """Delete stored files by name; one already gone is no error."""
    for name in names:
        default_storage.delete(name)


def convert_voice(row: SubmissionFile) -> None:
    """Convert a voice message into speech audio staff can play, or mark it failed (the
    original is kept either way; staff can still download it). A message erased meanwhile
    keeps nothing of the conversion."""
    rows = SubmissionFile.objects.filter(pk=row.pk)
    with local_copy(row.file) as source:
        try:
            probe = inspect_upload(source)
            with tempfile.TemporaryDirectory(prefix="banlang-voice-") as folder:
                made = render_profile(source, Path(folder), SPEECH, probe)
                with made.open("rb") as stream:
                    row.playable.save("speech.m4a", File(stream), save=False)
        except (MediaRejected, MediaToolError) as error:
            logger.warning("Voice message %s could not be converted: %s", row.pk, error)
            row.status = SubmissionFile.Status.FAILED
            rows.update(status=row.status)
            return
    row.status = SubmissionFile.Status.READY
    assert row.playable.name is not None  # the storage named the file it saved
    if not rows.update(playable=row.playable.name, status=row.status):
        delete_stored([row.playable.name])
